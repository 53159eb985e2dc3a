"""Today's status per treated area, in kind words, with what to do."""

from __future__ import annotations

import streamlit as st

from healing_journal.workspace import Workspace
from recovery.timeline import day_label
from recovery.vocabulary import Severity
from ui.flags_view import show_flags, status_badge


def status_overview(workspace: Workspace) -> None:
    snapshot, view = workspace.snapshot, workspace.view
    today = snapshot.today
    calendar = snapshot.calendar
    latest = calendar.latest()
    if latest is not None:
        latest_day, _ = latest
        st.metric(
            "Days since your latest treatment", (today - latest_day).days, help=f"Treatment on {latest_day:%d %B %Y}"
        )
    logged_today = {entry.area for entry in snapshot.entries if entry.day == today}
    treated = sorted({area for t in snapshot.treatments for area in t.areas})
    for area in treated:
        placement = calendar.place(today, area)
        logged = "logged today ✓" if area in logged_today else "not logged yet today"
        st.markdown(f"#### {area.label} · {day_label(placement.days_since_treatment)}")
        st.markdown(f"{status_badge(view.status(area))} · {logged}")
    if treated and not set(treated) <= logged_today:
        st.page_link("pages/log_day.py", label="Log today", icon=":material/edit_note:")
    still_open = view.still_open()
    st.subheader("What needs your attention")
    show_flags([f for f in still_open if f.severity.rank >= Severity.WATCH.rank])
    notes = [f for f in still_open if f.severity is Severity.INFO]
    if notes:
        with st.expander(f"Notes ({len(notes)})"):
            show_flags(notes)
    risk_summary(workspace)


def risk_summary(workspace: Workspace) -> None:
    factors = workspace.view.risk_factors
    if factors:
        st.caption(
            "Some things make dark spots more likely for you, so the journal flags spots earlier: "
            + "; ".join(f.label for f in factors)
            + "."
        )
