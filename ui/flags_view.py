"""Flags as the patient reads them: what was seen, what to do, and why."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

import streamlit as st

from recovery.flags import Flag
from recovery.vocabulary import ON_TRACK, Severity, Tone

_BOX: dict[Tone, Callable[..., Any]] = {Tone.NEUTRAL: st.info, Tone.WARNING: st.warning, Tone.ALARM: st.error}
_ICON: dict[Severity | None, str] = {
    Severity.INFO: ":material/info:",
    Severity.WATCH: ":material/visibility:",
    Severity.CONTACT: ":material/call:",
    Severity.URGENT: ":material/emergency:",
    None: ":material/check_circle:",
}
_BADGE_COLOUR: dict[Tone, str] = {Tone.NEUTRAL: "green", Tone.WARNING: "orange", Tone.ALARM: "red"}


def show_flags(
    flags: Iterable[Flag],
    *,
    still_open: Collection[Flag] | None = None,
    empty: str = "Nothing unusual: your recovery follows the expected course.",
) -> None:
    """Each flag with what to do and why; flags not in `still_open` are shown as eased."""
    flags = list(flags)
    if not flags:
        st.success(empty, icon=_ICON[None])
        return
    for flag in flags:
        day = f"day {flag.days_since_treatment}" if flag.days_since_treatment is not None else "no treatment day"
        eased = still_open is not None and flag not in still_open
        heading = f"**{flag.severity.word}** · {flag.area} · from {flag.first_day:%d %b} ({day})"
        if eased:
            heading += " · :green[eased since]"
        text = f"{heading}\n\n{flag.message}\n\n**What to do:** {flag.advice}\n\n*Why:* {flag.source}"
        box = st.info if eased else _BOX[flag.severity.style.tone]
        box(text, icon=_ICON[None] if eased else _ICON[flag.severity])


def status_badge(status: Severity | None) -> str:
    """A coloured badge with the words of an area's status (its most serious open flag)."""
    if status is None or status is Severity.INFO:
        return f":green-badge[{_ICON[None]} {ON_TRACK}]"
    colour = _BADGE_COLOUR[status.style.tone]
    return f":{colour}-badge[{_ICON[status]} {status.word}]"
