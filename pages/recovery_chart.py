"""Recovery chart: each sign against its expected course, flags, photos and aftercare."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from charts.chart_text import course_table, describe_course
from charts.course_chart import CourseData, configure, course_data, course_panels, series_chart
from healing_journal.workspace import Workspace
from recovery.adherence import first_week
from recovery.language import N_, _, day_month, short_date
from recovery.model import Entry, Photo, Treatment
from recovery.photo_trend import chart_points
from recovery.vocabulary import RATED_SIGNS, Area, Sign
from ui.charts import chart_pictures, kept, show_pictures
from ui.flags_view import show_cards, show_emergency_banner, status_badge
from ui.photo_paging import paged
from ui.photo_text import photo_alt
from ui.session import run_page
from ui.widgets import area_picker

ADHERENCE_MARKS = {True: "✓", False: "✗", None: "–"}
# The key says each mark once; commas between, as "·" is neither a mark nor a separator here.
ADHERENCE_KEY = N_("✓ done, ✗ not done, – not logged.")
STRIP_PHOTOS = 8  # a page of the photo strip: one row on a desktop
STRIP_THUMB_PX = 80


def page(workspace: Workspace) -> None:
    snapshot, view = workspace.snapshot, workspace.view
    st.title(_("Recovery chart"))
    area = area_picker(snapshot, key="recovery_area")
    # Sessions that have happened; one booked ahead has no course yet.
    sessions = [t for t in snapshot.treatments_of(area) if t.day <= snapshot.today]
    if not sessions:
        st.info(
            _("No treatment of the {area} is recorded yet, so there is no expected course to compare with.").format(
                area=area.label.lower()
            )
        )
        return
    session = pick_session(sessions)
    entries = snapshot.entries_of(area)
    course = [e for e in entries if e.treatment_id == session.id]
    flags = view.flags_of(area, session.id)
    show_emergency_banner(view.cards)
    badge = status_badge(view.status(area), view.has_logged(area))
    st.markdown(_("**Status today:** {status}").format(status=badge))

    def build() -> CourseView:
        course_days = {e.day for e in course}
        measured = chart_points(m for m in view.measurements_of(area) if m.day in course_days)
        data = course_data(course, flags, measured=measured, depth=session.depth, baseline=view.baseline(area))
        return CourseView(data, describe_course(data), course_table(data))

    # Built once per view: the words and the table took a pandas filter per sign at every visit.
    show_course(workspace, kept(workspace, ("course", area, session.id), build), (area, session.id))
    in_course = set(flags)
    show_cards([card for card in view.cards if card.area == area and set(card.flags) & in_course])
    photo_timeline(snapshot.photos_of(area), course)
    adherence(course, session.id, view.thresholds.aftercare_window_days)
    series(workspace, area, entries, sessions)


@dataclass(frozen=True)
class CourseView:
    """One course's tables, and the chart in words and as a table."""

    data: CourseData
    words: list[str]
    table: pd.DataFrame


def show_course(workspace: Workspace, course: CourseView, choice: tuple[Area, int]) -> None:
    """One chart per sign (each fits a phone's width), then the same in words and as a table."""

    def build() -> list[Any]:
        return [configure(panel.chart) for panel in course_panels(course.data)]

    show_pictures(chart_pictures(workspace, ("recovery", *choice), build), key="recovery-course")
    st.caption(
        _(
            "The green band is what is still normal on each day after the session. "
            "Each day's levels and flags are below, in words and as a table. Measured lines come from your photos: "
            "a camera is not a calibrated instrument, so read them as a second opinion."
        )
    )
    with st.expander(_("The chart in words")):
        for line in course.words:
            st.markdown(line)
    with st.expander(_("The chart as a table")):
        st.dataframe(course.table.copy(), hide_index=True, width="stretch")


def pick_session(sessions: Sequence[Treatment]) -> Treatment:
    if len(sessions) == 1:
        return sessions[0]
    labels = {
        i: _("Session {number} ({date})").format(number=i + 1, date=short_date(s.day)) for i, s in enumerate(sessions)
    }
    chosen = st.radio(_("Treatment"), list(labels), index=len(sessions) - 1, format_func=labels.get, horizontal=True)
    return sessions[chosen]


def photo_timeline(photos: Sequence[Photo], course: Sequence[Entry]) -> None:
    entry_ids = {e.id for e in course}
    own = [p for p in photos if p.entry_id in entry_ids]
    st.header(_("Photos by day"))
    if not own:
        st.caption(_("No photos in this course yet."))
        return
    strip = paged(own, key=f"strip-{own[0].area}-{course[0].treatment_id}", per_page=STRIP_PHOTOS)
    # One row on a desktop; on a phone the row wraps, still several abreast.
    with st.container(horizontal=True, gap="xsmall"):
        for photo in strip:
            st.image(
                str(photo.thumb_path),
                caption=f"{day_month(photo.day)} · {photo.day_label}",
                alt=photo_alt(photo),
                width=STRIP_THUMB_PX,
            )
    st.caption(_("To compare two days lined up with each other, or to watch a time-lapse, open Photos."))


def adherence(course: Sequence[Entry], treatment_id: int, last_day: int) -> None:
    st.header(_("Aftercare in the first week"))
    rows = first_week(course, treatment_id, last_day)
    days = range(last_day + 1)
    # Short names, pinned: on a phone the full questions took the whole width and
    # the days were off screen with nothing to say so. The full questions are in the key.
    aftercare = _("Aftercare")
    table = {
        aftercare: [row.question.short for row in rows],
        **{_("Day {day}").format(day=day): [ADHERENCE_MARKS[row.days[day]] for row in rows] for day in days},
    }
    st.dataframe(
        table, hide_index=True, width="stretch", column_config={aftercare: st.column_config.Column(pinned=True)}
    )
    swipe = _("On a narrow screen, swipe the table sideways to see every day.")
    st.caption(f"{_(ADHERENCE_KEY)} {swipe}")
    with st.expander(_("What each row asks")):
        st.markdown("\n".join(f"- **{row.question.short}:** {row.question.label}" for row in rows))


def series(workspace: Workspace, area: Area, entries: Sequence[Entry], sessions: Sequence[Treatment]) -> None:
    if len(sessions) < 2:
        return
    st.header(_("Across your sessions"))
    sign: Sign = st.selectbox(_("Sign"), RATED_SIGNS, format_func=lambda s: Sign(s).label, key="series_sign")
    treatment_days = {s.id: s.day for s in sessions}

    def build() -> list[Any]:
        return [configure(series_chart(entries, sign, treatment_days))]

    show_pictures(chart_pictures(workspace, ("series", area, sign), build), key="recovery-series")
    st.caption(
        _("Each line is one session, counted from its own treatment day: is each recovery faster than the last?")
    )


run_page(page)
