"""Every photo reachable a page at a time: "Earlier" and "Later" buttons and a list
of the pages ("Photos 9-16 of 40: 3 Nov to 10 Nov 2026") to jump to any day.

Photos stay in date order (they read left to right like the chart), and the
latest page is the one shown first: what a patient looks for is usually the
most recent days. Pages are cut from the latest end, so that page is always
full and only the very first page may hold fewer photos.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from recovery.language import _, day_month, short_date
from recovery.model import Photo


@dataclass(frozen=True)
class Window:
    """Photos [start, stop) of `total`, in date order."""

    start: int
    stop: int
    total: int

    @property
    def label(self) -> str:
        if self.stop - self.start == 1:
            return _("Photo {number} of {total}").format(number=self.stop, total=self.total)
        return _("Photos {first}-{last} of {total}").format(first=self.start + 1, last=self.stop, total=self.total)


def windows(total: int, per_page: int) -> list[Window]:
    """The pages of `total` photos, earliest first; the last page is full."""
    if per_page < 1:
        raise ValueError("A page holds at least one photo.")
    stops = range(total, 0, -per_page)
    return [Window(max(stop - per_page, 0), stop, total) for stop in reversed(stops)]


def window_label(window: Window, photos: Sequence[Photo]) -> str:
    """E.g. "Photos 9-16 of 40: 3 Nov to 10 Nov 2026"."""
    first, last = photos[window.start].day, photos[window.stop - 1].day
    if first == last:
        days = short_date(first)
    else:
        start = day_month(first) if first.year == last.year else short_date(first)
        days = _("{first} to {last}").format(first=start, last=short_date(last))
    return f"{window.label}: {days}"


def paged(photos: Sequence[Photo], *, key: str, per_page: int) -> Sequence[Photo]:
    """The photos of the page the patient chose (the latest at first), with the controls
    to reach every other page. All photos, without controls, when they fit one page.

    The choice is kept as pages back from the latest (0: the latest), so a
    patient who has not paged back still sees the newest photo after adding one;
    the list of pages reads latest first, as the choice does."""
    pages = windows(len(photos), per_page)
    if len(pages) <= 1:
        return photos
    last = len(pages) - 1
    # Set before the widget exists (never a default beside a state value), and
    # clamped: photos may have been deleted since the page was chosen.
    back = st.session_state.get(key)
    st.session_state[key] = min(max(back, 0), last) if isinstance(back, int) else 0
    labels = [window_label(pages[last - back], photos) for back in range(len(pages))]
    earlier, choice, later = st.columns([1, 3, 1], vertical_alignment="bottom")
    earlier.button(
        _("Earlier"),
        key=f"{key}-earlier",
        icon=":material/chevron_left:",
        on_click=_step,
        args=(key, 1, last),
        disabled=st.session_state[key] == last,
        width="stretch",
    )
    choice.selectbox(_("Photos shown"), range(len(pages)), format_func=labels.__getitem__, key=key)
    later.button(
        _("Later"),
        key=f"{key}-later",
        icon=":material/chevron_right:",
        on_click=_step,
        args=(key, -1, last),
        disabled=st.session_state[key] == 0,
        width="stretch",
    )
    window = pages[last - st.session_state[key]]
    return photos[window.start : window.stop]


def _step(key: str, by: int, last: int) -> None:
    """`by` pages further back (negative: towards the latest)."""
    st.session_state[key] = min(max(int(st.session_state.get(key, 0)) + by, 0), last)
