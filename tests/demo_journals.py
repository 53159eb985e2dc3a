"""Demo journals built once per test run and copied for each test that wants one.

`build_demo` takes seconds to tens of seconds (a photo a day is stored and
measured like any other); several modules ask for the same one. The pristine
build is kept in the run's temporary folder, shared by the pytest-xdist
workers of the run (a lock per build, so one worker builds and the others
wait); every user gets its own copy, so no test sees another's changes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from demo.generate import build_demo

DONE = ".built"
DEFAULT_AREAS = ("face",)


class DemoJournals:
    def __init__(self, cache: Path) -> None:
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)

    def copy(
        self,
        target: Path,
        *,
        today: dt.date,
        days: int = 28,
        areas: Sequence[str] | None = None,
        photo_every_day: bool = False,
    ) -> Path:
        """A fresh copy in `target` (which must not exist) of build_demo(days, areas, today, photo_every_day)."""
        areas = list(areas or DEFAULT_AREAS)  # build_demo's default, so both spellings share one build
        key = f"{today.isoformat()}-{days}d-{'+'.join(areas)}{'-photos' if photo_every_day else ''}"
        pristine = self.cache / key
        with _locked(self.cache / f"{key}.lock"):
            if not (pristine / DONE).exists():
                shutil.rmtree(pristine, ignore_errors=True)  # a build interrupted earlier in this run
                build_demo(
                    pristine / "journal",
                    days=days,
                    areas=areas,
                    today=today,
                    photo_every_day=photo_every_day,
                )
                (pristine / DONE).touch()
        shutil.copytree(pristine / "journal", target)  # modes kept: the journal stays private
        return target


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def demo_journals(tmp_path_factory: pytest.TempPathFactory) -> DemoJournals:
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each worker's base is inside the run's folder: share that one.
    run_folder = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return DemoJournals(run_folder / "demo-journals")
