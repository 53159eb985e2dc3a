"""JPEGs turned upright on their DCT blocks (no generation loss) and cleaned of metadata, progressive included."""

from __future__ import annotations

import io

import jpeglib
import numpy as np
import pytest
import turbojpeg
from PIL import Image

from store.photos import imaging, jpeg
from tests import corpus


def noisy_picture(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """A picture with detail everywhere (noise over gradients), so any re-encoding shows."""
    width, height = size
    rng = np.random.default_rng(seed)
    ramp = np.linspace(30, 220, width)[None, :, None] * np.ones((height, 1, 3))
    ramp[: height // 4, : width // 4] = (220, 30, 30)  # the red marker stays top-left
    pixels = np.clip(ramp + rng.normal(0, 18, (height, width, 3)), 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def with_orientation(size: tuple[int, int], orientation: int, **save) -> bytes:
    buffer = io.BytesIO()
    noisy_picture(size).save(
        buffer, "JPEG", quality=88, exif=corpus.metadata_exif(orientation), icc_profile=corpus.srgb_icc(), **save
    )
    return corpus.insert_segments(buffer.getvalue(), corpus.xmp_segment(), corpus.comment_segment())


def coefficients(data: bytes, tmp_path, name: str) -> list[np.ndarray]:
    path = tmp_path / name
    path.write_bytes(data)
    dct = jpeglib.read_dct(str(path))
    return [dct.Y, dct.Cb, dct.Cr]


def turned_coefficients(blocks: np.ndarray, orientation: int) -> np.ndarray:
    """What an exact upright transform must do to (rows, cols, 8, 8) DCT blocks.

    Mirroring a block flips the sign of its odd frequencies along that axis;
    transposing swaps the block grid and each block's frequencies.
    """
    odd = (-1.0) ** np.arange(8)

    def hflip(b: np.ndarray) -> np.ndarray:
        return b[:, ::-1] * odd[None, None, None, :]

    def vflip(b: np.ndarray) -> np.ndarray:
        return b[::-1] * odd[None, None, :, None]

    def transpose(b: np.ndarray) -> np.ndarray:
        return b.transpose(1, 0, 3, 2)

    steps = {
        2: [hflip],
        3: [hflip, vflip],
        4: [vflip],
        5: [transpose],
        6: [transpose, hflip],  # turn 90 degrees clockwise
        7: [transpose, hflip, vflip],
        8: [transpose, vflip],  # turn 90 degrees counter-clockwise
    }[orientation]
    for step in steps:
        blocks = step(blocks)
    return blocks


@pytest.mark.parametrize("orientation", [2, 3, 4, 5, 6, 7, 8])
def test_a_turned_block_aligned_jpeg_is_stored_upright_without_generation_loss(tmp_path, orientation):
    data = with_orientation((640, 480), orientation)  # whole 16-pixel MCUs both ways
    photo = imaging.ingest(data, "turned.jpg")
    stored = Image.open(io.BytesIO(photo.stored))
    swapped = orientation >= 5
    assert stored.size == ((480, 640) if swapped else (640, 480)) == (photo.width, photo.height)
    # Exact: every quantised DCT coefficient is the original's, moved and sign-flipped as the turn demands.
    original = coefficients(data, tmp_path, "original.jpg")
    kept = coefficients(photo.stored, tmp_path, "stored.jpg")
    for before, after in zip(original, kept):
        assert np.array_equal(turned_coefficients(before.astype(np.float64), orientation), after)
    # Upright for a person too: the red marker of the top-left corner is where EXIF said it shows.
    upright = Image.open(io.BytesIO(data))
    upright.load()
    from PIL import ImageOps

    expected = np.asarray(ImageOps.exif_transpose(upright).convert("RGB"), np.int16)
    decoded = np.asarray(stored.convert("RGB"), np.int16)
    # The same coefficients decode to the same pixels up to the IDCT's rounding
    # (its two passes swap when blocks are transposed); a re-encode differs by far more.
    reencoded = io.BytesIO()
    Image.fromarray(expected.astype(np.uint8)).save(reencoded, "JPEG", quality=92)
    generation = np.abs(np.asarray(Image.open(reencoded).convert("RGB"), np.int16) - expected).mean()
    assert np.abs(decoded - expected).max() <= 3
    assert np.abs(decoded - expected).mean() < generation / 10
    assert not getattr(stored, "applist", None) or all(m in ("APP0", "APP14") for m, _ in stored.applist)
    for secret in (corpus.SENTINELS["xmp"], corpus.SENTINELS["comment"], corpus.SENTINELS["gps"], b"Exif\x00"):
        assert secret not in photo.stored


def test_turning_back_losslessly_gives_the_original_pixels_bit_for_bit():
    data = with_orientation((640, 480), 6)
    stored = imaging.ingest(data, "turned.jpg").stored
    back = turbojpeg.transform(stored, op=turbojpeg.OP.ROT270, perfect=True, copynone=True)
    original = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(back)).convert("RGB")), original)


