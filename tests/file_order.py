"""Test files ordered longest first, so the two pytest-xdist workers end together.

`--dist loadfile` hands whole files to the workers, in the order of the items
(with `--no-loadscope-reorder`: xdist's own reorder sorts files by how many
tests they hold, which sends the browser files, a few long tests each, to the
end of the run, where one worker runs them while the other is idle). Here the
files are sorted by the seconds recorded for each in `file_costs.txt`, longest
first (longest-processing-time-first scheduling). Files not listed there (new
ones) come first, in collection order: one of them may be long, and a long file
hurts only at the end of the run, where a short one costs nothing. The order
inside a file is kept.

`file_costs.txt`: one file a line, "SECONDS PATH" (as pytest's node ids start,
e.g. `tests/test_pages.py`), `#` comments. The figures only order the files; a
stale one costs balance, never a test. `pytest --file-costs-out PATH` (with or
without `-n`) writes each file's seconds in this run, setup and teardown
included, in that form: copy it over file_costs.txt after a whole run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

COSTS = Path(__file__).with_name("file_costs.txt")
# Seconds per test file in this run (setup, call and teardown reports), for --file-costs-out.
_seconds: dict[str, float] = {}


def read_costs(text: str) -> dict[str, float]:
    """{path: seconds} from the lines of file_costs.txt."""
    costs: dict[str, float] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            seconds, path = line.split(maxsplit=1)
            costs[path] = float(seconds)
    return costs


def file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def longest_files_first(nodeids: list[str], costs: dict[str, float]) -> list[int]:
    """The indexes of `nodeids` in run order: unlisted files first, as collected, then by cost, longest first."""
    first_seen: dict[str, int] = {}
    for index, nodeid in enumerate(nodeids):
        first_seen.setdefault(file_of(nodeid), index)

    def key(index: int) -> tuple[bool, float, int]:
        path = file_of(nodeids[index])
        return path in costs, -costs.get(path, 0.0), first_seen[path]

    return sorted(range(len(nodeids)), key=key)  # stable: a file's own order is kept


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    order = longest_files_first([item.nodeid for item in items], read_costs(COSTS.read_text()))
    items[:] = [items[index] for index in order]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--file-costs-out",
        metavar="PATH",
        help="write each test file's seconds in this run (setup, call, teardown) to PATH, longest first",
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # In a run on workers, the reports of every worker reach the controller too.
    path = file_of(report.nodeid)
    _seconds[path] = _seconds.get(path, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    out = session.config.getoption("file_costs_out")
    if out and not hasattr(session.config, "workerinput"):  # the controller (or the only process) writes
        lines = [f"{_seconds[path]:.1f} {path}" for path in sorted(_seconds, key=lambda path: -_seconds[path])]
        Path(out).write_text("\n".join(lines) + "\n")
