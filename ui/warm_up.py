"""The first page made ready while the browser is still loading Streamlit's frontend.

Once the one-time link is printed, the patient's browser spends a second or
more fetching the frontend before it asks for its first page. The server
spends that time on what the first run would otherwise do while the patient
waits: import the app's modules, open and judge the journal, and build Home's
charts. What it builds is kept as any run's is (under the journal's
`revision`), so a journal changed in the meantime is simply built afresh.
"""

from __future__ import annotations

import threading

# Long enough for a year-long journal on a busy machine; past it the run goes
# on and builds what it needs itself.
WAIT_AT_MOST_S = 60.0

_started = threading.Event()
_done = threading.Event()


def start() -> None:
    """Begin making the first page ready, beside the server (launch.py calls it once the link is out)."""
    _started.set()
    threading.Thread(target=_prepare, name="first-page", daemon=True).start()


def wait() -> None:
    """Called at the top of every run: the first one waits until the preparation is over,
    so that two threads never import the same modules or open the journal at once."""
    if _started.is_set():
        _done.wait(WAIT_AT_MOST_S)


def _prepare() -> None:
    try:
        from healing_journal.workspace import Workspace
        from ui.home_today import prepare
        from ui.session import journal

        current = journal()
        try:
            prepare(Workspace(current))
        finally:
            current.release_thread()
    except Exception:  # best effort: the first run meets the same problem and says it
        pass
    finally:
        _done.set()
