"""The first page made ready while the browser loads (ui.warm_up, issue 21's cold first page).

Each case runs in its own interpreter, as a launched server is: the preparation
is once per process, and it imports the app's modules.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.demo_journals import DemoJournals

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)

PREPARED = """
from healing_journal.workspace import Workspace
from recovery.language import speaking
from recovery.today import today_in_course
from ui import warm_up
from ui.charts import chart_specs
from ui.session import journal

warm_up.start()
warm_up.wait()
workspace = Workspace(journal())
areas = workspace.snapshot.treated_areas()
assert areas


def built_again():
    raise AssertionError("Home's trends were built again: the preparation did not keep them")


for area in areas:
    today = today_in_course(workspace.snapshot, area, workspace.view.baseline(area))
    with speaking(workspace.language):  # as the first run speaks it: the journal's language
        specs = chart_specs(workspace, ("trend", today.area, today.treatment.id), built_again)
    assert specs, area
print("kept", len(areas), "in", workspace.language)
"""

BROKEN = """
from streamlit.testing.v1 import AppTest
from ui import warm_up

warm_up.start()
warm_up.wait()
app = AppTest.from_file(sys_argv_app, default_timeout=120).run()
assert not app.exception, app.exception
print("said:", " ".join(error.value for error in app.error))
"""


def _run(script: str, folder: Path, today: str) -> str:
    env = {**os.environ, "JOURNAL_DATA_DIR": str(folder), "JOURNAL_TODAY": today, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize("language", [None, "ar"])
def test_home_trends_are_built_before_the_first_run_asks(
    demo_journals: DemoJournals, tmp_path: Path, language: str | None
) -> None:
    demo_journals.copy(tmp_path / "journal", today=TODAY)  # the face, 28 days
    if language:  # chosen on the Profile page: the charts' words are in it
        with closing(sqlite3.connect(tmp_path / "journal" / "journal.sqlite3")) as db, db:
            db.execute("UPDATE profile SET language = ?", (language,))
    said = _run(PREPARED, tmp_path / "journal", TODAY.isoformat())
    assert f"kept 1 in {language or 'en'}" in said, said


def test_a_journal_that_cannot_open_is_still_explained_by_the_first_run(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the journal's folder should be")
    script = f"sys_argv_app = {str(ROOT / 'journal_app.py')!r}\n" + BROKEN
    said = _run(script, blocked, TODAY.isoformat())
    assert "cannot be created" in said and "not\\-a\\-folder" in said, said  # Markdown-escaped
