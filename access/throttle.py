"""A growing delay after wrong passphrases, shared by every browser session of the server.

One try at a time, whichever session it comes from; after n wrong tries in
a row the next one waits `delay(n)` seconds (1, 2, 4, ... up to a minute),
on the server, before the passphrase is even checked. Guessing from many
tabs at once therefore goes no faster than from one. A right passphrase
resets the count.

Given the journal folder, the count and the wall-clock time of the next try
are kept there (store.app_lock.TRIES_NAME), so restarting the server does not
cut a minute's wait short. The wait is always clamped to `delay(failures)`:
a clock set back (or a deadline from the future) never locks the patient out
for longer than the count earned.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from store import app_lock
from store.app_lock import Tries
from store.errors import StorageError

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 60.0


def delay(failures: int) -> float:
    """Seconds to wait before the next try after `failures` wrong ones in a row."""
    if failures <= 0:
        return 0.0
    doubled: float = FIRST_DELAY_S * 2.0 ** min(failures - 1, 16)
    return min(MAX_DELAY_S, doubled)


def remaining_s(tries: Tries, now: float) -> float:
    """Seconds until the next try, never below 0 nor above what the count earned."""
    return min(max(0.0, tries.next_try - now), delay(tries.failures))


class Throttle:
    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        folder: Path | None = None,
    ) -> None:
        self._clock = clock  # wall-clock seconds: the deadline outlives the process
        self._sleep = sleep
        self._folder = folder
        self._turn = threading.Lock()  # one try at a time
        self._state = threading.Lock()  # guards the field below
        self._tries = app_lock.read_tries(folder) if folder is not None else Tries()

    @property
    def failures(self) -> int:
        with self._state:
            return self._tries.failures

    def wait_s(self) -> float:
        """Seconds until the next try will be checked (0 when it would be checked now)."""
        with self._state:
            return remaining_s(self._tries, self._clock())

    def attempt(self, check: Callable[[], bool]) -> bool:
        """Wait out the delay, then run `check` (the slow hash comparison); its result.

        A wrong try that cannot be written to the folder raises StorageError
        (it still counts while this server runs)."""
        with self._turn:
            remaining = self.wait_s()
            if remaining > 0:
                self._sleep(remaining)
            right = check()
            with self._state:
                if right:
                    self._tries = Tries()
                else:
                    failures = self._tries.failures + 1
                    self._tries = Tries(failures, self._clock() + delay(failures))
                tries = self._tries
            self._keep(tries, right)
            return right

    def _keep(self, tries: Tries, right: bool) -> None:
        if self._folder is None:
            return
        try:
            app_lock.write_tries(self._folder, tries)
        except StorageError:
            if not right:
                raise
            # A stale count left on disk costs the patient at most one delay after a restart.


class Throttles:
    """One Throttle per journal folder, shared by every session of the server."""

    def __init__(self, clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._guard = threading.Lock()
        self._by_folder: dict[Path, Throttle] = {}

    def for_folder(self, folder: Path) -> Throttle:
        with self._guard:
            if folder not in self._by_folder:
                self._by_folder[folder] = Throttle(self._clock, self._sleep, folder)
            return self._by_folder[folder]
