"""A card's words, once, for every screen that shows them: Home, the recovery
chart and Log a day's save bar (Markdown, ui.flags_view) and the phone's page
(HTML, phone.views). Only the structure lives here; each screen escapes and
marks it up in its own way, so a change of words here changes all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from recovery.cards import Card
from recovery.emergency_numbers import EmergencyCalls
from recovery.language import _, day_month
from recovery.timeline import day_label
from recovery.view import RecoveryView
from recovery.vocabulary import EASED, EASED_SINCE, STILL_THERE, Area, Severity

# A phone number inside a practitioner's contact: at least six digits, with the
# separators people write (spaces, dashes, brackets) and a leading "+".
_PHONE = re.compile(r"\+?\d[\d ()\-]{4,}\d")
_MIN_DIGITS = 6


@dataclass(frozen=True)
class CardWords:
    """What a card says, as plain text pieces (nothing escaped or marked up)."""

    severity: str  # "Contact your practitioner"
    area: str
    title: str
    since: str  # "open since 03 Nov (day 2)" or "eased on 15 Nov, first seen 07 Nov (day 3)"
    is_open: bool
    advice: str
    emergency: bool  # name the emergency numbers
    practitioner: str  # "" when the card names nobody to call
    calls: EmergencyCalls  # the patient's country's emergency numbers, or the general list


def card_words(card: Card) -> CardWords:
    return CardWords(
        severity=card.word if card.is_open else _(EASED),
        area=card.area.label,
        title=card.title,
        since=_since(card),
        is_open=card.is_open,
        advice=card.advice,
        emergency=card.is_open and card.severity is Severity.EMERGENCY,
        practitioner=card.practitioner if card.is_open else "",
        calls=card.calls,
    )


def _since(card: Card) -> str:
    """ "open since 03 Nov (day 2)"; an eased card says when it eased and when it was first seen."""
    lead = card.lead
    # The day of `since` (the card's first flag), counted like the lead's: the lead
    # is the most serious flag, often a later one.
    since = lead.days_since_treatment
    day = day_label(since - (lead.first_day - card.since).days) if since is not None else _("no treatment day")
    if card.is_open:
        return _("open since {date} ({day})").format(date=day_month(card.since), day=day)
    if card.eased_on is not None:
        return _("eased on {eased}, first seen {date} ({day})").format(
            eased=day_month(card.eased_on), date=day_month(card.since), day=day
        )
    return _("first seen {date} ({day})").format(date=day_month(card.since), day=day)


def emergency_links(calls: EmergencyCalls) -> list[tuple[str, str, str]]:
    """Each emergency number as (number, its tel: target, where it is dialled), and,
    for a country's numbers, the country once after them (as a last "where")."""
    links = [(number, tel_target(number), _(where) if where else "") for number, where in calls.calls]
    if calls.country and links:
        number, target, _where = links[-1]
        links[-1] = (number, target, f"({calls.country})")
    return links


def emergency_ticks_title(calls: EmergencyCalls) -> str:
    """Above the emergency signs on a day's form (computer and phone), with the number to call."""
    return _("Call emergency services at once ({numbers}) if you have any of these").format(numbers=calls.words)


def tel_target(number: str) -> str:
    """ "tel:" and the number's digits (and its leading "+"): nothing else reaches the link."""
    digits = re.sub(r"\D", "", number)
    return f"tel:{'+' if number.lstrip().startswith('+') else ''}{digits}"


def phone_parts(text: str) -> list[tuple[str, str | None]]:
    """`text` cut into (piece, tel: target or None): each phone number in it gets its link."""
    parts: list[tuple[str, str | None]] = []
    at = 0
    for found in _PHONE.finditer(text):
        if sum(c.isdigit() for c in found.group()) < _MIN_DIGITS:
            continue
        parts.append((text[at : found.start()], None))
        parts.append((found.group(), tel_target(found.group())))
        at = found.end()
    parts.append((text[at:], None))
    return parts


def card_of_day(view: RecoveryView, day: dt.date, area: Area | str) -> Card | None:
    """The most serious open card of `area` that `day` belongs to, when it asks for
    someone's help (the practitioner, medical advice today, emergency services)."""
    for card in view.open_cards(area):  # most serious first
        if card.severity.rank < Severity.CONTACT.rank:
            return None
        if card.since <= day:
            return card
    return None


def eased_card_of_day(view: RecoveryView, day: dt.date, area: Area | str) -> Card | None:
    """The most serious card of `area` that asked for someone's help on `day` and has
    eased since: a past day saved after a later one shows no open card, yet the
    patient must hear that what they just ticked was seen (and why it is not open)."""
    for card in view.cards:  # open ones first, then most serious first
        if card.is_open or card.area != area or card.severity.rank < Severity.CONTACT.rank:
            continue
        if card.since <= day and card.eased_on is not None and day < card.eased_on:
            return card
    return None


def eased_line(card: Card) -> str:
    """One plain line on an eased card: what it was, when it eased and why, and, as
    it asked for someone's help, what to do if it is still there (never silenced)."""
    since = _(EASED_SINCE).format(eased=day_month(card.eased_on)) if card.eased_on is not None else _(EASED).lower()
    return f"{card.title} ({card.word}): {since}. {_(STILL_THERE).format(advice=card.lead.advice)}"
