"""What a patient edits, as plain field -> value mappings, and how two edits merge.

An entry, a treatment and the profile are each edited as a set of named
fields (a rating, a yes/no answer, the notes...). When two windows edit the
same record, the store refuses the second save (store.errors.Conflict); the
page then merges field by field, three ways: the version both started from
(`base`), the patient's (`mine`) and the one saved meanwhile (`theirs`). A
field changed on one side only is taken from that side; a field changed on
both sides to different values is a clash the patient decides.

Pure: no Streamlit, no SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from recovery.countries import country_name
from recovery.language import LANGUAGES, N_, _, weekday_date
from recovery.model import Entry, Profile, Treatment
from recovery.vocabulary import (
    FITZPATRICK,
    PROFILE_QUESTION_KEYS,
    PROFILE_QUESTIONS,
    QUESTION_BY_KEY,
    RATED_SIGNS,
    TREATMENT_QUESTION_KEYS,
    TREATMENT_QUESTIONS,
    YES_NO_KEYS,
    Area,
    Group,
    Sign,
    area_label,
)

Fields = Mapping[str, Any]

NOTES = "notes"
# The fields of a day's entry, in the order the form shows them: the rated
# signs, the yes/no questions, the notes (all from recovery.vocabulary).
ENTRY_FIELDS: tuple[str, ...] = (*(sign.value for sign in RATED_SIGNS), *YES_NO_KEYS, NOTES)
# Why the treatment was done: the dermatologist's first question (docs/clinical-basis.md).
REASON_LABEL = N_("Reason for the treatment")
REASON_HINT = N_("e.g. acne scars, melasma, fine lines")

TREATMENT_FIELDS: tuple[str, ...] = (
    "day",
    "areas",
    "device",
    "needle_depth_mm",
    "practitioner",
    "practitioner_contact",
    "serums",
    "reason",
    NOTES,
    *TREATMENT_QUESTION_KEYS,
)
COUNTRY_LABEL = N_("Country you live in (for the emergency number)")
LANGUAGE_LABEL = "Language · Idioma · اللغة"  # said in every language: whoever reads it finds theirs
PROFILE_FIELDS: tuple[str, ...] = (
    "name",
    "fitzpatrick",
    "melasma_history",
    "pih_history",
    "cold_sores",
    *PROFILE_QUESTION_KEYS,
    "country",
    "language",
)
# Questions answered yes, no or not at all (None), wherever they are asked.
_UNANSWERED_IS_NONE = frozenset((*YES_NO_KEYS, *PROFILE_QUESTION_KEYS, *TREATMENT_QUESTION_KEYS))

_LABELS: dict[str, str] = {
    "day": N_("Date"),
    "areas": N_("Treated areas"),
    "device": N_("Device"),
    "needle_depth_mm": N_("Needle depth (mm)"),
    "practitioner": N_("Practitioner or clinic"),
    "practitioner_contact": N_("Practitioner's phone or e-mail"),
    "serums": N_("Serums applied"),
    "reason": REASON_LABEL,
    NOTES: N_("Notes"),
    "name": N_("Name or pseudonym"),
    "fitzpatrick": N_("Skin type (Fitzpatrick)"),
    "melasma_history": N_("Had melasma"),
    "pih_history": N_("Had dark spots after injuries or treatments"),
    "cold_sores": N_("Gets cold sores"),
    "country": COUNTRY_LABEL,
    "language": LANGUAGE_LABEL,
    **{q.key: q.label for q in (*PROFILE_QUESTIONS, *TREATMENT_QUESTIONS)},
}


def entry_fields(entry: Entry | None) -> dict[str, Any]:
    """An entry's editable fields; every field empty (not rated, not answered) for no entry."""
    return {
        **{sign.value: entry.rating(sign) if entry else None for sign in RATED_SIGNS},
        **{key: entry.answer(key) if entry else None for key in YES_NO_KEYS},
        NOTES: entry.notes if entry else "",
    }


def treatment_fields(treatment: Treatment) -> dict[str, Any]:
    return {
        "day": treatment.day,
        "areas": tuple(treatment.areas),
        "device": treatment.device,
        "needle_depth_mm": treatment.needle_depth_mm,
        "practitioner": treatment.practitioner,
        "practitioner_contact": treatment.practitioner_contact,
        "serums": treatment.serums,
        "reason": treatment.reason,
        NOTES: treatment.notes,
        **{key: treatment.answer(key) for key in TREATMENT_QUESTION_KEYS},
    }


def profile_fields(profile: Profile) -> dict[str, Any]:
    return {
        "name": profile.name,
        "fitzpatrick": profile.fitzpatrick,
        "melasma_history": profile.melasma_history,
        "pih_history": profile.pih_history,
        "cold_sores": profile.cold_sores,
        **{key: profile.answer(key) for key in PROFILE_QUESTION_KEYS},
        "country": profile.country,
        "language": profile.language,
    }


