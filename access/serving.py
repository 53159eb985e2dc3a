"""The hand-over from launch.py to the server it starts, in the same process.

launch.py decides the port, makes the secret and calls `configure`; then
Streamlit imports journal_asgi.py, which builds the app behind the gate from
`current()` and runs `lifespan` when the server starts: it keeps the secret
in the state file, prints a one-time link and, on a desktop, opens the
browser on another one.

The browser is never given a link on its command line, where every account
on the computer can read it (`ps`, /proc/PID/cmdline): it is opened on a
0600 file in the data folder that moves on to the link, the way Jupyter
does. The file is removed when the server stops, and its code, once used,
opens nothing.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import webbrowser
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from access import launch_state
from access.notices import moving_on_page
from access.policy import Policy
from store.privacy import write_private

NOT_LAUNCHED = (
    "Healing Journal starts with `bash run.sh` (or `python launch.py`), which makes the secret; "
    "journal_asgi.py cannot be served on its own."
)
# The file the browser is opened on (see the module's notes).
LANDING_NAME = ".open-journal.html"


@dataclass(frozen=True)
class Launch:
    policy: Policy
    folder: Path
    # The host name in the printed link: 127.0.0.1, or the address served with --allow-remote.
    link_host: str = "127.0.0.1"
    open_browser: bool = False
    # Run (in a worker thread) once the server is up, and as it stops: launch.py's phone access.
    when_started: tuple[Callable[[], None], ...] = ()
    when_stopping: tuple[Callable[[], None], ...] = ()

    def new_link(self) -> str:
        """A fresh one-time link (every call mints another code)."""
        return self.policy.link(self.link_host)

    @property
    def state(self) -> launch_state.ServerState:
        return launch_state.ServerState(
            secret=self.policy.secret,
            port=self.policy.port,
            pid=os.getpid(),
            host=self.link_host,
            private_name=self.policy.private_name,
            https=self.policy.https,
        )


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
    """The link on a line of its own, exactly http://127.0.0.1:PORT/?code=CODE, for people and scripts."""
    if already_running:
        print("Healing Journal is already running for this journal. Open it with this new link:", flush=True)
    else:
        print("Healing Journal is running. Open it with this link:", flush=True)
    print(link, flush=True)
    print(
        "The link opens the journal once, in one browser. For another browser, run the start command again "
        "while the journal runs: it prints a fresh link.",
        flush=True,
    )
    if not already_running:
        print("Stop the journal with Ctrl+C.", flush=True)


def landing_path(folder: Path) -> Path:
    return folder / LANDING_NAME


def open_in_browser(folder: Path, link: str, *, background: bool = True) -> None:
    """Open the browser on a private file that moves on to `link` (never on the link itself).

    In the background for the server (a slow browser start must not hold it
    up); in the foreground for a second start, which exits right after.
    """
    landing = landing_path(folder)
    try:
        write_private(landing, moving_on_page(link))
    except OSError as exc:
        print(f"The browser could not be opened ({exc.strerror or exc}): open the link above.", file=sys.stderr)
        return
    if background:
        threading.Thread(target=webbrowser.open, args=(landing.as_uri(),), name="open-browser", daemon=True).start()
    else:
        webbrowser.open(landing.as_uri())


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Runs once the server is up (runtime started, port bound) and when it stops."""
    launch = current()
    try:
        launch_state.write(launch.folder, launch.state)
    except OSError as exc:  # the journal still works; only a second start's fresh link does not
        print(f"The link could not be kept in {launch.folder}: {exc.strerror or exc}", file=sys.stderr, flush=True)
    announce(launch.new_link())
    if launch.open_browser:
        open_in_browser(launch.folder, launch.new_link())
    for started in launch.when_started:
        await asyncio.to_thread(started)
    try:
        yield
    finally:
        for stopping in launch.when_stopping:
            await asyncio.to_thread(stopping)
        try:
            launch_state.remove_if_current(launch.folder, launch.policy.secret)
            landing_path(launch.folder).unlink(missing_ok=True)
        except OSError:
            pass  # a stale file fails the next start's check and is replaced
