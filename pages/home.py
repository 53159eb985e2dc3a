"""Home: today's page. What to do today and how the recovery is going."""

from __future__ import annotations

import streamlit as st

from healing_journal.workspace import Workspace
from recovery.language import _, weekday_date
from ui.flags_view import show_emergency_banner
from ui.home_today import risk_summary, show_area
from ui.phone_access import use_my_phone
from ui.session import run_page
from ui.widgets import next_step


def page(workspace: Workspace) -> None:
    snapshot = workspace.snapshot
    st.title("Healing Journal")  # the name, in every language
    if not snapshot.treatments:
        st.info(
            _(
                "Welcome. Start by recording your treatment: the journal compares each day you log "
                "with what is normal on that day after it."
            )
        )
        next_step(_("Add your treatment"), "pages/treatments.py", key="start", icon=":material/add:")
        return
    show_emergency_banner(workspace.view.cards)
    st.markdown(_("**Today is {date}.**").format(date=weekday_date(snapshot.today)))
    for area in snapshot.treated_areas():
        show_area(workspace, area)
    risk_summary(workspace)
    use_my_phone(workspace.journal, key="home")


run_page(page)
