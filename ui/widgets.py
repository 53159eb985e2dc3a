"""Small widgets several screens share."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import streamlit as st

from recovery.language import N_, _, day_full_month, weekday_date
from recovery.model import JournalSnapshot
from recovery.timeline import day_label
from recovery.vocabulary import AREAS, RATED_SIGNS, Area, Sign, area_label

CAPTURE_GUIDANCE = N_(
    "For photos you can compare: same room and light, same distance and angle, "
    "no make-up, no filter or beauty mode, the treated area filling the middle of the frame."
)


def area_choices(snapshot: JournalSnapshot) -> list[Area]:
    """Treated areas first (most recent treatment first), then the rest."""
    treated = list(snapshot.treated_areas())
    return treated + [area for area in AREAS if area not in treated]


def area_picker(snapshot: JournalSnapshot, key: str, label: str = N_("Area")) -> Area:
    chosen: str = st.selectbox(_(label), area_choices(snapshot), format_func=area_label, key=key)
    return Area(chosen)


def rating_radio(sign: Sign, value: int | None, key: str, on_change: Callable[[], None] | None = None) -> int | None:
    """A 0-4 scale with its descriptor beside every level; nothing is chosen
    until the patient chooses, so an unrated sign is never saved as "clear"."""
    levels = sign.levels
    chosen: int | None = st.radio(
        sign.label,
        options=list(range(len(levels))),
        index=value,
        format_func=lambda level: f"{level} · {levels[level]}",
        key=key,
        on_change=on_change,
    )
    return chosen


# Rating scales side by side: three fit a laptop screen with their level words.
RATINGS_PER_ROW = 3


def rating_grid(
    logged: Callable[[Sign], int | None],
    key: Callable[[Sign], str],
    on_change: Callable[[], None] | None = None,
) -> dict[str, int | None]:
    """Every rated sign's scale, in rows; returns the levels chosen by sign code."""
    chosen: dict[str, int | None] = {}
    for row in range(0, len(RATED_SIGNS), RATINGS_PER_ROW):
        for column, sign in zip(st.columns(RATINGS_PER_ROW), RATED_SIGNS[row : row + RATINGS_PER_ROW]):
            with column:
                chosen[sign.value] = rating_radio(sign, logged(sign), key(sign), on_change=on_change)
    return chosen


ANSWERS = {True: N_("Done"), False: N_("Not done")}


def done_or_not(label: str, value: bool | None, key: str, on_change: Callable[[], None] | None = None) -> bool | None:
    """An aftercare item: done, not done, or not answered (None)."""
    chosen: bool | None = st.segmented_control(
        label, list(ANSWERS), format_func=lambda answer: _(ANSWERS[answer]), default=value, key=key, on_change=on_change
    )
    return chosen


YES_NO = {True: N_("Yes"), False: N_("No")}


def yes_or_no(label: str, value: bool | None, key: str) -> bool | None:
    """A question answered yes, no, or not at all (None): never "no" by default."""
    chosen: bool | None = st.segmented_control(
        label, list(YES_NO), format_func=lambda answer: _(YES_NO[answer]), default=value, key=key
    )
    return chosen


def treatment_caption(snapshot: JournalSnapshot, day: dt.date, area: Area) -> str:
    placement = snapshot.calendar.place(day, area)
    named = day_label(placement.days_since_treatment)
    if placement.treatment_day is None:
        return f"{weekday_date(day)} · {named}"
    return _("{date} · {day} after the treatment of {treated}").format(
        date=weekday_date(day), day=named, treated=day_full_month(placement.treatment_day)
    )


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:/])")
# Invisible, without width, and never a line break: it keeps the text as the
# patient reads it while splitting what Markdown would turn into a link on its
# own (http://..., www...., name@host) or Streamlit into an icon (:name:).
WORD_JOINER = "\u2060"
_WWW = re.compile(r"(?i)\b(w)(ww\\\.)")


def escape_markdown(text: str) -> str:
    """Show text literally where Streamlit would read Markdown (notes, file names,
    paths, names in messages): every Markdown character is escaped, "&" too (no
    character references), and bare links, e-mail addresses and :icons: are split."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    escaped = _WWW.sub(rf"\1{WORD_JOINER}\2", escaped)
    return escaped.replace("\\:", f"{WORD_JOINER}\\:").replace("@", f"{WORD_JOINER}@")


def next_step(label: str, page: str, *, key: str, icon: str = ":material/edit_note:") -> None:
    """The one thing to do next, as a clear primary button to the page that does it."""
    if st.button(label, type="primary", icon=icon, key=key):
        st.switch_page(page)
