"""What one page run builds is reused by the next only for the very same journal.

The snapshot's records, the recovery view and the chart's specification are
kept under the snapshot's revision (a fingerprint of every row read): any
change to the journal, made here or by another program, must show at once.
"""

from __future__ import annotations

import datetime as dt
import gc
import sqlite3
from pathlib import Path

from charts.course_chart import recovery_chart, vega_lite_spec
from healing_journal import Journal
from recovery.vocabulary import Sign
from store.journal import DB_NAME
from store.recent import RecentResults
from store.settings import Settings
from tests.conftest import FIXED_DAY
from ui.heap import freeze_imports


def test_recent_results_keep_the_latest_few_by_key() -> None:
    recent: RecentResults[str] = RecentResults(size=2)
    made: list[str] = []

    def make(value: str) -> str:
        made.append(value)
        return value

    assert recent.get("a", lambda: make("A")) == "A"
    assert recent.get("a", lambda: make("again")) == "A"
    recent.get("b", lambda: make("B"))
    recent.get("c", lambda: make("C"))  # "a" is the oldest: it goes
    assert recent.get("a", lambda: make("A2")) == "A2"
    assert made == ["A", "B", "C", "A2"]


def test_an_unchanged_journal_gives_the_same_records(journal: Journal) -> None:
    journal.add_treatment(FIXED_DAY, ["face"], device="Pen", needle_depth_mm=1.0)
    journal.save_entry(FIXED_DAY, "face", redness=3)
    first, second = journal.snapshot(), journal.snapshot()
    assert second is first
    assert journal.workspace().view is journal.workspace().view


def test_a_change_through_the_journal_shows_at_once(journal: Journal) -> None:
    journal.add_treatment(FIXED_DAY, ["face"], device="Pen", needle_depth_mm=1.0)
    journal.save_entry(FIXED_DAY, "face", redness=3)
    before = journal.workspace()
    assert [e.rating(Sign.REDNESS) for e in before.view.snapshot.entries] == [3]
    journal.save_entry(FIXED_DAY, "face", redness=4)
    after = journal.workspace()
    assert after.snapshot.revision != before.snapshot.revision
    assert [e.rating(Sign.REDNESS) for e in after.snapshot.entries] == [4]
    assert after.view is not before.view


def test_a_change_by_another_program_shows_at_once(journal: Journal) -> None:
    journal.save_profile(name="Ann")
    assert journal.snapshot().profile.name == "Ann"
    other = sqlite3.connect(journal.folder / DB_NAME)
    with other:
        other.execute("UPDATE profile SET name = 'Bea' WHERE id = 1")
    other.close()
    assert journal.snapshot().profile.name == "Bea"


def test_the_same_rows_on_another_day_are_judged_on_that_day(tmp_path: Path) -> None:
    days = [FIXED_DAY]
    folder = tmp_path / "journal"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: days[0])) as journal:
        journal.add_treatment(FIXED_DAY, ["face"], device="Pen", needle_depth_mm=1.0)
        journal.save_entry(FIXED_DAY, "face", redness=3)
        first = journal.workspace()
        assert first.view.snapshot.today == FIXED_DAY
        days[0] = FIXED_DAY + dt.timedelta(days=20)
        later = journal.workspace()
        assert later.snapshot.revision == first.snapshot.revision
        assert (first.snapshot.today, later.snapshot.today) == (FIXED_DAY, days[0])
        assert later.view is not first.view


def test_the_kept_chart_specification_is_the_charts_own() -> None:
    from tests import builders

    start = dt.date(2026, 11, 1)
    rows = [{"day": start + dt.timedelta(days=d), "redness": max(0, 3 - d)} for d in range(8)]
    chart = recovery_chart(builders.snapshot(rows, [{"id": 1, "day": start}]).entries, width=400)
    validated = chart.to_dict()  # validates against the Vega-Lite schema
    kept = vega_lite_spec(chart)
    # The same views and tables; without Altair's default theme, as st.altair_chart shows it.
    assert kept["vconcat"] == validated["vconcat"]
    assert kept["datasets"] == validated["datasets"]
    assert "continuousWidth" not in kept["config"].get("view", {})
    assert {k: v for k, v in kept["config"].items() if k != "view"} == {
        k: v for k, v in validated["config"].items() if k != "view"
    }


def test_imported_objects_are_frozen_once_per_new_import() -> None:
    freeze_imports()
    assert not freeze_imports()  # nothing imported since
    assert gc.get_freeze_count() > 0


def test_what_a_chart_page_shows_beside_its_charts_is_kept_for_the_same_view_only(journal: Journal) -> None:
    # The Recovery chart's words and table alternative are built once per view (ui.charts.kept).
    from ui.charts import kept

    journal.add_treatment(FIXED_DAY, ["face"], device="Pen", needle_depth_mm=1.0)
    journal.save_entry(FIXED_DAY, "face", redness=3)
    built: list[int] = []

    def build() -> list[int]:
        ratings = [e.rating(Sign.REDNESS) or 0 for e in journal.snapshot().entries]
        built.append(ratings[0])
        return ratings

    first = kept(journal.workspace(), ("test", "face"), build)
    assert kept(journal.workspace(), ("test", "face"), build) is first
    assert kept(journal.workspace(), ("test", "neck"), build) is not first  # another choice of the page
    journal.save_entry(FIXED_DAY, "face", redness=4)
    assert kept(journal.workspace(), ("test", "face"), build) == [4]
    assert built == [3, 3, 4]


def test_charts_the_browser_draws_keep_their_tables_as_streamlit_sends_them(journal: Journal) -> None:
    # Home's trends: each table turned into Arrow bytes once per view, not by Streamlit at every visit.
    import pyarrow as pa

    from charts.course_chart import configure, course_data, course_panels
    from ui.charts import chart_specs, live_specs

    journal.add_treatment(FIXED_DAY - dt.timedelta(days=3), ["face"], device="Pen", needle_depth_mm=1.0)
    for day in range(4):
        journal.save_entry(FIXED_DAY - dt.timedelta(days=3 - day), "face", redness=3 - day)

    def build() -> list[object]:
        return [configure(p.chart) for p in course_panels(course_data(journal.snapshot().entries), compact=True)]

    workspace = journal.workspace()
    live = live_specs(workspace, ("test-trend",), build)
    assert live_specs(journal.workspace(), ("test-trend",), build) is live
    plain = chart_specs(workspace, ("test-trend",), build)
    redness = plain[1]["datasets"]
    assert redness and all(isinstance(table, bytes) for table in live[1]["datasets"].values())
    for name, rows in redness.items():
        table = pa.ipc.open_stream(live[1]["datasets"][name]).read_all().to_pylist()
        assert [{k: v for k, v in row.items() if not k.startswith("__")} for row in table] == rows
    assert {k: v for k, v in live[1].items() if k != "datasets"} == {
        k: v for k, v in plain[1].items() if k != "datasets"
    }
