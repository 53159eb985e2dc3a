"""Flags as the patient reads them: one card per cause, what to do, and why.

Everything a patient or a file wrote (a practitioner's name, a message that
quotes a rating) is shown escaped: the cards use Markdown for their own
emphasis only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from recovery.cards import Card
from recovery.timeline import day_label
from recovery.vocabulary import EASED, NOTHING_LOGGED, ON_TRACK, Severity, Tone
from ui.widgets import escape_markdown

_BOX: dict[Tone, Callable[..., Any]] = {Tone.NEUTRAL: st.info, Tone.WARNING: st.warning, Tone.ALARM: st.error}
_ICON: dict[Severity | None, str] = {
    Severity.INFO: ":material/info:",
    Severity.WATCH: ":material/visibility:",
    Severity.CONTACT: ":material/call:",
    Severity.URGENT: ":material/emergency:",
    Severity.EMERGENCY: ":material/e911_emergency:",
    None: ":material/check_circle:",
}
_BADGE_COLOUR: dict[Tone, str] = {Tone.NEUTRAL: "green", Tone.WARNING: "orange", Tone.ALARM: "red"}


def show_cards(cards: Iterable[Card], *, empty: str | None = None) -> None:
    """Each card with what was seen, what to do and why; eased cards are shown as such.
    `empty` is said when there is no card (None: say nothing)."""
    shown = list(cards)
    if not shown:
        if empty:
            st.success(empty, icon=_ICON[None])
        return
    for card in shown:
        show_card(card)
    # Sources in one fold: the cards stay short on a phone, the "why" stays in them.
    with st.expander("Where this advice comes from"):
        for card in shown:
            st.markdown(f"**{escape_markdown(card.title)}:** {escape_markdown(card.lead.source)}")


def card_heading(card: Card) -> str:
    """The card's first line (Markdown): an open card's severity and since when; an
    eased one says "Eased" and when, not the words that asked for action."""
    lead = card.lead
    # The day of `since` (the card's first flag), counted like the lead's: the lead
    # is the most serious flag, often a later one.
    since = lead.days_since_treatment
    day = day_label(since - (lead.first_day - card.since).days) if since is not None else "no treatment day"
    if card.is_open:
        word, state = card.severity.word, f"open since {card.since:%d %b} ({day})"
    else:
        word = EASED
        state = f"first seen {card.since:%d %b} ({day})"
        if card.eased_on is not None:
            state = f"eased on {card.eased_on:%d %b}, {state}"
    return f"**{word}** · {card.area.label} · {escape_markdown(card.title)} · {state}"


def show_card(card: Card) -> None:
    """What to do in the box; what was seen and why in a fold under it, so that
    several cards still fit a phone's screen."""
    lead = card.lead
    parts = [card_heading(card), f"**What to do:** {escape_markdown(card.advice)}"]
    if card.practitioner and card.is_open:
        parts.append(f"**Your practitioner:** {escape_markdown(card.practitioner)}")
    box = _BOX[card.severity.style.tone] if card.is_open else st.info
    box("\n\n".join(parts), icon=_ICON[card.severity] if card.is_open else _ICON[None])
    seen = [escape_markdown(flag.message) for flag in card.flags]
    with st.expander("What the journal saw, and why"):
        st.markdown("\n".join(f"- {line}" for line in seen))
        if lead.reason and lead.reason not in lead.message:  # a warning's message already says why
            st.markdown(f"**Why:** {escape_markdown(lead.reason)}")


def show_emergency_banner(cards: Iterable[Card]) -> None:
    """An open emergency first, in words nobody can miss."""
    if any(card.is_open and card.severity is Severity.EMERGENCY for card in cards):
        st.error(
            "**Call emergency services now** (112 in Europe, 999 in the UK, 911 in North America), "
            "or have someone take you to an emergency department. See the red card below.",
            icon=_ICON[Severity.EMERGENCY],
        )


def status_badge(status: Severity | None, logged: bool = True) -> str:
    """A coloured badge with the words of an area's status (its most serious open
    flag); nothing reassuring before anything is logged."""
    if not logged:
        return f":gray-badge[:material/edit_note: {NOTHING_LOGGED}]"
    if status is None or status is Severity.INFO:
        return f":green-badge[{_ICON[None]} {ON_TRACK}]"
    colour = _BADGE_COLOUR[status.style.tone]
    return f":{colour}-badge[{_ICON[status]} {status.word}]"
