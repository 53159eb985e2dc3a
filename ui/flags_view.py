"""Flags as the patient reads them: what was seen, what to do, and why."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from recovery.flags import SEVERITY_WORDS, STATUS_WORDS, Flag, status_for

_BOX = {"info": st.info, "watch": st.warning, "contact": st.error, "urgent": st.error}
_ICON = {
    "info": ":material/info:",
    "watch": ":material/visibility:",
    "contact": ":material/call:",
    "urgent": ":material/emergency:",
    "ok": ":material/check_circle:",
}


def show_flags(
    flags: Iterable[Flag],
    *,
    still_open: set[Flag] | None = None,
    empty: str = "Nothing unusual: your recovery follows the expected course.",
) -> None:
    """Each flag with what to do and why; flags not in `still_open` are shown as eased."""
    flags = list(flags)
    if not flags:
        st.success(empty, icon=_ICON["ok"])
        return
    for flag in flags:
        day = f"day {flag.days_since_treatment}" if flag.days_since_treatment is not None else "no treatment day"
        eased = still_open is not None and flag not in still_open
        heading = f"**{SEVERITY_WORDS[flag.severity]}** · {flag.area} · from {flag.first_day:%d %b} ({day})"
        if eased:
            heading += " · :green[eased since]"
        text = f"{heading}\n\n{flag.message}\n\n**What to do:** {flag.advice}\n\n*Why:* {flag.source}"
        box = st.info if eased else _BOX[flag.severity]
        box(text, icon=_ICON["ok"] if eased else _ICON[flag.severity])


def status_badge(flags: list[Flag], area: str) -> str:
    status = status_for(flags, area)
    colour = {"ok": "green", "info": "green", "watch": "orange", "contact": "red", "urgent": "red"}[status]
    return f":{colour}-badge[{_ICON[status]} {STATUS_WORDS[status]}]"
