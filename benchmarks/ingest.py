"""Ingest of a 12 MP photo through Journal.add_photo versus a plain Pillow decode.

add_photo is the whole ingest: decode, orientation, metadata strip, sRGB,
stored copy, thumbnail, measurements, the fsynced file writes and the row.
The baseline is `Image.open(BytesIO(data)).load()` of the same bytes: what
merely looking at the photo costs. Both are timed alternately in one run.
"""

from __future__ import annotations

import io

from benchmarks import (
    DEMO_TODAY,
    as_heic,
    fixture,
    interleaved,
    log,
    median,
    row,
    scratch_dir,
    skin_jpeg,
    with_orientation,
)

NAME = "ingest"
TITLE = "Ingest of a 12 MP photo (add_photo vs plain full decode)"
TARGET = 1.0


def _cases():
    jpeg = skin_jpeg(4032, 3024)
    return [
        ("12 MP JPEG, upright sRGB (fast path)", jpeg, "photo.jpg"),
        (
            "12 MP JPEG, EXIF orientation 6 (full path)",
            with_orientation(jpeg, 6, "skin-4032x3024-o6.jpg"),
            "rotated.jpg",
        ),
        ("12 MP HEIC (full path)", as_heic(jpeg, "skin-4032x3024.heic"), "photo.heic"),
        # demo.skin's photos are smooth (1.3 MB at 12 MP), so their full decode
        # is unusually cheap; a phone's JPEG carries sensor noise and weighs 3-5 MB.
        (CAMERA_LIKE, _camera_like(jpeg), "camera.jpg"),
    ]


CAMERA_LIKE = "12 MP JPEG with sensor-like noise, upright (fast path; informative)"


def _camera_like(jpeg: bytes) -> bytes:
    def make() -> bytes:
        import numpy as np
        from PIL import Image

        pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=np.float32)
        noise = np.random.default_rng(3).normal(0, 3.0, pixels.shape).astype(np.float32)
        buffer = io.BytesIO()
        Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=92)
        return buffer.getvalue()

    return fixture("skin-4032x3024-noisy.jpg", make)


def run(quick: bool = False) -> list[dict]:
    import pillow_heif
    from PIL import Image

    from store import Journal, Settings

    pillow_heif.register_heif_opener()  # the baseline must be able to open HEIC too
    runs = 3 if quick else 7
    folder = scratch_dir("ingest")
    journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: DEMO_TODAY))
    entry_id = journal.save_entry(DEMO_TODAY, "face")
    rows = []
    try:
        for case, data, filename in _cases():
            log(f"  {case}: {len(data) / 1e6:.1f} MB, {runs} runs each ...")
            added: list[int] = []

            def ingest(data: bytes = data, filename: str = filename, added: list[int] = added) -> None:
                added.append(journal.add_photo(entry_id, data, filename))

            def decode(data: bytes = data) -> None:
                Image.open(io.BytesIO(data)).load()

            def tidy(name: str, added: list[int] = added) -> None:
                # Outside the timing: the same photo again would be refused as a duplicate.
                while added:
                    journal.delete_photo(added.pop())

            times = interleaved({"add_photo": ingest, "decode": decode}, runs, between=tidy)
            value, baseline = median(times["add_photo"]), median(times["decode"])
            rows.append(
                row(
                    NAME,
                    case,
                    value=value,
                    unit="s",
                    baseline=baseline,
                    baseline_label="Image.open().load()",
                    target=f"ratio <= {TARGET}" + (" (informative)" if case == CAMERA_LIKE else ""),
                    met=value / baseline <= TARGET,
                    runs=runs,
                    samples=times["add_photo"],
                    baseline_samples=times["decode"],
                    file_bytes=len(data),
                )
            )
    finally:
        journal.close()
    return rows
