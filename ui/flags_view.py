"""Flags as the patient reads them: what was seen, what to do, and why."""

from __future__ import annotations

from typing import Iterable

import streamlit as st

from recovery.flags import STATUS_WORDS, Flag, status_for

_BOX = {"info": st.info, "watch": st.warning, "contact": st.error, "urgent": st.error}
_ICON = {
    "info": ":material/info:",
    "watch": ":material/visibility:",
    "contact": ":material/call:",
    "urgent": ":material/emergency:",
    "ok": ":material/check_circle:",
}
SEVERITY_WORDS = {"info": "Note", "watch": "Keep an eye on it", "contact": "Contact your practitioner",
                  "urgent": "Seek medical advice now"}


def show_flags(flags: Iterable[Flag], *, empty: str = "Nothing unusual: your recovery follows the expected course.") -> None:
    flags = list(flags)
    if not flags:
        st.success(empty, icon=_ICON["ok"])
        return
    for flag in flags:
        day = f"day {flag.days_since_treatment}" if flag.days_since_treatment is not None else "no treatment day"
        text = (
            f"**{SEVERITY_WORDS[flag.severity]}** · {flag.area} · since {flag.first_day:%d %b} ({day})\n\n"
            f"{flag.message}\n\n**What to do:** {flag.advice}\n\n*Why:* {flag.source}"
        )
        _BOX[flag.severity](text, icon=_ICON[flag.severity])


def status_badge(flags: list[Flag], area: str) -> str:
    status = status_for(flags, area)
    colour = {"ok": "green", "info": "green", "watch": "orange", "contact": "red", "urgent": "red"}[status]
    return f":{colour}-badge[{_ICON[status]} {STATUS_WORDS[status]}]"
