"""The test files' order (tests/file_order.py): longest first, a file's tests kept together and in order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.file_order import COSTS, longest_files_first, read_costs

ROOT = Path(__file__).resolve().parent.parent


def test_costs_are_read_with_comments_and_blank_lines() -> None:
    text = "# seconds, path\n\n12.5 tests/test_b.py\n3 tests/test_a.py  # estimated\n"
    assert read_costs(text) == {"tests/test_b.py": 12.5, "tests/test_a.py": 3.0}


def test_the_recorded_list_reads() -> None:
    costs = read_costs(COSTS.read_text())
    assert costs and all(path.startswith("tests/test_") and seconds >= 0 for path, seconds in costs.items())


def test_unlisted_files_first_in_collection_order_then_the_longest() -> None:
    nodeids = [
        "tests/test_a.py::test_1",
        "tests/test_a.py::test_2",
        "tests/test_new.py::test_1",
        "tests/test_b.py::test_1",
        "tests/test_old.py::test_1",
        "tests/test_c.py::TestX::test_1",
        "tests/test_c.py::TestX::test_2",
    ]
    costs = {"tests/test_a.py": 5.0, "tests/test_b.py": 1.0, "tests/test_c.py": 60.0}
    ordered = [nodeids[index] for index in longest_files_first(nodeids, costs)]
    assert ordered == [
        "tests/test_new.py::test_1",
        "tests/test_old.py::test_1",
        "tests/test_c.py::TestX::test_1",
        "tests/test_c.py::TestX::test_2",
        "tests/test_a.py::test_1",
        "tests/test_a.py::test_2",
        "tests/test_b.py::test_1",
    ]


def test_a_run_records_each_files_seconds_longest_first(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_quick.py").write_text("def test_one():\n    pass\n")
    (suite / "test_slow.py").write_text("import time\n\ndef test_one():\n    time.sleep(0.3)\n")
    out = tmp_path / "costs.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.file_order", "--rootdir", str(tmp_path)]
        + ["--file-costs-out", str(out), str(suite)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    costs = read_costs(out.read_text())
    assert list(costs) == ["suite/test_slow.py", "suite/test_quick.py"], out.read_text()
    assert costs["suite/test_slow.py"] >= 0.3
