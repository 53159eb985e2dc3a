"""The hand-over from launch.py to the server it starts, in the same process.

launch.py decides the port, makes the secret and calls `configure`; then
Streamlit imports journal_asgi.py, which builds the app behind the gate from
`current()` and runs `lifespan` when the server starts: it keeps the link in
the state file, prints it and, on a desktop, opens the browser on it.
"""

from __future__ import annotations

import os
import sys
import threading
import webbrowser
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from access import launch_state
from access.policy import Policy

NOT_LAUNCHED = (
    "Healing Journal starts with `bash run.sh` (or `python launch.py`), which makes the secret link; "
    "journal_asgi.py cannot be served on its own."
)


@dataclass(frozen=True)
class Launch:
    policy: Policy
    folder: Path
    # The host name in the printed link: 127.0.0.1, or the address served with --allow-remote.
    link_host: str = "127.0.0.1"
    open_browser: bool = False

    @property
    def link(self) -> str:
        return self.policy.link(self.link_host)


_launch: Launch | None = None


def configure(launch: Launch) -> None:
    global _launch
    _launch = launch


def current() -> Launch:
    if _launch is None:
        raise RuntimeError(NOT_LAUNCHED)
    return _launch


def desktop_present() -> bool:
    """A browser can be opened: macOS, Windows, or a Linux/BSD session with a display."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def announce(link: str, *, already_running: bool = False) -> None:
    """The link on a line of its own, exactly http://127.0.0.1:PORT/?token=SECRET, for people and scripts."""
    if already_running:
        print("Healing Journal is already running for this journal. Open it with this link:", flush=True)
        print(link, flush=True)
        print("Only a browser that opened this link gets in. Stop the journal where it was started.", flush=True)
    else:
        print("Healing Journal is running. Open it with this link (a new one at every start):", flush=True)
        print(link, flush=True)
        print("Only a browser that opened this link gets in. Stop the journal with Ctrl+C.", flush=True)


def open_in_browser(link: str) -> None:
    # In a thread: a slow browser start must not hold up the server.
    threading.Thread(target=webbrowser.open, args=(link,), name="open-browser", daemon=True).start()


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Runs once the server is up (runtime started, port bound) and when it stops."""
    launch = current()
    link = launch.link
    try:
        launch_state.write(launch.folder, launch_state.ServerState(link=link, pid=os.getpid()))
    except OSError as exc:  # the journal still works; only the re-show of the link does not
        print(f"The link could not be kept in {launch.folder}: {exc.strerror or exc}", file=sys.stderr, flush=True)
    announce(link)
    if launch.open_browser:
        open_in_browser(link)
    try:
        yield
    finally:
        try:
            launch_state.remove_if_current(launch.folder, link)
        except OSError:
            pass  # a stale file fails the next start's check and is replaced
