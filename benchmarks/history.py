"""A year of data versus a week: time to render the home, recovery chart and photos pages.

Both journals are demo journals (two areas, a photo of each area every day)
ending on the same day; each page is rendered in a fresh AppTest (a new
browser session; the shared Journal stays open, as on the real server) with
JOURNAL_DATA_DIR and JOURNAL_TODAY pinned, alternating week and year.
"""

from __future__ import annotations

import os

from benchmarks import DEMO_TODAY, ROOT, demo_journal, interleaved, log, median, row

NAME = "history"
TITLE = "Page render, a year of data (730 photos) vs one week (14 photos)"
TARGET = 2.0
PAGES = [("home", "pages/home.py"), ("recovery chart", "pages/recovery_chart.py"), ("photos", "pages/gallery.py")]
AREAS = ["face", "neck"]


def _render(script: str, folder: str) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["JOURNAL_DATA_DIR"] = folder
    os.environ["JOURNAL_TODAY"] = DEMO_TODAY.isoformat()
    app = AppTest.from_file(str(ROOT / script), default_timeout=120)
    app.run()
    if app.exception:
        trace = "\n".join(app.exception[0].stack_trace or [])
        raise RuntimeError(f"{script} failed on {folder}:\n{trace}")


def _import_packages() -> None:
    """Import the app's packages before timing, so the first page measured
    does not pay for imports the others then get for free."""
    import importlib
    import logging

    # Importing ui/ outside a script run makes Streamlit warn "missing
    # ScriptRunContext" once per cached function; harmless here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    for package in ("store", "recovery", "charts", "ui", "ui.session", "ui.frame", "export"):
        importlib.import_module(package)


def run(quick: bool = False) -> list[dict]:
    _import_packages()
    runs = 2 if quick else 5
    week = str(demo_journal("week", days=7, areas=AREAS))
    year = str(demo_journal("year", days=365, areas=AREAS))
    saved = {key: os.environ.get(key) for key in ("JOURNAL_DATA_DIR", "JOURNAL_TODAY")}
    rows = []
    try:
        for page, script in PAGES:
            log(f"  {page} ({script}): {runs} renders each ...")
            times = interleaved(
                {"week": lambda s=script: _render(s, week), "year": lambda s=script: _render(s, year)}, runs
            )
            value, baseline = median(times["year"]), median(times["week"])
            rows.append(
                row(
                    NAME,
                    f"{page} page",
                    value=value,
                    unit="s",
                    baseline=baseline,
                    baseline_label="one-week journal",
                    target=f"ratio <= {TARGET}",
                    met=value / baseline <= TARGET,
                    runs=runs,
                    samples=times["year"],
                    baseline_samples=times["week"],
                )
            )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return rows
