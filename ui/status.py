"""Today's status per treated area, in kind words, with what to do."""

from __future__ import annotations

import streamlit as st

from healing_journal.workspace import Workspace
from recovery.timeline import day_label
from recovery.vocabulary import Severity
from ui.flags_view import show_cards, show_emergency_banner, status_badge


def status_overview(workspace: Workspace) -> None:
    snapshot, view = workspace.snapshot, workspace.view
    today = snapshot.today
    calendar = snapshot.calendar
    show_emergency_banner(view.cards)
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
        st.markdown(f"{status_badge(view.status(area), view.has_logged(area))} · {logged}")
    if treated and not set(treated) <= logged_today:
        st.page_link("pages/log_day.py", label="Log today", icon=":material/edit_note:")
    open_cards = view.open_cards()
    st.subheader("What needs your attention")
    anything_logged = any(view.has_logged(area) for area in treated)
    calm = "Nothing unusual in what you logged: your recovery follows the expected course."
    show_cards(
        [c for c in open_cards if c.severity.rank >= Severity.WATCH.rank],
        empty=calm if anything_logged else "Nothing to judge yet: log your first day after treatment.",
    )
    notes = [c for c in open_cards if c.severity is Severity.INFO]
    if notes:
        with st.expander(f"Notes ({len(notes)})"):
            show_cards(notes)
    risk_summary(workspace)


def risk_summary(workspace: Workspace) -> None:
    factors = workspace.view.risk_factors
    if factors:
        st.caption(
            "Some things change your risks, so the journal watches for them: "
            + "; ".join(f.label for f in factors)
            + "."
        )
