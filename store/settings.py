"""The one settings seam: where the journal lives, what day it is, and the
thresholds the source document leaves open.

The environment is read here, in `Settings.from_environment`, and only the
entry points (the app, the CLI, the launcher, the demo) call it; everything
below receives a `Settings`. Tests build one directly.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from recovery.course import Thresholds

DATA_DIR_ENV = "JOURNAL_DATA_DIR"
# Pins "today" (ISO date) for tests, demos and screenshots.
TODAY_ENV = "JOURNAL_TODAY"
# The app's own thresholds the source document leaves open (recovery/course.py).
SPOT_DAYS_ENV = "JOURNAL_SPOT_CONSULT_DAYS"
APP_NAME = "HealingJournal"


def user_data_dir() -> Path:
    """The per-user data folder of this computer (no environment override)."""
    import platformdirs  # imported here: only needed when no folder is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=user_data_dir)
    today: Callable[[], dt.date] = dt.date.today
    thresholds: Thresholds = Thresholds()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from JOURNAL_DATA_DIR, JOURNAL_TODAY and JOURNAL_SPOT_CONSULT_DAYS."""
        env = os.environ if environ is None else environ
        folder = env.get(DATA_DIR_ENV)
        pinned = env.get(TODAY_ENV)
        spot_days = env.get(SPOT_DAYS_ENV)
        return cls(
            data_dir=Path(folder).expanduser() if folder else user_data_dir(),
            today=_pinned(dt.date.fromisoformat(pinned)) if pinned else dt.date.today,
            thresholds=Thresholds(spot_consult_days=int(spot_days)) if spot_days else Thresholds(),
        )

    def for_folder(self, folder: Path) -> Settings:
        """The same settings for another journal folder."""
        return Settings(data_dir=folder, today=self.today, thresholds=self.thresholds)


def _pinned(day: dt.date) -> Callable[[], dt.date]:
    def today() -> dt.date:
        return day

    return today
