"""A few recent results, kept by a key that names everything they depend on.

Used where a page run would otherwise rebuild, from the same journal content,
what the previous click already built (the snapshot's records, the recovery
view, the chart's specification). The key always carries the snapshot's
`revision`, a fingerprint of every row read, so a changed journal can never
be answered from here: it simply misses, and the few old entries age out.
The values are immutable (frozen records, or copied before use), so every
session and thread may share them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class RecentResults(Generic[Value]):
    """The `size` most recently used results, by key; thread-safe."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._results: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The result kept under `key`, or `make()`'s, then kept.

        `make` runs outside the lock: two sessions asking for the same missing
        key at once both build it (the same value); neither waits for the other.
        """
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        value = make()
        with self._lock:
            self._results[key] = value
            self._results.move_to_end(key)
            while len(self._results) > self._size:
                self._results.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._results.clear()
