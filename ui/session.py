"""The one open journal of the app, shared by all browser tabs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from store import Journal, JournalError
from store.settings import default_data_dir


@st.cache_resource(show_spinner=False)
def _open(folder: str) -> Journal:
    # One Journal per data folder for the whole server: it hands each
    # Streamlit thread its own SQLite connection.
    return Journal.open(Path(folder))


def journal() -> Journal:
    return _open(str(default_data_dir()))


def reopen_journal() -> None:
    """Close the app's journal and forget it: the next page run opens its folder afresh
    (after a restore replaced the journal's files)."""
    journal().close()
    _open.clear()


def run_page(body: Callable[[], None]) -> None:
    """Run a page; the journal's named errors become one readable st.error."""
    try:
        body()
    except JournalError as exc:
        st.error(str(exc))


def flash(kind: str, message: str) -> None:
    """Keep a message for the next run, so it survives st.rerun()."""
    st.session_state.setdefault("_flash", []).append((kind, message))


def show_flashes() -> None:
    shows = {"success": st.success, "error": st.error, "warning": st.warning, "info": st.info}
    for kind, message in st.session_state.pop("_flash", []):
        shows[kind](message)