def field_label(name: str) -> str:
    """What the patient reads for a field: the sign's or question's own label."""
    if name in Sign.__members__.values():
        return Sign(name).label
    if name in QUESTION_BY_KEY:
        return QUESTION_BY_KEY[name].label
    return _(_LABELS[name]) if name in _LABELS else name.replace("_", " ").capitalize()


def shown(name: str, value: Any) -> str:
    """A field's value in words, for a side-by-side comparison."""
    if value is None or value == "":
        return _("(not answered)") if name in _UNANSWERED_IS_NONE or name in Sign.__members__.values() else _("(empty)")
    if name in Sign.__members__.values():
        sign = Sign(name)
        return f"{value} · {sign.levels[value]}" if isinstance(value, int) and 0 <= value <= sign.top else str(value)
    if isinstance(value, bool):
        if name in QUESTION_BY_KEY and QUESTION_BY_KEY[name].group is Group.AFTERCARE:
            return _("done") if value else _("not done")
        return _("yes") if value else _("no")
    if name == "fitzpatrick":
        return _(FITZPATRICK[value]) if value in FITZPATRICK else str(value)
    if name == "country":
        return country_name(value) or str(value)
    if name == "language":
        return LANGUAGES.get(value, str(value))
    if name == "areas":
        return ", ".join(Area(a).label for a in value)
    return str(value)


class Side(StrEnum):
    """Which version a field is taken from."""

    MINE = "mine"
    THEIRS = "theirs"
    BOTH = "both"  # text fields only: the other's text, then mine


@dataclass(frozen=True)
class Merge:
    """A three-way comparison of one record, field by field."""

    base: Fields
    mine: Fields
    theirs: Fields

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.base, *self.mine, *self.theirs]))

    def changed_by_me(self, name: str) -> bool:
        return self.mine.get(name) != self.base.get(name)

    def changed_by_them(self, name: str) -> bool:
        return self.theirs.get(name) != self.base.get(name)

    @property
    def clashes(self) -> tuple[str, ...]:
        """Fields both sides changed, to different values: the patient chooses."""
        return tuple(
            name
            for name in self.fields
            if self.changed_by_me(name) and self.changed_by_them(name) and self.mine.get(name) != self.theirs.get(name)
        )

    @property
    def automatic(self) -> dict[str, Side]:
        """Fields changed on one side only (or the same way on both): taken without asking."""
        taken: dict[str, Side] = {}
        for name in self.fields:
            if name in self.clashes:
                continue
            if self.changed_by_me(name) and self.mine.get(name) != self.theirs.get(name):
                taken[name] = Side.MINE
            elif self.changed_by_them(name):
                taken[name] = Side.THEIRS
        return taken

    def result(self, choices: Mapping[str, Side] | None = None) -> dict[str, Any]:
        """The merged record: automatic fields as they come, each clash as chosen
        (a clash without a choice keeps mine: the patient is saving it)."""
        choices = choices or {}
        merged = dict(self.theirs)
        for name, side in {**self.automatic, **{n: choices.get(n, Side.MINE) for n in self.clashes}}.items():
            merged[name] = self._take(name, side)
        return merged

    def _take(self, name: str, side: Side) -> Any:
        if side is Side.THEIRS:
            return self.theirs.get(name)
        if side is Side.BOTH:
            theirs, mine = self.theirs.get(name), self.mine.get(name)
            if isinstance(theirs, str) and isinstance(mine, str):
                return "\n\n".join(text for text in (theirs.strip(), mine.strip()) if text)
        return self.mine.get(name)


def merge(base: Fields, mine: Fields, theirs: Fields) -> Merge:
    return Merge(dict(base), dict(mine), dict(theirs))


def differing(first: Fields, second: Fields, names: Sequence[str] | None = None) -> tuple[str, ...]:
    """The fields whose values differ between two versions."""
    keys = names if names is not None else tuple(dict.fromkeys([*first, *second]))
    return tuple(name for name in keys if first.get(name) != second.get(name))


def saved_message(area: Area | str, day: dt.date, values: dict[str, Any]) -> str:
    """ "Saved Face for Sunday 06 December 2026.", and the scales left unrated, so that
    a scale skipped by mistake is noticed."""
    message = _("Saved {area} for {date}.").format(area=area_label(area), date=weekday_date(day))
    unrated = [sign.label.lower() for sign in RATED_SIGNS if values.get(sign.value) is None]
    if unrated:
        message += " " + _("Not rated: {signs}.").format(signs=_(", ").join(unrated))
    return message
