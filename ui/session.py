"""The app's one open journal, and the workspace of each run.

The environment is read here, at the app's entry (JOURNAL_DATA_DIR,
JOURNAL_TODAY, ...), and nowhere below. Every page run gets one `Workspace`:
the journal read once and judged once, shared by everything the page shows.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import streamlit as st

from healing_journal.workspace import Workspace
from store.errors import JournalError
from store.journal import Journal
from store.settings import DATA_DIR_ENV, SPOT_DAYS_ENV, TODAY_ENV, Settings


@st.cache_resource(show_spinner=False)
def _open(data_dir: str | None, today: str | None, spot_days: str | None) -> Journal:
    # One Journal per data folder (and pinned settings) for the whole server:
    # it hands each Streamlit thread its own SQLite connection.
    environ = {
        name: value
        for name, value in ((DATA_DIR_ENV, data_dir), (TODAY_ENV, today), (SPOT_DAYS_ENV, spot_days))
        if value is not None
    }
    return Journal.open(settings=Settings.from_environment(environ))


def journal() -> Journal:
    """The open journal of the folder the environment names."""
    return _open(*(os.environ.get(name) for name in (DATA_DIR_ENV, TODAY_ENV, SPOT_DAYS_ENV)))


def forget_journal() -> None:
    """Close and forget the open journal (after its folder was replaced)."""
    journal().close()
    _open.clear()


def run_page(body: Callable[[Workspace], None]) -> None:
    """Run a page on this run's workspace; the journal's named errors become one
    readable st.error, and the run's database connection is closed afterwards."""
    current = journal()
    try:
        body(Workspace(current))
    except JournalError as exc:
        st.error(str(exc))
    finally:
        current.release_thread()


def flash(kind: str, message: str) -> None:
    """Keep a message for the next run, so it survives st.rerun()."""
    st.session_state.setdefault("_flash", []).append((kind, message))


def show_flashes() -> None:
    shows = {"success": st.success, "error": st.error, "warning": st.warning, "info": st.info}
    for kind, message in st.session_state.pop("_flash", []):
        shows[kind](message)
