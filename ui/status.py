"""Today's status per treated area, in kind words, with what to do."""

from __future__ import annotations

import streamlit as st

from recovery.flags import severity_rank
from recovery.timeline import day_label
from store import Journal
from ui.flags_view import show_flags, status_badge


def status_overview(current: Journal) -> None:
    today = current.today()
    calendar = current.calendar()
    flags = current.open_flags()
    latest = calendar.latest()
    if latest is not None:
        latest_day, _ = latest
        st.metric(
            "Days since your latest treatment", (today - latest_day).days, help=f"Treatment on {latest_day:%d %B %Y}"
        )
    logged_today = {record["area"] for record in current.entry_records(start=today, end=today)}
    treated = sorted({area for t in current.treatments() for area in t["areas"]})
    for area in treated:
        placement = calendar.place(today, area)
        logged = "logged today ✓" if area in logged_today else "not logged yet today"
        st.markdown(f"#### {area.capitalize()} · {day_label(placement.days_since_treatment)}")
        st.markdown(f"{status_badge(flags, area)} · {logged}")
    if treated and not set(treated) <= logged_today:
        st.page_link("pages/log_day.py", label="Log today", icon=":material/edit_note:")
    st.subheader("What needs your attention")
    show_flags([f for f in flags if severity_rank(f.severity) >= severity_rank("watch")])
    notes = [f for f in flags if f.severity == "info"]
    if notes:
        with st.expander(f"Notes ({len(notes)})"):
            show_flags(notes)
    risk_summary(current)


def risk_summary(current: Journal) -> None:
    factors = current.risk_factors()
    if factors:
        st.caption(
            "Some things make dark spots more likely for you, so the journal flags spots earlier: "
            + "; ".join(f.label for f in factors)
            + "."
        )
