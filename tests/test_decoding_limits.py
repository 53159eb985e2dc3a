"""Decoding within bounds (issue 12): sizes judged from headers, large intact pictures stored or
refused as too large (never "damaged"), and peak memory per upload measured in a fresh process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from store.errors import PhotoRejected
from store.photos import image_limits, imaging
from tests import corpus

REPO = Path(__file__).resolve().parent.parent
MEMORY_LIMIT_MB = 512


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def big_palette_png() -> bytes:
    """6000 x 4500 (27 megapixels) in 256 colours: more than is stored, so it is halved."""
    return encode(corpus.pattern((6000, 4500)).quantize(256), "PNG", compress_level=1)


def big_grey16_png() -> bytes:
    ramp = np.linspace(0, 65535, 6000).astype(np.uint16)[None, :].repeat(4500, axis=0)
    ramp[:1125, :1500] = 0  # the dark marker, top-left
    return encode(Image.fromarray(ramp), "PNG", compress_level=1)


def rgb16_tiff() -> bytes:
    import cv2

    ramp = np.linspace(0, 65535, 4000).astype(np.uint16)[None, :, None].repeat(3000, axis=0).repeat(3, axis=2)
    ok, buffer = cv2.imencode(".tiff", ramp)
    assert ok
    return buffer.tobytes()


@pytest.mark.parametrize(
    "name, data",
    [
        ("webp", corpus.webp_lossless_header(16383, 16383)),
        ("webp canvas", corpus.webp_extended_header(16384, 16384)),
        ("gif", corpus.gif_header_bomb()[1]),
        ("tiff", corpus.tiff_header(60000, 60000)),
        ("bigtiff", corpus.tiff_header(200000, 200000, big=True)),
        ("png", corpus.png_header(30000, 30000)),
        ("jpeg", corpus.jpeg_declaring(65000, 65000)),
        ("heic", corpus.heic_header_bomb()[1]),
    ],
)
def test_every_format_declares_its_size_in_a_header_we_read(name, data):
    found = image_limits.declared(data)
    assert found is not None, name
    assert found.pixels > imaging.MAX_PIXELS


def test_real_files_declare_their_true_size():
    samples = {name: factory()[1] for name, factory in corpus.ODD.items()}
    for name, data in samples.items():
        found = image_limits.declared(data)
        with Image.open(io.BytesIO(data)) as image:
            if found is not None:
                assert (found.width, found.height) == image.size, name
    assert image_limits.declared(b"not an image at all") is None


def test_a_3_kb_webp_declaring_268_megapixels_is_refused_from_its_header():
    data = corpus.webp_lossless_header(16383, 16383)
    assert len(data) < 4096
    with pytest.raises(PhotoRejected, match="megapixels"):
        imaging.ingest(data, "bomb.webp")
    assert "megapixels" in imaging.header_problem(data, "bomb.webp")


@pytest.mark.parametrize(
    "make, stored_size, marker",
    [
        (big_palette_png, (3000, 2250), "colour"),
        (big_grey16_png, (3000, 2250), "grey"),
        (rgb16_tiff, (4000, 3000), None),
    ],
    ids=["palette 27 MP", "16-bit grey 27 MP", "16-bit RGB TIFF 12 MP"],
)
def test_large_intact_pictures_are_stored_not_called_damaged(make, stored_size, marker):
    photo = imaging.ingest(make(), "large")
    assert (photo.width, photo.height) == stored_size
    stored = Image.open(io.BytesIO(photo.stored))
    assert stored.mode == "RGB" and stored.size == stored_size
    if marker:  # the top-left marker is where it was: the picture, not garbage
        assert corpus.marker_positions(stored, grey=marker == "grey")["top-left"] == "first"


def test_too_large_in_memory_is_refused_as_too_large_with_the_numbers():
    _, data = corpus.png_rgba_memory_bomb()
    with pytest.raises(PhotoRejected) as caught:
        imaging.ingest(data, "huge.png")
    message = caught.value.reason
    assert "too large" in message and "10000 x 10000" in message and "MB" in message
    assert "damaged" not in message


# --- peak memory, measured in a fresh process per file (no timing) -------------------------

_MEASURE = """
import json, sys
from store.photos import imaging
from store.errors import PhotoRejected

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024

data = open(sys.argv[1], "rb").read()
imaging._register_heif()
import numpy, scipy.ndimage, cv2  # what ingest loads lazily, loaded before measuring
before = peak_mb()
try:
    photo = imaging.ingest(data, "upload")
    outcome = f"stored {photo.width}x{photo.height}"
except PhotoRejected as exc:
    outcome = "refused: " + exc.reason
print(json.dumps({"increase_mb": peak_mb() - before, "outcome": outcome}))
"""


def peak_increase(tmp_path: Path, name: str, data: bytes) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "name, make, refused",
    [
        ("webp-bomb.webp", lambda: corpus.webp_lossless_header(16383, 16383), True),
        ("png-bomb.png", lambda: corpus.png_bomb_bytes(30000, 30000), True),
        ("png-rgba-100mp.png", lambda: corpus.png_rgba_memory_bomb()[1], True),
        ("heic-bomb.heic", lambda: corpus.heic_header_bomb()[1], True),
        ("gif-bomb.gif", lambda: corpus.gif_header_bomb()[1], True),
        ("palette-27mp.png", big_palette_png, False),
        ("grey16-27mp.png", big_grey16_png, False),
        ("turned-48mp.jpg", lambda: corpus.jpeg_with_metadata(6, (8000, 6000)), False),
    ],
)
def test_peak_memory_of_one_upload_stays_under_512_mb(tmp_path, name, make, refused):
    measured = peak_increase(tmp_path, name, make())
    assert measured["outcome"].startswith("refused") == refused, measured
    assert measured["increase_mb"] < MEMORY_LIMIT_MB, measured
    if refused:
        assert measured["increase_mb"] < 50, measured  # judged from the header, nothing decoded


def test_import_planning_reads_no_capture_time_from_a_bomb_and_names_the_problem():
    data = corpus.webp_lossless_header(16383, 16383)
    assert imaging.read_capture_time(data) is None
    assert "megapixels" in imaging.header_problem(data, "bomb.webp")
