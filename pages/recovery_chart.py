"""Recovery chart: each sign against its expected course, flags, photos and aftercare."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.recovery_chart import recovery_chart, series_chart
from recovery.adherence import first_week
from recovery.measured import chart_rows
from recovery.resolution import open_flags
from recovery.vocabulary import RATED_SIGNS, SIGN_LABELS
from store import Journal, Photo
from ui.flags_view import show_flags, status_badge
from ui.session import journal, run_page
from ui.widgets import area_picker

ADHERENCE_MARKS = {True: "✓", False: "✗", None: "·"}


def page() -> None:
    current = journal()
    st.title("Recovery chart")
    area = area_picker(current, key="recovery_area")
    sessions = [t for t in current.treatments() if area in t["areas"]]
    if not sessions:
        st.info(f"No treatment of the {area} is recorded yet, so there is no expected course to compare with.")
        return
    session = pick_session(sessions)
    entries = current.entry_records(area)
    course = [e for e in entries if e["treatment_id"] == session["id"]]
    area_flags = current.flags(area)  # judged once; which are still open follows from the entries
    flags = [f for f in area_flags if f.treatment_id in (session["id"], None)]
    still_open = set(open_flags(area_flags, entries, current.today()))
    st.markdown(f"**Status today:** {status_badge(list(still_open), area)}")
    course_days = {e["day"] for e in course}
    measured = [m for m in current.measurements(area) if m["day"] in course_days]
    st.altair_chart(recovery_chart(course, flags, measured=pd.DataFrame(chart_rows(measured))), width="stretch")
    st.caption(
        "Green shading: the highest rating that is still normal on that day (see 'Why' on each flag for sources). "
        "Dots: your ratings; hover for details. Red dashed lines: measured from your photos, relative to your "
        "calmest photo (a camera is not a calibrated instrument: read them as a second opinion). "
        "Dashed vertical lines: flags, from the day they started."
    )
    show_flags(flags, still_open=still_open)
    photo_timeline(current, area, course)
    adherence(course, session["id"])
    series(entries, sessions)


def pick_session(sessions: list[dict]) -> dict:
    if len(sessions) == 1:
        return sessions[0]
    labels = {i: f"Session {i + 1}: {s['day']:%d %b %Y}" for i, s in enumerate(sessions)}
    chosen = st.radio("Treatment", list(labels), index=len(sessions) - 1, format_func=labels.get, horizontal=True)
    return sessions[chosen]


def photo_timeline(current: Journal, area: str, course: list[dict]) -> None:
    entry_ids = {e["id"] for e in course}
    photos = [p for p in current.photos(area=area) if p.entry_id in entry_ids]
    st.subheader("Photos by day")
    if not photos:
        st.caption("No photos in this course yet.")
        return
    strip = photos[-8:]
    for column, photo in zip(st.columns(len(strip)), strip):
        column.image(str(photo.thumb_path), caption=photo.day_label)
    compare(photos)


def compare(photos: list[Photo]) -> None:
    st.subheader("Compare two days")
    labels = {}
    for photo in photos:
        label = f"{photo.day:%d %b} · {photo.day_label}"
        same_day = sum(1 for other in labels.values() if other.startswith(label))
        labels[photo.id] = f"{label} ({same_day + 1})" if same_day else label
    ids = list(labels)
    left, right = st.columns(2)
    with left:
        first = st.selectbox("Earlier", ids, index=0, format_func=labels.get, key="compare_first")
        st.image(str(next(p.path for p in photos if p.id == first)))
    with right:
        second = st.selectbox("Later", ids, index=len(ids) - 1, format_func=labels.get, key="compare_second")
        st.image(str(next(p.path for p in photos if p.id == second)))


def adherence(course: list[dict], treatment_id: int) -> None:
    st.subheader("Aftercare in the first week")
    rows = first_week(course, treatment_id)
    table = {row["item"]: [ADHERENCE_MARKS[row[day]] for day in range(8)] for row in rows}
    st.dataframe(
        {"Aftercare": list(table), **{f"Day {day}": [marks[day] for marks in table.values()] for day in range(8)}},
        hide_index=True,
        width="stretch",
    )
    st.caption("✓ done · ✗ not done · · not logged")


def series(entries: list[dict], sessions: list[dict]) -> None:
    if len(sessions) < 2:
        return
    st.subheader("Across your sessions")
    sign = st.selectbox("Sign", RATED_SIGNS, format_func=SIGN_LABELS.get, key="series_sign")
    treatment_days = {s["id"]: s["day"] for s in sessions}
    st.altair_chart(series_chart(entries, sign, treatment_days), width="stretch")
    st.caption("Each line is one session, counted from its own treatment day: is each recovery faster than the last?")


run_page(page)
