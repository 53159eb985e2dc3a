"""The one settings seam: where the journal lives and what day it is.

Tests and the demo override both through environment variables or by passing
a `Settings` explicitly; nothing else in the app reads the environment.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from recovery.course import Thresholds

DATA_DIR_ENV = "JOURNAL_DATA_DIR"
# Pins "today" (ISO date) for tests, demos and screenshots.
TODAY_ENV = "JOURNAL_TODAY"
# The app's own thresholds the source document leaves open (recovery/course.py).
SPOT_DAYS_ENV = "JOURNAL_SPOT_CONSULT_DAYS"
APP_NAME = "HealingJournal"


def default_data_dir() -> Path:
    """The per-user data folder, unless JOURNAL_DATA_DIR says otherwise."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # imported here: only needed when no override is set

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def system_today() -> dt.date:
    pinned = os.environ.get(TODAY_ENV)
    if pinned:
        return dt.date.fromisoformat(pinned)
    return dt.date.today()


def default_thresholds() -> Thresholds:
    spot_days = os.environ.get(SPOT_DAYS_ENV)
    return Thresholds(spot_consult_days=int(spot_days)) if spot_days else Thresholds()


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    today: Callable[[], dt.date] = system_today
    thresholds: Thresholds = field(default_factory=default_thresholds)


def current() -> Settings:
    return Settings()
