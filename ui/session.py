"""The app's one open journal, and the workspace of each run.

The environment is read here, at the app's entry (JOURNAL_DATA_DIR,
JOURNAL_TODAY, ...), and nowhere below. Every page run gets one `Workspace`:
the journal read once and judged once, shared by everything the page shows.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st

from healing_journal import Journal
from healing_journal.workspace import Workspace
from store.errors import JournalError
from store.settings import DATA_DIR_ENV, SPOT_DAYS_ENV, TODAY_ENV, Settings
from ui.heap import freeze_imports
from ui.widgets import escape_markdown

_ENVIRONMENT = (DATA_DIR_ENV, TODAY_ENV, SPOT_DAYS_ENV)
# One Journal per data folder (and pinned settings) for the whole server: it
# hands each Streamlit thread its own SQLite connection.
_OPEN: dict[tuple[str | None, ...], Journal] = {}
_OPENING = threading.Lock()
# This run's workspace: the frame (the run's language, ui.language) and the page share
# one snapshot. A context variable: each session's run has its own thread.
_RUN_WORKSPACE: ContextVar[Workspace | None] = ContextVar("run_workspace", default=None)


def _settings_key() -> tuple[str | None, ...]:
    return tuple(os.environ.get(name) for name in _ENVIRONMENT)


def journal() -> Journal:
    """The open journal of the folder the environment names."""
    key = _settings_key()
    with _OPENING:
        if key not in _OPEN:
            environ = {name: value for name, value in zip(_ENVIRONMENT, key) if value is not None}
            _OPEN[key] = Journal.open(settings=Settings.from_environment(environ))
        return _OPEN[key]


def reopen_journal() -> None:
    """Close and forget the open journal: the next page run opens its folder afresh
    (after a restore replaced the journal's files)."""
    with _OPENING:
        opened = _OPEN.pop(_settings_key(), None)
    if opened is not None:
        opened.close()


@contextmanager
def app_run() -> Iterator[Journal]:
    """The boundary of one run of the app (journal_app.py): the journal opened, or why
    not said and the run stopped; afterwards the run's connection handed back."""
    try:
        current = journal()
    except JournalError as problem:
        # A data folder that cannot be created, read or written (full disk, no
        # permission, a damaged database): say so instead of showing a traceback.
        st.error(escape_markdown(str(problem)))
        st.stop()
    token = _RUN_WORKSPACE.set(Workspace(current))
    try:
        yield current
    finally:
        _RUN_WORKSPACE.reset(token)
        # The next run comes in a new thread: hand this one's connection back now.
        current.release_thread()
        # Streamlit collects garbage after every run: keep that walk short (ui.heap).
        freeze_imports()


def run_workspace() -> Workspace:
    """This run's workspace (inside app_run; a new one outside, for a page run bare)."""
    return _RUN_WORKSPACE.get() or Workspace(journal())


def run_page(body: Callable[[Workspace], None]) -> None:
    """Run a page on this run's workspace (inside app_run); the journal's named
    errors become one readable st.error, the one place a page turns them into words."""
    try:
        body(run_workspace())
    except JournalError as exc:
        # Messages name files, folders and what the patient typed: text, never Markdown.
        st.error(escape_markdown(str(exc)))


TOP = "top"  # under the page's title


def flash(kind: str, message: str, code: str | None = None, place: str = TOP) -> None:
    """Keep a message for the next run, so it survives st.rerun(); `code` (a command to
    copy) is shown under it as code. Both are shown as text, never as Markdown.
    `place` names where the page shows it (show_flashes): a message about a button
    belongs next to that button, where a patient on a phone is looking."""
    st.session_state.setdefault("_flash", []).append((kind, message, code, place))


def say(kind: str, message: str) -> None:
    """One message in its box ("success", "error", "warning" or "info"), as text, never Markdown."""
    shows = {"success": st.success, "error": st.error, "warning": st.warning, "info": st.info}
    shows[kind](escape_markdown(message))


def show_flashes(place: str = TOP) -> None:
    kept = []
    for kind, message, code, where in st.session_state.pop("_flash", []):
        if where != place:
            kept.append((kind, message, code, where))
            continue
        say(kind, message)
        if code:
            st.code(code, language=None)
    if kept:
        st.session_state["_flash"] = kept
