"""Flags as the patient reads them: one card per cause, what to do, and why.

Everything a patient or a file wrote (a practitioner's name, a message that
quotes a rating) is shown escaped: the cards use Markdown for their own
emphasis and links only (a phone number in the practitioner's contact, and the
emergency numbers, are "tel:" links whose target holds digits and "+" alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from recovery.card_words import card_words as shared_words
from recovery.card_words import emergency_links, phone_parts
from recovery.card_words import tel_target as tel_target  # the tests and older callers name it here
from recovery.cards import Card
from recovery.emergency_numbers import EmergencyCalls
from recovery.language import _
from recovery.model import FlagResponse
from recovery.source_words import said_source
from recovery.vocabulary import FLAG_ACTIONS, NOTHING_LOGGED, ON_TRACK, FlagAction, Severity, Tone
from store.errors import Conflict
from store.versions import NONE
from ui.language import in_page_language
from ui.widgets import escape_markdown


@dataclass(frozen=True)
class Responses:
    """What the patient did about each card: read what was saved, save a new answer.
    Given by a page that can write to the journal (Home, the recovery chart)."""

    saved: Callable[[str], FlagResponse | None]  # by Card.key
    # Card key, action, note, and based_on: the version of the answer shown (store.versions).
    save: Callable[..., None]


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
    with st.expander(_("Where this advice comes from")):
        for card in shown:
            st.markdown(f"**{escape_markdown(card.title)}:** {escape_markdown(said_source(card.lead.source))}")


def emergency_numbers(calls: EmergencyCalls) -> str:
    """The emergency numbers as links a phone dials at a tap (the card's advice names them too)."""
    links = " · ".join(
        f"[{number}]({target}) {escape_markdown(where)}".rstrip() for number, target, where in emergency_links(calls)
    )
    return _("**Call:** {numbers}").format(numbers=links)


def with_phone_links(text: str) -> str:
    """`text` escaped as Markdown, each phone number in it a "tel:" link."""
    return "".join(
        escape_markdown(piece) if target is None else f"[{escape_markdown(piece)}]({target})"
        for piece, target in phone_parts(text)
    )


def card_words(card: Card) -> str:
    """A card's words (Markdown): what it is, since when, what to do, whom to call.
    The same on Home, the recovery chart and Log a day's save bar (the phone's page
    says the same words, recovery.card_words)."""
    words = shared_words(card)
    state = words.since if words.is_open else f":green[{words.since}]"
    heading = f"**{words.severity}** · {words.area} · {escape_markdown(words.title)} · {state}"
    parts = [heading, _("**What to do:** {advice}").format(advice=escape_markdown(words.advice))]
    if words.emergency:
        parts.append(emergency_numbers(words.calls))
    if words.practitioner:
        parts.append(
            _("**Your practitioner:** {practitioner}").format(practitioner=with_phone_links(words.practitioner))
        )
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
    with st.expander(_("What the journal saw, and why")):
        st.markdown("\n".join(f"- {line}" for line in seen))
        if lead.reason and lead.reason not in lead.message:  # a warning's message already says why
            st.markdown(_("**Why:** {reason}").format(reason=escape_markdown(lead.reason)))


def what_did_you_do(card: Card, responses: Responses) -> None:
    """One tap on the card records what the patient did about it (the PDF prints it
    beside the flag); a note goes with it."""
    saved = responses.saved(card.key)
    key = f"did-{card.key}"
    note_key = f"did-note-{card.key}"
    refused_key = f"did-refused-{card.key}"

    def save() -> None:
        chosen = st.session_state.get(key)
        if chosen is None:
            return
        note = str(st.session_state.get(note_key) or "")
        try:
            responses.save(card.key, FlagAction(chosen), note, based_on=saved.version if saved else NONE)
        except Conflict as conflict:
            # Another window answered first: show what is stored, and say so beside the choices.
            now = conflict.stored
            st.session_state[key] = now.action if now else None
            st.session_state[note_key] = now.note if now else ""
            st.session_state[refused_key] = str(conflict)

    st.pills(
        _("What did you do?"),
        FLAG_ACTIONS,
        format_func=lambda action: action.label,
        default=saved.action if saved else None,
        key=key,
        on_change=in_page_language(save),
    )
    refused = st.session_state.pop(refused_key, None)
    if refused:
        st.warning(refused, icon=":material/sync_problem:")
    if saved is not None:
        label = (
            _("Add a note to what you did") if not saved.note else _("Your note: {note}").format(note=saved.note[:40])
        )
        with st.expander(label):
            st.text_input(
                _("Note (e.g. what the doctor said)"), value=saved.note, key=note_key, on_change=in_page_language(save)
            )


def show_emergency_banner(cards: Iterable[Card]) -> None:
    """An open emergency first, in words nobody can miss."""
    emergency = next((card for card in cards if card.is_open and card.severity is Severity.EMERGENCY), None)
    if emergency is not None:
        st.error(
            _(
                "**Call emergency services now**, or have someone take you to an emergency department. "
                "See the red card below."
            )
            + "\n\n"
            + emergency_numbers(emergency.calls),
            icon=_ICON[Severity.EMERGENCY],
        )


def status_badge(status: Severity | None, logged: bool = True) -> str:
    """A coloured badge with the words of an area's status (its most serious open
    flag); nothing reassuring before anything is logged."""
    if not logged:
        return f":gray-badge[:material/edit_note: {_(NOTHING_LOGGED)}]"
    if status is None or status is Severity.INFO:
        return f":green-badge[{_ICON[None]} {_(ON_TRACK)}]"
    colour = _BADGE_COLOUR[status.style.tone]
    return f":{colour}-badge[{_ICON[status]} {status.word}]"
