"""One-time pairing codes, and the growing wait after wrong ones.

"Use my phone" (or `launch.py --phone`) makes a code: 128 random bits in the
QR code's link, good for one phone, once, within 10 minutes. Only its
SHA-256 is kept, in this process's memory: a restart forgets every code (the
phones already paired keep working). A wrong code, an expired or a used one
makes the next try wait longer (1, 2, 4, ... up to 60 seconds, as the app
lock's passphrase does), so guessing is hopeless as well as impossible.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable

from access.throttle import delay

CODE_BYTES = 16
LIFETIME_S = 10 * 60


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8", "replace")).hexdigest()


class PairingCodes:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._guard = threading.Lock()
        self._expiry: dict[str, float] = {}  # SHA-256 of a code -> when it stops working
        self._wrong = 0

    def new(self) -> str:
        code = secrets.token_urlsafe(CODE_BYTES)
        with self._guard:
            self._forget_expired()
            self._expiry[_digest(code)] = self._clock() + LIFETIME_S
        return code

    def valid(self, code: str) -> bool:
        """Whether `code` would pair a phone now (it is not used up by asking)."""
        with self._guard:
            self._forget_expired()
            return _digest(code) in self._expiry

    def use(self, code: str) -> bool:
        """True once for a live code (it is then gone); False for any other, which counts as a wrong try."""
        with self._guard:
            self._forget_expired()
            if self._expiry.pop(_digest(code), None) is not None:
                self._wrong = 0
                return True
            self._wrong += 1
            return False

    def wrong_try(self) -> None:
        with self._guard:
            self._wrong += 1

    def wait_s(self) -> float:
        """Seconds the next answer about a code waits, after the wrong tries so far."""
        with self._guard:
            return delay(self._wrong)

    def forget_all(self) -> None:
        """Stop phone access: no code made so far pairs anything."""
        with self._guard:
            self._expiry.clear()

    def _forget_expired(self) -> None:
        now = self._clock()
        for digest in [digest for digest, end in self._expiry.items() if end <= now]:
            del self._expiry[digest]
