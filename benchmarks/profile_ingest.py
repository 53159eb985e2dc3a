"""Where a photo save's time goes: `python -m benchmarks.profile_ingest [--runs N]`.

Not a benchmark row (no target): the split that says which step to work on.
The ingest benchmark's 12 MP photos (upright, and turned by EXIF orientation 6),
with the card, saved into an area whose first photo is already stored; each
step of a save is run alone on the same bytes, as add_photo runs it, and timed
twice: wall time, and CPU time of the calling thread (`time.thread_time`),
which the other jobs of a shared machine move far less. A step that uses
helper threads (spot detection beside the colour statistics, the fsynced
writes in the measured save) shows only the calling thread's share as CPU.

Medians per step are printed as a Markdown table (benchmarks/README.md keeps them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks import DEMO_TODAY, scratch_dir, skin_jpeg, with_orientation
from benchmarks.ingest import _with_card

CASES = ("upright", "rotated")


def profile(case: str, runs: int) -> dict[str, list[tuple[float, float]]]:
    """Wall and thread CPU milliseconds of every step, `runs` times each (after one warm-up)."""
    import numpy as np
    from PIL import Image

    from healing_journal import Journal, Settings
    from photometry import alignment, calibration, lighting, metrics
    from store.photos import imaging, jpeg
    from store.photos.analysed import analysed_columns
    from store.photos.files import PHOTOS as STORED

    # The ingest benchmark's photos (cached under results/fixtures/, made if missing).
    skin = skin_jpeg(4032, 3024)
    data = _with_card(skin, "skin-card-4032x3024.jpg")
    if case == "rotated":
        data = with_orientation(data, 6, "skin-card-4032x3024-o6.jpg")
    folder = scratch_dir(f"profile-ingest-{case}")
    journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: DEMO_TODAY))
    first_day = journal.save_entry(DEMO_TODAY - dt.timedelta(days=1), "face")
    journal.add_photo(first_day, _with_card(skin, "skin-card-4032x3024-first.jpg", shift=(-40, 56)), "first.jpg")
    entry = journal.save_entry(DEMO_TODAY, "face")
    steps: dict[str, list[tuple[float, float]]] = {}

    def step(name: str, function: Callable[[], Any]) -> Any:
        cpu, wall = time.thread_time(), time.perf_counter()
        result = function()
        steps.setdefault(name, []).append(((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000))
        return result

    def one_round() -> None:
        step("plain decode, `Image.open().load()` (the baseline)", lambda: Image.open(io.BytesIO(data)).load())
        added = step("**add_photo, measured before it returns**", lambda: journal.add_photo(entry, data, "x.jpg"))
        journal.delete_photo(added)
        added = step(
            "**add_photo(measure_later=True), until the answer**",
            lambda: journal.add_photo(entry, data, "x.jpg", measure_later=True),
        )
        journal.wait_for_photo_work()
        journal.delete_photo(added)
        step("header checks and EXIF capture time", lambda: imaging.header_problem(data, "x.jpg"))
        stripped = step("metadata strip (segments cut out)", lambda: jpeg.strip_metadata(data))
        if case == "rotated":
            frame = jpeg.frame(stripped)
            stripped = step("lossless turn (libjpeg-turbo)", lambda: jpeg.upright_lossless(stripped, 6, frame))
        step("reduced-scale decode (the 1008 px preview)", lambda: imaging.decode_preview(stripped))
        ingested = step("`imaging.ingest` in all (the above, two SHA-256, ...)", lambda: imaging.ingest(data, "x"))
        step("thumbnail (320 px JPEG, from the preview)", lambda: imaging.IngestedPhoto.thumbnail.func(ingested))
        path = journal.files.relative_path(STORED, "0" * 64)
        step("one fsynced file write (the stored photo)", lambda: journal.files.write(path, ingested.stored))
        journal.files.remove(path)
        preview, region = ingested.preview, journal.region("face")
        size = preview.size
        pixels = np.asarray(preview)
        found = step("card detection and correction", lambda: calibration.calibrate(pixels))
        card = found.card.contains(*preview.size) if found.card is not None else None
        features = step("ORB features", lambda: alignment.features(pixels, exclude=card))
        baseline = journal._baseline("face", DEMO_TODAY.isoformat())
        assert baseline is not None
        first = alignment.features(np.asarray(imaging.decode_preview(baseline.path.read_bytes())))
        fit = step("matching and RANSAC", lambda: alignment.register(features, first))
        step("warp into the first photo's frame", lambda: alignment.warp_to_baseline(preview, fit.matrix, size))
        roi, _ = region.to_rects()
        step("measurements (`metrics.measure`)", lambda: metrics.measure(preview, roi))
        step("of which the frame's light tiles", lambda: lighting.frame_light(pixels, roi))
        stored = (ingested.width, ingested.height)
        step("card, alignment and measurements in all", lambda: analysed_columns(preview, region, stored, baseline))

    try:
        for _ in range(runs + 1):
            one_round()
    finally:
        journal.close()
    return {name: samples[1:] for name, samples in steps.items()}


def table(steps: dict[str, list[tuple[float, float]]]) -> str:
    lines = ["| step | wall (ms) | CPU of the calling thread (ms) |", "|---|---|---|"]
    for name, samples in steps.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        lines.append(f"| {name} | {wall:.1f} | {cpu:.1f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    for case in CASES:
        print(f"\n{case}, {args.runs} runs, medians:\n")
        print(table(profile(case, args.runs)))


if __name__ == "__main__":
    main()
