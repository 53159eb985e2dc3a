"""What every screen shows around the page: disclaimer, demo banner, journal health."""

from __future__ import annotations

import streamlit as st

from healing_journal import Journal
from recovery.language import N_, _, left_to_right
from store.leftovers import describe
from ui.address import SHARED_ADDRESS_NOTE, Address, this_address
from ui.phone_access import sidebar_status
from ui.widgets import escape_markdown

DISCLAIMER = N_(
    "Healing Journal records what you observe. It does not diagnose and is not medical advice: "
    "if you are worried, contact your practitioner."
)


DEMO_NOTE = N_("Demo journal: synthetic data, not a real patient.")


def demo_mark(current: Journal) -> None:
    """The demo's mark at the top of the main area, above every page: on a phone the
    sidebar is folded away, and a demo must never be mistaken for a patient's journal.
    A quiet caption, so the page under it still reads as the product would."""
    if current.is_demo:
        st.caption(f":material/science: {_(DEMO_NOTE)}")


def sidebar_frame(current: Journal) -> None:
    with st.sidebar:
        if this_address() is Address.SHARED:
            st.warning(SHARED_ADDRESS_NOTE, icon=":material/shield:")
        sidebar_status(current)
        st.caption(_(DISCLAIMER))
        kept = _("Your journal is kept on this computer in {folder}.")
        # A path reads left to right in every language (isolated: Arabic text would turn its slashes around).
        st.caption(kept.format(folder=left_to_right(escape_markdown(str(current.folder)))))
        removed = current.open_report.leftovers_removed
        if removed:
            # Shown while the app runs: a backup the patient believes made was not.
            st.info(escape_markdown(describe(removed)), icon=":material/cleaning_services:")
        tightened = current.open_report.folder_tightened
        if tightened:
            st.warning(escape_markdown(tightened), icon=":material/lock:")
    missing = current.open_report.missing_files
    if missing:
        st.warning(
            f"{len(missing)} photo file(s) recorded in the journal are missing from the data folder "
            "(restore them from a backup): " + escape_markdown(", ".join(missing[:5]))
        )
