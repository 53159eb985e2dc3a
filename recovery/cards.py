"""Flags gathered into cards, one per cause, as the patient reads them.

Several warning signs ticked on one day are one card, at the most serious
severity among them; a sign that was first "keep an eye on it" and then
"contact your practitioner" is one card at its highest severity; the spots of
an area are one card. A card that asks for a call names the practitioner of
the session it belongs to, and says since when it is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from recovery.emergency_numbers import GENERAL, EmergencyCalls
from recovery.flags import Flag, RuleId
from recovery.language import N_, _, ngettext
from recovery.model import Treatment
from recovery.vocabulary import EASED_ADVICE, QUESTION_BY_KEY, Area, Severity, Sign

# The rules whose flags share a card per sign, or per area.
_SIGN_CAUSE = frozenset({RuleId.PERSIST, RuleId.WORSENING})
_SPOT_CAUSE = frozenset({RuleId.SPOT_NEW, RuleId.SPOT_PERSIST, RuleId.SPOT_DARKER})
_WARNING_CAUSE = frozenset({RuleId.WARNING, RuleId.EMERGENCY})


@dataclass(frozen=True)
class Card:
    cause: tuple[object, ...]
    area: Area
    severity: Severity
    since: dt.date  # the first day of its oldest flag
    flags: tuple[Flag, ...]  # most serious first
    is_open: bool
    practitioner: str = ""  # name and contact, on cards that ask for a call
    sign: Sign | None = None
    eased_on: dt.date | None = None  # the day the last of its flags eased; None while open
    # The emergency numbers of the patient's country (or the general list), named on
    # an open emergency card.
    calls: EmergencyCalls = GENERAL

    @property
    def advice(self) -> str:
        """What to do: the lead flag's advice while open; once eased, the calm words
        that say so (an eased card asking for a call would send the patient to it)."""
        return self.lead.advice if self.is_open else _(EASED_ADVICE)

    @property
    def lead(self) -> Flag:
        """The most serious flag: its advice is the card's advice."""
        return self.flags[0]

    @property
    def word(self) -> str:
        """What to do in a few words, naming who can help: the card's heading."""
        return self.lead.action

    @property
    def key(self) -> str:
        """Stable while the card's cause and first day stay: what the patient did about
        it (recovery.model.FlagResponse) is stored under this."""
        parts = [str(part.value if hasattr(part, "value") else part) for part in self.cause]
        return "/".join([*parts, self.since.isoformat()])

    @property
    def title(self) -> str:
        if self.cause[0] == "warnings":
            keys = [key for flag in self.flags for key in (flag.question, *flag.also) if key]
            named = list(dict.fromkeys(QUESTION_BY_KEY[key].label for key in keys if key in QUESTION_BY_KEY))
            if not named:
                return _("A warning sign")
            return ngettext("Warning sign: {signs}", "Warning signs: {signs}", len(named)).format(
                signs=_("; ").join(named)
            )
        if self.sign is not None:
            return self.sign.label
        return _(RULE_TITLES.get(self.lead.rule_id, N_("Note")))


# A card's title where no sign names it.
RULE_TITLES: dict[RuleId, str] = {
    RuleId.AFTERCARE_SUN: N_("Sun protection"),
    RuleId.ACTIVES: N_("Products on the skin"),
    RuleId.MAKEUP: N_("Make-up"),
    RuleId.GAP: N_("Days without an entry"),
    RuleId.MEASURED_DISAGREES: N_("Photo and rating differ"),
}


def cause_of(flag: Flag) -> tuple[object, ...]:
    if flag.rule_id in _WARNING_CAUSE:
        return ("warnings", flag.area, flag.first_day)
    if flag.rule_id in _SPOT_CAUSE:
        return ("spots", flag.area)
    if flag.rule_id in _SIGN_CAUSE:
        return ("sign", flag.area, flag.sign)
    return ("rule", flag.area, flag.rule_id)


def _practitioner(treatment: Treatment | None) -> str:
    if treatment is None:
        return ""
    parts = [part for part in (treatment.practitioner.strip(), treatment.practitioner_contact.strip()) if part]
    return ", ".join(parts)


def cards(
    flags: Iterable[Flag],
    still_open: frozenset[Flag],
    treatments: Mapping[int, Treatment],
    latest: Mapping[Area, int],
    eased: Mapping[Flag, dt.date] | None = None,
    calls: EmergencyCalls = GENERAL,
) -> tuple[Card, ...]:
    """One card per cause, most serious first; a card is open while any of its flags is.

    `latest` names each area's latest treatment: the practitioner to call about
    a flag that belongs to no course (a warning sign before any treatment).
    `eased` gives the day each closed flag eased: a card eased when its last one did.
    `calls` are the emergency numbers of the patient's country."""
    eased = eased or {}
    grouped: dict[tuple[object, ...], list[Flag]] = {}
    for flag in flags:
        grouped.setdefault(cause_of(flag), []).append(flag)
    result = []
    for cause, members in grouped.items():
        open_members = [f for f in members if f in still_open]
        eased_days = [eased[f] for f in members if f in eased]
        shown = sorted(open_members or members, key=lambda f: (-f.severity.rank, f.first_day))
        lead = shown[0]
        asks_help = lead.severity.rank >= Severity.CONTACT.rank
        treatment_id = lead.treatment_id if lead.treatment_id is not None else latest.get(lead.area)
        result.append(
            Card(
                cause=cause,
                area=lead.area,
                severity=lead.severity,
                since=min(f.first_day for f in shown),
                flags=tuple(shown),
                is_open=bool(open_members),
                practitioner=_practitioner(treatments.get(treatment_id or -1)) if asks_help else "",
                sign=lead.sign if cause[0] in ("sign", "spots") else None,
                eased_on=max(eased_days) if eased_days and not open_members else None,
                calls=calls,
            )
        )
    return tuple(sorted(result, key=lambda c: (not c.is_open, -c.severity.rank, c.since, c.area)))
