"""Peak memory of ingesting a 48 MP photo versus the size of its decoded bitmap.

Each measure runs in a fresh Python process: everything is imported and the
file read first, then the process's peak resident size is read before and
after the one call (VmHWM from /proc/self/status; plain ru_maxrss is wrong
here, see _peak_rss, and is only kept in the raw results). The increase is compared with 8000*6000*3
bytes, the RGB bitmap any full decode must hold. A plain full decode is
measured the same way as a reference (about 1x by construction).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks import DEMO_TODAY, ROOT, log, median, row, scratch_dir, skin_jpeg, with_orientation

NAME = "memory"
TITLE = "Peak memory of ingesting a 48 MP photo (increase of peak RSS vs the RGB bitmap)"
WIDTH, HEIGHT = 8000, 6000
BITMAP = WIDTH * HEIGHT * 3
TARGET = 2.0


def _child(path: str, mode: str, folder: str) -> None:
    import io
    import resource

    import numpy  # noqa: F401
    import pillow_heif  # noqa: F401
    from PIL import Image
    from scipy import ndimage  # noqa: F401

    import photometry.metrics  # noqa: F401  (store.photos.analysed imports it lazily)
    from healing_journal import Journal, Settings
    from store.photos import imaging

    imaging._register_heif()
    with open(path, "rb") as handle:
        data = handle.read()
    if mode == "add_photo":
        from pathlib import Path

        journal = Journal.open(Path(folder), settings=Settings(data_dir=Path(folder), today=lambda: DEMO_TODAY))
        entry_id = journal.save_entry(DEMO_TODAY, "face")

        def call() -> None:
            journal.add_photo(entry_id, data, os.path.basename(path))
    else:

        def call() -> None:
            Image.open(io.BytesIO(data)).load()

    before, maxrss_before = _peak_rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    call()
    after, maxrss_after = _peak_rss(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "before": before,
                "after": after,
                "increase": after - before,
                "file_bytes": len(data),
                "ru_maxrss_before": maxrss_before,
                "ru_maxrss_after": maxrss_after,
            }
        )
    )


def _peak_rss() -> int:
    """Peak resident size of this process, in bytes.

    VmHWM where Linux has it: ru_maxrss survives exec on Linux, so a child
    started by a benchmark process that already held several hundred MB
    reports the *parent's* peak as its own "before" and a bogus increase of
    0. VmHWM belongs to the new program's memory alone. ru_maxrss is kept in
    the raw results for comparison.
    """
    import resource

    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _measure(path: str, mode: str) -> dict:
    folder = scratch_dir(f"memory-{os.getpid()}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", path, mode, str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"memory child failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    from benchmarks import FIXTURE_VERSION, FIXTURES

    runs = 1 if quick else 3
    jpeg = skin_jpeg(WIDTH, HEIGHT)
    with_orientation(jpeg, 6, f"skin-{WIDTH}x{HEIGHT}-o6.jpg")
    del jpeg
    cases = [
        ("48 MP JPEG, upright sRGB (fast path)", FIXTURES / f"v{FIXTURE_VERSION}-skin-{WIDTH}x{HEIGHT}-s7.jpg"),
        (
            "48 MP JPEG, EXIF orientation 6 (turned losslessly, whole)",
            FIXTURES / f"v{FIXTURE_VERSION}-skin-{WIDTH}x{HEIGHT}-o6.jpg",
        ),
    ]
    rows = []
    for case, path in cases:
        log(f"  {case}: {runs} fresh process(es) each for add_photo and a plain decode ...")
        ingest = [_measure(str(path), "add_photo") for _ in range(runs)]
        decode = [_measure(str(path), "decode") for _ in range(runs)]
        increase = median([r["increase"] for r in ingest])
        decoded = median([r["increase"] for r in decode])
        rows.append(
            row(
                NAME,
                case,
                value=increase / 2**20,
                unit="MiB",
                baseline=BITMAP / 2**20,
                baseline_label=f"RGB bitmap {WIDTH}x{HEIGHT}x3",
                target=f"increase < {TARGET}x bitmap",
                met=increase < TARGET * BITMAP,
                runs=runs,
                samples=[r["increase"] / 2**20 for r in ingest],
                baseline_samples=None,
                note=f"plain full decode in the same way: {decoded / 2**20:.0f} MiB ({decoded / BITMAP:.2f}x)",
                plain_decode_mib=decoded / 2**20,
                file_bytes=ingest[0]["file_bytes"],
            )
        )
    return rows


if __name__ == "__main__":
    _child(*sys.argv[1:4])
