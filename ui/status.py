"""Today's status per treated area, in kind words."""

from __future__ import annotations

import streamlit as st

from store import Journal


def status_overview(current: Journal) -> None:
    today = current.today()
    calendar = current.calendar()
    latest = calendar.latest()
    if latest is not None:
        latest_day, _ = latest
        st.metric("Days since your latest treatment", (today - latest_day).days, help=f"Treatment on {latest_day:%d %B %Y}")
    logged_today = {record["area"] for record in current.entry_records(start=today, end=today)}
    treated = sorted({area for t in current.treatments() for area in t["areas"]})
    for area in treated:
        placement = calendar.place(today, area)
        logged = "logged today" if area in logged_today else "not logged yet today"
        st.markdown(f"**{area.capitalize()}** · day {placement.days_since_treatment} · {logged}")
    if treated and not set(treated) <= logged_today:
        st.page_link("pages/log_day.py", label="Log today", icon=":material/edit_note:")
