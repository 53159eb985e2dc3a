"""Home: where the recovery stands today, at a glance."""

from __future__ import annotations

import streamlit as st

from ui.session import journal, run_page
from ui.status import status_overview


def page() -> None:
    current = journal()
    st.title("Healing Journal")
    treatments = current.treatments()
    if not treatments:
        st.info(
            "Welcome. Start by recording your treatment on **Profile & treatments**; "
            "then log each day's photos and how your skin looks on **Log a day**."
        )
        st.page_link("pages/treatments.py", label="Add your treatment", icon=":material/add:")
        return
    status_overview(current)


run_page(page)
