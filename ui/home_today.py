"""Home's answer to "what do I do today, and how am I doing", one treated area
at a time: today's task, what is normal now, the latest photo beside the
first, a small trend of each sign, the cards, the milestones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from charts.course_chart import configure, course_data, course_panels
from healing_journal.workspace import Workspace
from recovery.language import N_, _, day_month, ngettext, speaking, weekday_short
from recovery.model import Photo
from recovery.today import Milestone, Today, first_photo, today_in_course
from recovery.view_choice import of_view
from recovery.vocabulary import VIEWS, Area, Severity, View
from ui.charts import live_specs, show_spec
from ui.flags_view import Responses, show_cards, status_badge
from ui.photo_text import photo_alt
from ui.widgets import next_step

CALM = N_("What you logged follows the expected course: nothing needs your attention.")


def show_area(workspace: Workspace, area: Area) -> None:
    snapshot, view = workspace.snapshot, workspace.view
    today = today_in_course(snapshot, area, view.baseline(area))
    if today is None:
        return
    st.header(_("{area}: day {day} after your treatment").format(area=area.label, day=today.day))
    task(today)
    logged = view.has_logged(area)
    st.markdown(_("**How you are doing:** {status}").format(status=status_badge(view.status(area), logged)))
    cards = [c for c in view.open_cards(area) if c.severity.rank >= Severity.WATCH.rank]
    responses = Responses(snapshot.response, workspace.journal.save_response)
    if logged:
        show_cards(cards, empty=_(CALM), responses=responses)
    else:
        show_cards(cards, responses=responses)
        st.info(_("Nothing logged since the treatment yet: your first entry is compared with the expected course."))
    notes = [c for c in view.open_cards(area) if c.severity is Severity.INFO]
    if notes:
        with st.expander(_("Notes ({count})").format(count=len(notes))):
            show_cards(notes)
    st.markdown(_("**What is normal now.** {normal} {still}").format(normal=today.normal_now, still=today.still_normal))
    latest_photos(snapshot.photos_of(area), today)
    trends(workspace, today)
    show_milestones(today)


def task(today: Today) -> None:
    """Today's one thing to do: a button when an entry is due, else a link."""
    if today.log_due:
        label = _("Log today and take a photo") if today.photo_due else _("Log today")
        next_step(label, "pages/log_day.py", key=f"task-{today.area}")
    elif today.logged:
        count = today.photos_today
        if today.photo_due:
            done = ngettext(
                "Logged today ✓ ({count} photo). A photo is due today: add one on Log a day.",
                "Logged today ✓ ({count} photos). A photo is due today: add one on Log a day.",
                count,
            )
        else:
            done = ngettext("Logged today ✓ ({count} photo).", "Logged today ✓ ({count} photos).", count)
        st.markdown(done.format(count=count))
        st.page_link("pages/log_day.py", label=_("Change today's entry"), icon=":material/edit_note:")
    else:
        st.markdown(_("No entry is due today: the journal asks for one a week now."))
        st.page_link("pages/log_day.py", label=_("Log today anyway"), icon=":material/edit_note:")


def photo_pair(photos: Sequence[Photo], today: Today) -> tuple[Photo, Photo] | None:
    """The photo to compare with (recovery.today.first_photo) and the latest one of
    this course, of the same view, when they are of different days: two shots of
    one day are nothing to compare yet. Of the latest day's photos, the first named
    view with an earlier photo of its own is shown (the front, or the whole area,
    first), photos of no named view after them, the last stored first."""
    course = [p for p in photos if p.day >= today.treatment.day]
    if not course:
        return None
    latest_day = [p for p in reversed(course) if p.day == course[-1].day]
    for latest in sorted(latest_day, key=lambda p: (p.view is View.UNSPECIFIED, VIEWS.index(p.view))):
        first = first_photo(of_view(photos, latest.view), today.treatment.day)
        if first is not None and first.day != latest.day:
            return first, latest
    return None


def latest_photos(photos: Sequence[Photo], today: Today) -> None:
    pair = photo_pair(photos, today)
    if pair is None:
        only = [p for p in photos if p.day >= today.treatment.day]
        if only:
            # One photo day so far: shown once, not beside itself as "first" and "latest".
            photo = only[-1]
            st.subheader(_("Your first photo"))
            st.image(str(photo.thumb_path), alt=photo_alt(photo), width="stretch")
            st.markdown(
                _("{day} ({date}). The comparison starts with your next photo, on a later day.").format(
                    day=photo.day_label, date=day_month(photo.day)
                )
            )
        return
    st.subheader(_("Your latest photo beside the first"))
    titles = (_("First: {day} ({date})"), _("Latest: {day} ({date})"))
    for column, photo, title in zip(st.columns(2), pair, titles):
        with column:
            st.image(str(photo.thumb_path), alt=photo_alt(photo), width="stretch")
            st.markdown(title.format(day=photo.day_label, date=day_month(photo.day)))
    st.page_link("pages/gallery.py", label=_("Compare any two days"), icon=":material/compare:")


def prepare(workspace: Workspace) -> None:
    """What Home builds and keeps across runs, built ahead (ui.warm_up): each area's small
    trends, in the language the first run will speak (the charts' words are kept by language)."""
    with speaking(workspace.language):
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

    def build() -> list[Any]:
        # The tables too are made only when the specifications are: a year-long course's
        # took a third of Home's run at every visit.
        flags = workspace.view.flags_of(today.area, today.treatment.id)
        baseline = workspace.view.baseline(today.area)
        data = course_data(rated, flags, depth=today.treatment.depth, baseline=baseline)
        return [configure(panel.chart) for panel in course_panels(data, compact=True)]

    return live_specs(workspace, ("trend", today.area, today.treatment.id), build)


def trends(workspace: Workspace, today: Today) -> None:
    specs = trend_specs(workspace, today)
    if not specs:
        return
    st.subheader(_("Trends"))
    key, *signs = specs
    show_spec(key)  # the key across the page, above the signs it explains
    # Two abreast on a wide screen; Streamlit stacks columns on a phone.
    for start in range(0, len(signs), 2):
        for column, spec in zip(st.columns(2), signs[start : start + 2]):
            show_spec(spec, column)
    st.page_link("pages/recovery_chart.py", label=_("The full recovery chart"), icon=":material/monitoring:")


def show_milestones(today: Today) -> None:
    st.subheader(_("Milestones"))
    lines = []
    for milestone in today.milestones:
        when = _("{milestone}, {date}").format(milestone=milestone.title, date=weekday_short(milestone.date))
        if milestone.day == today.day:
            lines.append("- " + _("**Today · {when}:** {what}").format(when=when, what=_said(milestone)))
        elif milestone.day < today.day and milestone.logged:  # ticked only when logged around it (recovery.today)
            lines.append(f"- ✓ {when}")
        elif milestone.day < today.day:
            lines.append("- " + _("{when}: nothing logged around then").format(when=when))
        else:
            lines.append("- " + _("**{when}:** {what}").format(when=when, what=_said(milestone)))
    st.markdown("\n".join(lines))


def _said(milestone: Milestone) -> str:
    return f"{milestone.what} {milestone.photo}" if milestone.photo else milestone.what


def risk_summary(workspace: Workspace) -> None:
    factors = workspace.view.risk_factors
    if factors:
        st.markdown(
            _("Some things change your risks, so the journal watches for them: {factors}.").format(
                factors=_("; ").join(f.label for f in factors)
            )
        )
