"""Home: where the recovery stands today, at a glance."""

from __future__ import annotations

import streamlit as st

from healing_journal.workspace import Workspace
from ui.session import run_page
from ui.status import status_overview


def page(workspace: Workspace) -> None:
    st.title("Healing Journal")
    if not workspace.snapshot.treatments:
        st.info(
            "Welcome. Start by recording your treatment on **Profile & treatments**; "
            "then log each day's photos and how your skin looks on **Log a day**."
        )
        st.page_link("pages/treatments.py", label="Add your treatment", icon=":material/add:")
        return
    status_overview(workspace)


run_page(page)
