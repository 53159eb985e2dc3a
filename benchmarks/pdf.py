"""PDF export (Journal.export_pdf) of 30 and of 90 days, a photo every day.

Target: time grows linearly or better (90 days <= 3x the 30-day time) and
the 30-day summary (30 photos) stays under 5 MB.
"""

from __future__ import annotations

from benchmarks import DEMO_TODAY, demo_journal, interleaved, log, median, row

NAME = "pdf"
TITLE = "PDF export, 30 vs 90 days with a photo every day"
MAX_BYTES_30 = 5 * 1000 * 1000


def _missing() -> str | None:
    from healing_journal import Journal

    if not hasattr(Journal, "export_pdf"):
        return "Journal.export_pdf does not exist yet"
    try:
        import export.pdf  # noqa: F401
    except Exception as exc:  # still being written
        return f"export.pdf cannot be imported yet ({type(exc).__name__}: {exc})"
    return None


def run(quick: bool = False) -> list[dict]:
    missing = _missing()
    if missing:
        log(f"  SKIPPED: {missing}; run `python -m benchmarks --only pdf` again later.")
        return [row(NAME, "PDF export", value=float("nan"), unit="s", met=None, note=f"skipped: {missing}")]
    from healing_journal import Journal, Settings

    runs = 2 if quick else 5
    journals = {}
    for days in (30, 90):
        folder = demo_journal(f"pdf-{days}d", days=days, areas=["face"])
        journals[days] = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: DEMO_TODAY))
    sizes: dict[int, int] = {}
    try:

        def export(days: int):
            def call() -> None:
                sizes[days] = len(journals[days].export_pdf())

            return call

        log(f"  30 and 90 days: {runs} exports each ...")
        times = interleaved({"30": export(30), "90": export(90)}, runs)
    finally:
        for journal in journals.values():
            journal.close()
    t30, t90 = median(times["30"]), median(times["90"])
    return [
        row(
            NAME,
            "30 days (30 photos)",
            value=t30,
            unit="s",
            runs=runs,
            samples=times["30"],
            target="under 5 MB",
            met=sizes[30] < MAX_BYTES_30,
            size_bytes=sizes[30],
            note=f"{sizes[30] / 1e6:.2f} MB",
        ),
        row(
            NAME,
            "90 days (90 photos)",
            value=t90,
            unit="s",
            baseline=t30,
            baseline_label="30-day export",
            runs=runs,
            samples=times["90"],
            baseline_samples=times["30"],
            target="ratio <= 3.0 (linear)",
            met=t90 / t30 <= 3.0,
            size_bytes=sizes[90],
            note=f"{sizes[90] / 1e6:.2f} MB, {sizes[90] / sizes[30]:.2f}x the 30-day size",
        ),
    ]
