"""Opening a test's journal folder again, as the app (or the patient's next start) opens it.

Most tests pin "today" to FIXED_DAY; a module on another day passes its own.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from healing_journal import Journal, Settings

FIXED_DAY = dt.date(2026, 11, 24)


def reopen(folder: Path, today: dt.date = FIXED_DAY) -> Journal:
    """The journal in `folder`, with "today" pinned to `today` (close it, or use it in a `with`)."""
    return Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today))
