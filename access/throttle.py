"""A growing delay after wrong passphrases, shared by every browser session of the server.

One try at a time, whichever session it comes from; after n wrong tries in
a row the next one waits `delay(n)` seconds (1, 2, 4, ... up to a minute),
on the server, before the passphrase is even checked. Guessing from many
tabs at once therefore goes no faster than from one. A right passphrase
resets the count.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 60.0


def delay(failures: int) -> float:
    """Seconds to wait before the next try after `failures` wrong ones in a row."""
    if failures <= 0:
        return 0.0
    doubled: float = FIRST_DELAY_S * 2.0 ** min(failures - 1, 16)
    return min(MAX_DELAY_S, doubled)


class Throttle:
    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._turn = threading.Lock()  # one try at a time
        self._state = threading.Lock()  # guards the two fields below
        self._failures = 0
        self._next_try = 0.0

    @property
    def failures(self) -> int:
        with self._state:
            return self._failures

    def wait_s(self) -> float:
        """Seconds until the next try will be checked (0 when it would be checked now)."""
        with self._state:
            return max(0.0, self._next_try - self._clock())

    def attempt(self, check: Callable[[], bool]) -> bool:
        """Wait out the delay, then run `check` (the slow hash comparison); its result."""
        with self._turn:
            remaining = self.wait_s()
            if remaining > 0:
                self._sleep(remaining)
            right = check()
            with self._state:
                if right:
                    self._failures, self._next_try = 0, 0.0
                else:
                    self._failures += 1
                    self._next_try = self._clock() + delay(self._failures)
            return right
