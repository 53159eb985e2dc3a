"""Home's answer to "what do I do today, and how am I doing", one treated area
at a time: today's task, what is normal now, the latest photo beside the
first, a small trend of each sign, the cards, the milestones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from charts.course_chart import configure, course_data, course_panels
from healing_journal.workspace import Workspace
from recovery.model import Photo
from recovery.today import Milestone, Today, first_photo, today_in_course
from recovery.vocabulary import Area, Severity
from ui.charts import chart_specs, show_spec
from ui.flags_view import Responses, show_cards, status_badge
from ui.photo_text import photo_alt
from ui.widgets import next_step

CALM = "What you logged follows the expected course: nothing needs your attention."


def show_area(workspace: Workspace, area: Area) -> None:
    snapshot, view = workspace.snapshot, workspace.view
    today = today_in_course(snapshot, area, view.baseline(area))
    if today is None:
        return
    st.header(f"{area.label}: day {today.day} after your treatment")
    task(today)
    logged = view.has_logged(area)
    st.markdown(f"**How you are doing:** {status_badge(view.status(area), logged)}")
    cards = [c for c in view.open_cards(area) if c.severity.rank >= Severity.WATCH.rank]
    responses = Responses(snapshot.response, workspace.journal.save_response)
    if logged:
        show_cards(cards, empty=CALM, responses=responses)
    else:
        show_cards(cards, responses=responses)
        st.info("Nothing logged since the treatment yet: your first entry is compared with the expected course.")
    notes = [c for c in view.open_cards(area) if c.severity is Severity.INFO]
    if notes:
        with st.expander(f"Notes ({len(notes)})"):
            show_cards(notes)
    st.markdown(f"**What is normal now.** {today.normal_now} {today.still_normal}")
    latest_photos(snapshot.photos_of(area), today)
    trends(workspace, today)
    show_milestones(today)


def task(today: Today) -> None:
    """Today's one thing to do: a button when an entry is due, else a link."""
    if today.log_due:
        label = "Log today and take a photo" if today.photo_due else "Log today"
        next_step(label, "pages/log_day.py", key=f"task-{today.area}")
    elif today.logged:
        done = f"Logged today ✓ ({today.photos_today} photo{'s' if today.photos_today != 1 else ''})"
        st.markdown(done + (". A photo is due today: add one on Log a day." if today.photo_due else "."))
        st.page_link("pages/log_day.py", label="Change today's entry", icon=":material/edit_note:")
    else:
        st.markdown("No entry is due today: the journal asks for one a week now.")
        st.page_link("pages/log_day.py", label="Log today anyway", icon=":material/edit_note:")


def photo_pair(photos: Sequence[Photo], today: Today) -> tuple[Photo, Photo] | None:
    """The photo to compare with (recovery.today.first_photo) and the latest one of
    this course, when they are of different days: two shots of one day are nothing
    to compare yet."""
    course = [p for p in photos if p.day >= today.treatment.day]
    first = first_photo(photos, today.treatment.day)
    if not course or first is None:
        return None
    latest = course[-1]
    return None if first.day == latest.day else (first, latest)


def latest_photos(photos: Sequence[Photo], today: Today) -> None:
    pair = photo_pair(photos, today)
    if pair is None:
        only = [p for p in photos if p.day >= today.treatment.day]
        if only:
            # One photo day so far: shown once, not beside itself as "first" and "latest".
            photo = only[-1]
            st.subheader("Your first photo")
            st.image(str(photo.thumb_path), alt=photo_alt(photo), width="stretch")
            st.markdown(
                f"{photo.day_label} ({photo.day:%d %b}). The comparison starts with your next photo, on a later day."
            )
        return
    st.subheader("Your latest photo beside the first")
    for column, photo, title in zip(st.columns(2), pair, ("First", "Latest")):
        with column:
            st.image(str(photo.thumb_path), alt=photo_alt(photo), width="stretch")
            st.markdown(f"{title}: {photo.day_label} ({photo.day:%d %b})")
    st.page_link("pages/gallery.py", label="Compare any two days", icon=":material/compare:")


def prepare(workspace: Workspace) -> None:
    """What Home builds and keeps across runs, built ahead (ui.warm_up): each area's small trends."""
    for area in workspace.snapshot.treated_areas():
        today = today_in_course(workspace.snapshot, area, workspace.view.baseline(area))
        if today is not None:
            trend_specs(workspace, today)


def trend_specs(workspace: Workspace, today: Today) -> list[dict[str, Any]]:
    """The key and one small chart per sign of the area's current course; none before a rated day."""
    course = [e for e in workspace.snapshot.entries_of(today.area) if e.treatment_id == today.treatment.id]
    rated = [e for e in course if e.in_course]
    if not rated:
        return []
    flags = workspace.view.flags_of(today.area, today.treatment.id)
    data = course_data(rated, flags, depth=today.treatment.depth, baseline=workspace.view.baseline(today.area))

    def build() -> list[Any]:
        return [configure(panel.chart) for panel in course_panels(data, compact=True)]

    return chart_specs(workspace, ("trend", today.area, today.treatment.id), build)


def trends(workspace: Workspace, today: Today) -> None:
    specs = trend_specs(workspace, today)
    if not specs:
        return
    st.subheader("Trends")
    key, *signs = specs
    show_spec(key)  # the key across the page, above the signs it explains
    # Two abreast on a wide screen; Streamlit stacks columns on a phone.
    for start in range(0, len(signs), 2):
        for column, spec in zip(st.columns(2), signs[start : start + 2]):
            show_spec(spec, column)
    st.page_link("pages/recovery_chart.py", label="The full recovery chart", icon=":material/monitoring:")


def show_milestones(today: Today) -> None:
    st.subheader("Milestones")
    lines = []
    for milestone in today.milestones:
        when = f"{milestone.title}, {milestone.date:%a %d %b}"
        if milestone.day == today.day:
            lines.append(f"- **Today · {when}:** {_said(milestone)}")
        elif milestone.day < today.day and milestone.logged:  # ticked only when logged around it (recovery.today)
            lines.append(f"- ✓ {when}")
        elif milestone.day < today.day:
            lines.append(f"- {when}: nothing logged around then")
        else:
            lines.append(f"- **{when}:** {_said(milestone)}")
    st.markdown("\n".join(lines))


def _said(milestone: Milestone) -> str:
    return f"{milestone.what} {milestone.photo}" if milestone.photo else milestone.what


def risk_summary(workspace: Workspace) -> None:
    factors = workspace.view.risk_factors
    if factors:
        st.markdown(
            "Some things change your risks, so the journal watches for them: "
            + "; ".join(f.label for f in factors)
            + "."
        )