def test_a_phone_sized_photo_off_the_block_grid_is_trimmed_by_under_one_percent():
    # 1608 x 1208: 1208 rows are 75.5 MCUs of 16; turning clockwise would put the half MCU on the left.
    data = with_orientation((1608, 1208), 6)
    photo = imaging.ingest(data, "phone.jpg")
    assert (photo.width, photo.height) == (1200, 1608)  # eight rows trimmed, nothing re-encoded
    assert Image.open(io.BytesIO(photo.stored)).size == (1200, 1608)


def test_a_small_photo_off_the_block_grid_is_re_encoded_whole():
    data = with_orientation((160, 120), 6)  # 7.5 MCUs high: trimming would cost 7 % of a side
    info = jpeg.frame(data)
    assert info is not None and jpeg.upright_lossless(jpeg.strip_metadata(data), 6, info) is None
    photo = imaging.ingest(data, "small.jpg")
    assert (photo.width, photo.height) == (120, 160)


def progressive_with_metadata_between_scans() -> bytes:
    buffer = io.BytesIO()
    noisy_picture((320, 240)).save(buffer, "JPEG", quality=85, progressive=True)
    data = buffer.getvalue()
    # Put a comment and an APP segment after the first scan, before the second.
    first_scan = data.index(b"\xff\xda")
    second_scan = data.index(b"\xff\xda", first_scan + 2)
    # Back up to the segment (usually a DHT) that precedes the second scan, if any.
    insert_at = data.rfind(b"\xff\xc4", first_scan, second_scan)
    insert_at = insert_at if insert_at > 0 else second_scan
    hidden = corpus.segment(0xFE, b"between scans " + corpus.SENTINELS["comment"]) + corpus.xmp_segment()
    return data[:insert_at] + hidden + data[insert_at:]


def test_metadata_between_progressive_scans_is_removed():
    data = progressive_with_metadata_between_scans()
    assert corpus.SENTINELS["comment"] in data and corpus.SENTINELS["xmp"] in data
    before = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    photo = imaging.ingest(data, "progressive.jpg")
    assert corpus.SENTINELS["comment"] not in photo.stored and corpus.SENTINELS["xmp"] not in photo.stored
    assert b"http://ns.adobe.com" not in photo.stored
    # Still the same progressive picture, bit for bit (the fast path keeps the scans).
    after = np.asarray(Image.open(io.BytesIO(photo.stored)).convert("RGB"))
    assert np.array_equal(before, after)
    assert jpeg.frame(photo.stored).progressive


def test_a_turned_progressive_jpeg_loses_its_metadata_too():
    buffer = io.BytesIO()
    noisy_picture((640, 480)).save(buffer, "JPEG", quality=85, progressive=True, exif=corpus.metadata_exif(8))
    photo = imaging.ingest(corpus.insert_segments(buffer.getvalue(), corpus.comment_segment()), "p.jpg")
    assert (photo.width, photo.height) == (480, 640)
    assert corpus.SENTINELS["comment"] not in photo.stored and b"Exif\x00" not in photo.stored


def test_strip_keeps_everything_up_to_the_end_marker_and_nothing_after():
    data = corpus.jpeg() + b"trailing motion photo"
    stripped = jpeg.strip_metadata(data)
    assert stripped is not None and stripped.endswith(b"\xff\xd9") and b"trailing" not in stripped
    assert jpeg.strip_metadata(data[: len(data) // 2]) is None  # no end marker: not plain
