"""Which browsers gave the app-lock passphrase, until they are idle or "Lock now" is pressed.

Kept in the server's memory only: a restart asks every browser again. A
browser stays unlocked while it is used: each page run (`is_open` with
touch=True) starts its idle time again; the watch that looks every few
seconds whether a screen must be hidden looks without touching. The clock
is monotonic (changing the computer's time does not unlock or lock anyone)
and injectable, so tests need not sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class UnlockedBrowsers:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._guard = threading.Lock()
        self._last_run: dict[str, float] = {}  # browser (or session) -> its last page run

    def unlock(self, browser: str) -> None:
        with self._guard:
            self._last_run[browser] = self._clock()

    def is_open(self, browser: str, idle_s: float, *, touch: bool = True) -> bool:
        """Whether `browser` is unlocked and was used within `idle_s`; an idle one is locked again.

        With `touch` (a page run) its idle time starts again."""
        with self._guard:
            last = self._last_run.get(browser)
            if last is None:
                return False
            now = self._clock()
            if now - last >= idle_s:
                del self._last_run[browser]
                return False
            if touch:
                self._last_run[browser] = now
            return True

    def lock_all(self) -> None:
        """Lock now: every browser is asked for the passphrase again."""
        with self._guard:
            self._last_run.clear()
