"""Flags as the patient reads them: one card per cause, what to do, and why.

Everything a patient or a file wrote (a practitioner's name, a message that
quotes a rating) is shown escaped: the cards use Markdown for their own
emphasis and links only (a phone number in the practitioner's contact, and the
emergency numbers, are "tel:" links whose target holds digits and "+" alone).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from recovery.cards import Card
from recovery.model import FlagResponse
from recovery.timeline import day_label
from recovery.view import RecoveryView
from recovery.vocabulary import FLAG_ACTIONS, NOTHING_LOGGED, ON_TRACK, Area, FlagAction, Severity, Tone
from ui.widgets import escape_markdown


@dataclass(frozen=True)
class Responses:
    """What the patient did about each card: read what was saved, save a new answer.
    Given by a page that can write to the journal (Home, the recovery chart)."""

    saved: Callable[[str], FlagResponse | None]  # by Card.key
    save: Callable[[str, FlagAction, str], None]  # card key, action, note


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


def show_cards(cards: Iterable[Card], *, empty: str | None = None, responses: Responses | None = None) -> None:
    """Each card with what was seen, what to do and why; eased cards are shown as such.
    `empty` is said when there is no card (None: say nothing); with `responses`, a
    card that asks for someone's help asks "What did you do?" too."""
    shown = list(cards)
    if not shown:
        if empty:
            st.success(empty, icon=_ICON[None])
        return
    for card in shown:
        show_card(card, responses)
    # Sources in one fold: the cards stay short on a phone, the "why" stays in them.
    with st.expander("Where this advice comes from"):
        for card in shown:
            st.markdown(f"**{escape_markdown(card.title)}:** {escape_markdown(card.lead.source)}")


# Emergency numbers as links a phone dials at a tap (the card's advice names them too).
EMERGENCY_NUMBERS = "**Call:** [112](tel:112) in Europe · [999](tel:999) in the UK · [911](tel:911) in North America"
# A phone number inside a practitioner's contact: at least six digits, with the
# separators people write (spaces, dashes, brackets) and a leading "+".
_PHONE = re.compile(r"\+?\d[\d ()\-]{4,}\d")
_MIN_DIGITS = 6


def tel_target(number: str) -> str:
    """ "tel:" and the number's digits (and its leading "+"): nothing else reaches the link."""
    digits = re.sub(r"\D", "", number)
    return f"tel:{'+' if number.lstrip().startswith('+') else ''}{digits}"


def with_phone_links(text: str) -> str:
    """`text` escaped as Markdown, each phone number in it a "tel:" link."""
    parts, at = [], 0
    for found in _PHONE.finditer(text):
        if sum(c.isdigit() for c in found.group()) < _MIN_DIGITS:
            continue
        parts.append(escape_markdown(text[at : found.start()]))
        parts.append(f"[{escape_markdown(found.group())}]({tel_target(found.group())})")
        at = found.end()
    parts.append(escape_markdown(text[at:]))
    return "".join(parts)


def card_words(card: Card) -> str:
    """A card's words (Markdown): what it is, since when, what to do, whom to call.
    The same on Home, the recovery chart and Log a day's save bar."""
    lead = card.lead
    day = day_label(lead.days_since_treatment) if lead.days_since_treatment is not None else "no treatment day"
    state = f"open since {card.since:%d %b} ({day})" if card.is_open else ":green[eased since]"
    heading = f"**{card.word}** · {card.area.label} · {escape_markdown(card.title)} · {state}"
    parts = [heading, f"**What to do:** {escape_markdown(lead.advice)}"]
    if card.is_open and card.severity is Severity.EMERGENCY:
        parts.append(EMERGENCY_NUMBERS)
    if card.practitioner and card.is_open:
        parts.append(f"**Your practitioner:** {with_phone_links(card.practitioner)}")
    return "\n\n".join(parts)


def card_box(card: Card) -> None:
    """The card's box: its words in the colour of its severity."""
    box = _BOX[card.severity.style.tone] if card.is_open else st.info
    box(card_words(card), icon=_ICON[card.severity] if card.is_open else _ICON[None])


def show_card(card: Card, responses: Responses | None = None) -> None:
    """What to do in the box; what was seen and why in a fold under it, so that
    several cards still fit a phone's screen."""
    lead = card.lead
    card_box(card)
    if responses is not None and card.severity.rank >= Severity.CONTACT.rank:
        what_did_you_do(card, responses)
    seen = [escape_markdown(flag.message) for flag in card.flags]
    with st.expander("What the journal saw, and why"):
        st.markdown("\n".join(f"- {line}" for line in seen))
        if lead.reason and lead.reason not in lead.message:  # a warning's message already says why
            st.markdown(f"**Why:** {escape_markdown(lead.reason)}")


def what_did_you_do(card: Card, responses: Responses) -> None:
    """One tap on the card records what the patient did about it (the PDF prints it
    beside the flag); a note goes with it."""
    saved = responses.saved(card.key)
    key = f"did-{card.key}"
    note_key = f"did-note-{card.key}"

    def save() -> None:
        chosen = st.session_state.get(key)
        if chosen is not None:
            responses.save(card.key, FlagAction(chosen), str(st.session_state.get(note_key) or ""))

    st.pills(
        "What did you do?",
        FLAG_ACTIONS,
        format_func=lambda action: action.label,
        default=saved.action if saved else None,
        key=key,
        on_change=save,
    )
    if saved is not None:
        with st.expander("Add a note to what you did" if not saved.note else f"Your note: {saved.note[:40]}"):
            st.text_input("Note (e.g. what the doctor said)", value=saved.note, key=note_key, on_change=save)


def card_of_day(view: RecoveryView, day: dt.date, area: Area | str) -> Card | None:
    """The most serious open card of `area` that `day` belongs to, when it asks for
    someone's help (the practitioner, medical advice today, emergency services)."""
    for card in view.open_cards(area):  # most serious first
        if card.severity.rank < Severity.CONTACT.rank:
            return None
        if card.since <= day:
            return card
    return None


def show_emergency_banner(cards: Iterable[Card]) -> None:
    """An open emergency first, in words nobody can miss."""
    if any(card.is_open and card.severity is Severity.EMERGENCY for card in cards):
        st.error(
            "**Call emergency services now**, or have someone take you to an emergency department. "
            "See the red card below.\n\n" + EMERGENCY_NUMBERS,
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
