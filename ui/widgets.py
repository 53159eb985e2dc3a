"""Small widgets several screens share."""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from recovery.timeline import day_label
from recovery.vocabulary import AREAS, SCALES, SIGN_LABELS
from store import Journal

CAPTURE_GUIDANCE = (
    "For photos you can compare: same room and light, same distance and angle, "
    "no make-up, no filter or beauty mode, the treated area filling the middle of the frame."
)


def area_choices(journal: Journal) -> list[str]:
    """Treated areas first (most recent treatment first), then the rest."""
    treated: list[str] = []
    for treatment in reversed(journal.treatments()):
        treated += [area for area in treatment["areas"] if area not in treated]
    return treated + [area for area in AREAS if area not in treated]


def area_picker(journal: Journal, key: str, label: str = "Area") -> str:
    return st.selectbox(label, area_choices(journal), format_func=str.capitalize, key=key)


def rating_radio(sign: str, value: int | None, key: str) -> int | None:
    """A 0-4 scale with its descriptor beside every level; nothing is chosen
    until the patient chooses, so an unrated sign is never saved as "clear"."""
    levels = SCALES[sign]
    return st.radio(
        SIGN_LABELS[sign],
        options=list(range(len(levels))),
        index=value,
        format_func=lambda level: f"{level} · {levels[level]}",
        key=key,
    )


ANSWERS = {1: "Done", 0: "Not done"}


def done_or_not(label: str, value: int | None, key: str) -> int | None:
    """An aftercare item: done (1), not done (0), or not answered (None)."""
    return st.segmented_control(label, list(ANSWERS), format_func=ANSWERS.get, default=value, key=key)


def treatment_caption(journal: Journal, day: dt.date, area: str) -> str:
    placement = journal.calendar().place(day, area)
    if placement.treatment_day is None:
        return f"{day:%A %d %B %Y} · {day_label(placement.days_since_treatment)}"
    return (
        f"{day:%A %d %B %Y} · {day_label(placement.days_since_treatment)} "
        f"after the treatment of {placement.treatment_day:%d %B}"
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: str) -> str:
    """Show text literally where Streamlit would read Markdown (notes, labels with a*)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
