"""Hand-run benchmarks: `python -m benchmarks [--quick] [--only NAME]`.

Never part of the test suite and never a timed assertion: each benchmark
times the journal's code *and* a baseline in the same run, interleaved, and
reports medians and their ratio, so a busy or slow machine moves both sides.
Raw results go to benchmarks/results/ (gitignored); the summary table is
rewritten into benchmarks/README.md.

This module holds what the benchmarks share: timing, fixtures (cached under
results/ because a 12 MP HEIC takes ~25 s to encode and a year of demo data
minutes to build), result rows and machine facts.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
FIXTURES = RESULTS / "fixtures"
JOURNALS = RESULTS / "journals"
SCRATCH = RESULTS / "scratch"  # journals the benchmarks write into; same disk as a real journal

# Every demo journal ends on this day; pages are rendered with JOURNAL_TODAY pinned to it.
DEMO_TODAY = dt.date(2025, 12, 31)
# Bump when the fixtures' recipe changes so stale caches are rebuilt.
FIXTURE_VERSION = 1


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def timed(function: Callable[[], Any]) -> float:
    """Seconds one call takes (perf_counter)."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def interleaved(
    cases: dict[str, Callable[[], Any]], runs: int, *, warmup: int = 1, between: Callable[[str], None] | None = None
) -> dict[str, list[float]]:
    """Time every case `runs` times, alternating cases in each round so that
    load from elsewhere on the machine falls on all of them alike."""
    for _ in range(warmup):
        for name, function in cases.items():
            function()
            if between:
                between(name)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, function in cases.items():
            times[name].append(timed(function))
            if between:
                between(name)
    return times


def row(
    benchmark: str,
    case: str,
    *,
    value: float,
    unit: str,
    baseline: float | None = None,
    baseline_label: str = "",
    target: str = "",
    met: bool | None = None,
    runs: int | None = None,
    samples: list[float] | None = None,
    baseline_samples: list[float] | None = None,
    note: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """One line of results: a median (or a single measure), its baseline and the ratio."""
    ratio = value / baseline if baseline else None
    return {
        "benchmark": benchmark,
        "case": case,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_label": baseline_label,
        "ratio": ratio,
        "target": target,
        "met": met,
        "runs": runs,
        "samples": samples,
        "baseline_samples": baseline_samples,
        "note": note,
        **extra,
    }


def ratio_row(
    benchmark: str,
    case: str,
    samples: list[float],
    baseline_samples: list[float],
    *,
    unit: str,
    baseline_label: str,
    target_ratio: float,
    informative: bool = False,
    note: str = "",
) -> dict[str, Any]:
    """A row judged as the ratio of two medians measured in the same run against `target_ratio`."""
    value, baseline = median(samples), median(baseline_samples)
    return row(
        benchmark,
        case,
        value=value,
        unit=unit,
        baseline=baseline,
        baseline_label=baseline_label,
        target=f"ratio <= {target_ratio}" + (" (informative)" if informative else ""),
        met=value / baseline <= target_ratio,
        runs=len(samples),
        samples=samples,
        baseline_samples=baseline_samples,
        note=note,
    )


def machine_facts() -> dict[str, Any]:
    import numpy
    import PIL

    facts = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pillow": PIL.__version__,
        "numpy": numpy.__version__,
        "platform": platform.platform(),
        "processor": _cpu_model(),
    }
    for module in ("pillow_heif", "streamlit", "fpdf"):
        try:
            facts[module] = __import__(module).__version__
        except Exception:  # not installed: the benchmark needing it says so
            facts[module] = None
    try:
        facts["load_average_at_start"] = os.getloadavg()
    except OSError:
        pass
    return facts


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- fixtures -------------------------------------------------------------------


def fixture(name: str, make: Callable[[], bytes]) -> bytes:
    """Bytes cached under results/fixtures/ (made once, written atomically)."""
    path = FIXTURES / f"v{FIXTURE_VERSION}-{name}"
    if path.exists():
        return path.read_bytes()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    log(f"  making fixture {name} (cached for later runs) ...")
    data = make()
    temp = path.with_suffix(path.suffix + ".part")
    temp.write_bytes(data)
    temp.replace(path)
    return data


def skin_jpeg(width: int, height: int, *, seed: int = 7) -> bytes:
    """A realistic synthetic skin photo (demo.skin), cached."""

    def make() -> bytes:
        from demo.skin import skin_photo

        return skin_photo(0.5, 6, size=(width, height), seed=seed)

    return fixture(f"skin-{width}x{height}-s{seed}.jpg", make)


def with_orientation(jpeg: bytes, orientation: int, name: str) -> bytes:
    """The same picture re-saved with an EXIF orientation tag (forces the full path)."""

    def make() -> bytes:
        import io

        from PIL import Image

        image = Image.open(io.BytesIO(jpeg))
        image.load()
        exif = Image.Exif()
        exif[0x0112] = orientation
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=88, exif=exif.tobytes())
        return buffer.getvalue()

    return fixture(name, make)


def as_heic(jpeg: bytes, name: str) -> bytes:
    def make() -> bytes:
        import io

        import pillow_heif
        from PIL import Image

        pillow_heif.register_heif_opener()
        image = Image.open(io.BytesIO(jpeg))
        image.load()
        buffer = io.BytesIO()
        image.save(buffer, "HEIF", quality=90)
        return buffer.getvalue()

    return fixture(name, make)


def demo_journal(name: str, *, days: int, areas: list[str], photo_every_day: bool = True) -> Path:
    """A demo journal ending on DEMO_TODAY, built once under results/journals/.

    Built in a side folder and renamed into place, so an interrupted build
    is never mistaken for a finished one."""
    folder = JOURNALS / f"v{FIXTURE_VERSION}-{name}"
    if (folder / ".complete").exists():
        return folder
    from demo.generate import build_demo

    JOURNALS.mkdir(parents=True, exist_ok=True)
    building = JOURNALS / f".building-{name}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    photos = days * len(areas) if photo_every_day else "some"
    log(f"  building demo journal {name}: {days} days x {areas}, {photos} photos (cached for later runs) ...")
    start = time.perf_counter()
    build_demo(building, days=days, areas=areas, today=DEMO_TODAY, photo_every_day=photo_every_day)
    (building / ".complete").write_text(f"built in {time.perf_counter() - start:.0f} s\n")
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    return folder


def scratch_dir(name: str) -> Path:
    folder = SCRATCH / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
