"""The photo work done after a save's answer: one background thread per open journal.

Log a day stores a photo (checked, decoded, written, its row committed) and
answers; the card, the alignment to the area's first photo and the
measurements, most of a save's time (benchmarks/README.md, "Issue 21: the
photo save"), are done here afterwards. Until then the photo's row says
`measuring = 1`: it is shown as being lined up and measured, never as measured.

The work itself (`measure_next`, given by the journal) picks one waiting photo,
measures it without the write lock and commits it only if nothing it was
measured against changed meanwhile; it returns False when nothing is waiting.
A waiting row outlives a crash: the next open starts the thread again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

_log = logging.getLogger(__name__)


class PhotoWork:
    """Runs `measure_next` in a thread of its own until nothing is waiting."""

    def __init__(self, measure_next: Callable[[], bool], release_thread: Callable[[], None]):
        self._measure_next = measure_next
        self._release_thread = release_thread
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False  # more work arrived while the thread was finishing
        self._closing = False

    def start(self) -> None:
        """Make sure the thread runs (it ends by itself when nothing is left)."""
        with self._lock:
            if self._closing:
                return
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._again = False
            self._thread = threading.Thread(target=self._run, name="photo-work", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; False if it still runs after `timeout` seconds."""
        with self._lock:
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def close(self) -> None:
        """Let the photo being measured finish, start no other, and wait for the thread."""
        with self._lock:
            self._closing = True
        self.wait()

    def _run(self) -> None:
        try:
            while True:
                while not self._closing and self._measure_next():
                    pass
                with self._lock:
                    if self._closing or not self._again:
                        self._thread = None if self._thread is threading.current_thread() else self._thread
                        return
                    self._again = False
        except Exception:
            # The photo stays waiting (shown as being measured) and is tried again on
            # the next page run or open; the app must go on meanwhile.
            _log.exception("Measuring a saved photo failed; it will be tried again.")
            with self._lock:
                self._thread = None if self._thread is threading.current_thread() else self._thread
        finally:
            self._release_thread()
