"""Very large photos that must be re-encoded are stored halved, upright and clean."""

from __future__ import annotations

import io

from PIL import Image

from healing_journal import Journal
from store.photos.imaging import MAX_STORED_PIXELS

RED = (255, 0, 0)


def _is_red(pixel: tuple[int, int, int]) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def _with_orientation(image: Image.Image, fmt: str, orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif, **({"quality": 90} if fmt == "JPEG" else {"compress_level": 1}))
    return buffer.getvalue()


def _marked(size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, (200, 150, 130))
    image.paste(RED, (0, 0, size[0] // 10, size[1] // 10))  # top-left corner marker
    return image


def test_rotated_48_megapixel_jpeg_is_turned_losslessly_at_full_size(
    journal: Journal, entry_id: int, photo_48mp: tuple[str, bytes]
) -> None:
    # Turned on its DCT blocks (store.photos.jpeg): nothing is decoded at full size, nothing re-encoded.
    _, data = photo_48mp
    original = Image.open(io.BytesIO(data))
    assert original.size == (8000, 6000)
    rotated = _with_orientation(original, "JPEG")
    photo = journal.photo(journal.add_photo(entry_id, rotated, filename="IMG_48MP.jpg"))
    stored = Image.open(photo.path)
    assert stored.size == (photo.width, photo.height) == (6000, 8000)  # turned a quarter, whole
    assert not stored.getexif()


def test_rotated_48_megapixel_png_is_stored_at_12_megapixels_upright(journal: Journal, entry_id: int) -> None:
    # What must be re-encoded is stored at most MAX_STORED_PIXELS (halved).
    data = _with_orientation(_marked((8000, 6000)), "PNG")
    photo = journal.photo(journal.add_photo(entry_id, data, filename="scan48.png"))
    stored = Image.open(photo.path)
    assert stored.size == (photo.width, photo.height) == (3000, 4000)
    assert stored.width * stored.height <= MAX_STORED_PIXELS


def test_large_png_is_halved_and_keeps_its_orientation(journal: Journal, entry_id: int) -> None:
    data = _with_orientation(_marked((7000, 4000)), "PNG")
    photo = journal.photo(journal.add_photo(entry_id, data, filename="scan.png"))
    stored = Image.open(photo.path).convert("RGB")
    assert stored.size == (2000, 3500)
    # Orientation 6 turns the picture clockwise: the top-left marker ends top-right.
    assert _is_red(stored.getpixel((stored.width - 20, 20)))
    assert not _is_red(stored.getpixel((20, 20)))


def test_photos_within_the_limit_keep_their_size(journal: Journal, entry_id: int) -> None:
    # 4032 x 3024 is whole 16-pixel blocks both ways: turned losslessly at its own size.
    data = _with_orientation(_marked((4032, 3024)), "JPEG")
    photo = journal.photo(journal.add_photo(entry_id, data, filename="IMG_12MP.jpg"))
    assert (photo.width, photo.height) == (3024, 4032)
    # 4000 x 3000 is half a block short at the bottom; turned clockwise that half
    # block would land on the left, so the 8 rows are trimmed (0.27 %) rather than
    # the whole photo re-encoded (store.photos.jpeg).
    data = _with_orientation(_marked((4000, 3000)), "JPEG")
    photo = journal.photo(journal.add_photo(entry_id, data, filename="IMG_12MP_b.jpg"))
    assert (photo.width, photo.height) == (2992, 4000)
    # The PNG of the same size is re-encoded whole.
    data = _with_orientation(_marked((4000, 3000)), "PNG")
    photo = journal.photo(journal.add_photo(entry_id, data, filename="scan12.png"))
    assert (photo.width, photo.height) == (3000, 4000)
