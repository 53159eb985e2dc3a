"""Photo ingest through the journal: what is stored, what is refused, what is mended on open."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from store import NotFound, PhotoRejected
from store.journal import DB_NAME
from store.photos.analysed import Region
from tests import corpus
from tests.conftest import FIXED_DAY

THUMB_LONG_SIDE = 320
CAPTURED_AT = dt.datetime.strptime(corpus.CAPTURED_AT, "%Y:%m:%d %H:%M:%S")
SQLITE_FILES = {DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", ".journal.lock"}


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under the journal folder (but the database) with its content hash."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).digest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in SQLITE_FILES
    }


def stored_image(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif(), "EXIF survived"
    assert not {"exif", "xmp", "icc_profile", "comment", "photoshop", "XML:com.adobe.xmp"} & set(image.info), (
        image.info.keys()
    )
    assert not getattr(image, "applist", None) or all(marker in ("APP0", "APP14") for marker, _ in image.applist)
    for forbidden in (
        b"Exif\x00",
        corpus.XMP_NAMESPACE,
        b"ICC_PROFILE",
        b"Photoshop",
        b"GPS",
        *corpus.SENTINELS.values(),
    ):
        assert forbidden not in data, forbidden


# --- every accepted kind of photo ------------------------------------------------


@pytest.mark.parametrize("name", list(corpus.ODD))
def test_odd_photo_is_stored_as_a_clean_upright_rgb_jpeg(journal, entry_id, name):
    filename, data = corpus.ODD[name]()
    expect = corpus.ODD_EXPECT[name]

    photo = journal.photo(journal.add_photo(entry_id, data, filename))

    image = stored_image(photo.path)
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.size == expect.size == (photo.width, photo.height)
    if expect.corners is not None:
        assert corpus.marker_positions(image, expect.grey) == expect.corners
    assert_no_metadata(photo.path.read_bytes())

    thumb = stored_image(photo.thumb_path)
    assert thumb.format == "JPEG" and thumb.mode == "RGB"
    assert max(thumb.size) <= THUMB_LONG_SIDE and min(thumb.size) >= 1
    assert max(thumb.size) == min(THUMB_LONG_SIDE, max(expect.size))
    assert_no_metadata(photo.thumb_path.read_bytes())

    assert photo.source_name == filename
    assert (photo.day, photo.area, photo.entry_id) == (FIXED_DAY, "face", entry_id)


@pytest.mark.parametrize("name", ["exif_upright", "exif_rotated", "png_exif_rotated"])
def test_capture_time_moves_from_exif_into_the_database(journal, entry_id, name):
    filename, data = corpus.ODD[name]()
    assert corpus.SENTINELS["gps"] in data  # the sample does carry what must go
    photo = journal.photo(journal.add_photo(entry_id, data, filename))
    assert photo.captured_at == CAPTURED_AT
    assert_no_metadata(photo.path.read_bytes())
    assert_no_metadata(photo.thumb_path.read_bytes())


def test_photo_without_exif_has_no_capture_time(journal, entry_id):
    photo = journal.photo(journal.add_photo(entry_id, corpus.jpeg(), "plain.jpg"))
    assert photo.captured_at is None


def test_metadata_carrying_sample_really_carries_it():
    # Guards the corpus itself: the metadata tests are only as good as their input.
    _, data = corpus.exif_rotated()
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert exif[0x0112] == 6
    assert exif.get_ifd(0x8769)[0x9003] == corpus.CAPTURED_AT
    assert exif.get_ifd(0x8825)[0x0001] == "N"
    assert "icc_profile" in image.info
    for needle in (
        b"Exif\x00",
        corpus.XMP_NAMESPACE,
        b"Photoshop 3.0",
        *(v for k, v in corpus.SENTINELS.items() if k != "trailer"),
    ):
        assert needle in data, needle


@pytest.mark.parametrize("orientation", sorted(corpus.ORIENTATION_MARKERS))
def test_every_exif_orientation_is_turned_upright(journal, entry_id, orientation):
    data = corpus.jpeg_with_metadata(orientation=orientation, size=(160, 120))
    photo = journal.photo(journal.add_photo(entry_id, data, f"o{orientation}.jpg"))
    first, second, swapped = corpus.ORIENTATION_MARKERS[orientation]
    image = stored_image(photo.path)
    assert image.size == ((120, 160) if swapped else (160, 120)) == (photo.width, photo.height)
    found = corpus.marker_positions(image)
    assert found[first] == "first" and found[second] == "second", found
    assert_no_metadata(photo.path.read_bytes())
    # The thumbnail is upright too.
    thumb = corpus.marker_positions(stored_image(photo.thumb_path))
    assert thumb[first] == "first" and thumb[second] == "second"


def test_sideways_photo_is_rotated_clockwise(journal, entry_id):
    filename, data = corpus.exif_rotated()
    assert Image.open(io.BytesIO(data)).size == (160, 120)
    photo = journal.photo(journal.add_photo(entry_id, data, filename))
    assert (photo.width, photo.height) == (120, 160)
    image = stored_image(photo.path)
    red = image.getpixel((image.width - 10, 10))
    assert red[0] > 180 and red[1] < 80 and red[2] < 80, red
    top_left = image.getpixel((10, 10))
    assert max(top_left) - min(top_left) < 30, top_left


def test_animated_gif_keeps_its_first_frame(journal, entry_id):
    filename, data = corpus.gif_animated()
    assert getattr(Image.open(io.BytesIO(data)), "n_frames", 1) == 3
    photo = journal.photo(journal.add_photo(entry_id, data, filename))
    image = stored_image(photo.path)
    assert getattr(image, "n_frames", 1) == 1
    centre = image.getpixel((80, 90))
    assert max(centre) - min(centre) < 30  # grey background of frame one, not a later green frame


def test_transparent_pixels_become_white(journal, entry_id):
    filename, data = corpus.png_rgba()
    image = stored_image(journal.photo(journal.add_photo(entry_id, data, filename)).path)
    assert min(image.getpixel((80, 100))) > 240


def test_sixteen_bit_grey_keeps_its_range(journal, entry_id):
    filename, data = corpus.png_grey16()
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    image = stored_image(journal.photo(journal.add_photo(entry_id, data, filename)).path)
    low, high = min(image.getpixel((10, 10))), max(image.getpixel((150, 10)))
    assert low < 30 and high > 225  # scaled from 16 bits, not clipped to white


@pytest.mark.parametrize("name", ["display_p3", "adobe_rgb"])
def test_wide_gamut_photo_is_converted_to_srgb(journal, entry_id, name):
    filename, data = corpus.ODD[name]()
    source = Image.open(io.BytesIO(data)).getpixel((32, 24))
    assert all(abs(a - b) < 6 for a, b in zip(source, corpus.WIDE_GAMUT_PATCH))
    stored = stored_image(journal.photo(journal.add_photo(entry_id, data, filename)).path).getpixel((32, 24))
    # A saturated wide-gamut green is more saturated than sRGB can show: red drops.
    assert stored[0] < source[0] - 30, (source, stored)
    assert stored[1] >= source[1] - 15


def test_srgb_profile_photo_is_not_shifted(journal, entry_id):
    filename, data = corpus.exif_upright()
    stored = stored_image(journal.photo(journal.add_photo(entry_id, data, filename)).path)
    source = Image.open(io.BytesIO(data))
    for xy in ((10, 10), (150, 10), (80, 100)):
        assert all(abs(a - b) <= 4 for a, b in zip(stored.getpixel(xy), source.getpixel(xy)))


def test_upright_srgb_jpeg_keeps_its_picture_data_untouched(journal, entry_id):
    # The fast path only cuts metadata segments: the scan data is byte-identical.
    filename, data = corpus.exif_upright()
    stored = journal.photo(journal.add_photo(entry_id, data, filename)).path.read_bytes()
    scan = data[data.index(b"\xff\xda") :]
    assert stored.endswith(scan)
    assert len(stored) < len(data)


def test_trailing_data_after_the_end_of_the_picture_is_not_kept(journal, entry_id):
    filename, data = corpus.motion_photo()
    stored = journal.photo(journal.add_photo(entry_id, data, filename)).path.read_bytes()
    assert stored.endswith(b"\xff\xd9")
    assert corpus.SENTINELS["trailer"] not in stored and b"ftypmp42" not in stored
    assert len(stored) < data.index(b"ftypmp42")


def test_trailing_data_is_dropped_on_the_full_path_too(journal, entry_id):
    data = corpus.jpeg_with_metadata(orientation=6) + b"\x00\x00\x00\x18ftypmp42" + corpus.SENTINELS["trailer"]
    stored = journal.photo(journal.add_photo(entry_id, data, "rotated-motion.jpg")).path.read_bytes()
    assert corpus.SENTINELS["trailer"] not in stored and stored.endswith(b"\xff\xd9")


def test_48_megapixel_photo(journal, entry_id, photo_48mp):
    filename, data = photo_48mp
    started = time.perf_counter()
    photo = journal.photo(journal.add_photo(entry_id, data, filename))
    elapsed = time.perf_counter() - started
    assert (photo.width, photo.height) == (8000, 6000)
    with Image.open(photo.path) as image:
        assert image.size == (8000, 6000) and image.format == "JPEG"
        image.draft("RGB", (1000, 750))
        assert corpus.marker_positions(image.convert("RGB")) == corpus.ODD_EXPECT["plain_jpeg"].corners
    assert max(Image.open(photo.thumb_path).size) == THUMB_LONG_SIDE
    assert elapsed < 20, f"ingest of a 48 MP photo took {elapsed:.1f} s"


# --- files and hashes ------------------------------------------------------------


def test_stored_file_is_named_by_its_sha256(journal, entry_id):
    filename, data = corpus.exif_rotated()
    photo = journal.photo(journal.add_photo(entry_id, data, filename))
    digest = hashlib.sha256(photo.path.read_bytes()).hexdigest()
    assert photo.sha256 == digest == photo.path.stem
    assert photo.path == journal.folder / "photos" / digest[:2] / f"{digest}.jpg"
    assert photo.thumb_path == journal.folder / "thumbs" / digest[:2] / f"{digest}.jpg"
    assert dict(journal.iter_photo_files()) == {f"photos/{digest[:2]}/{digest}.jpg": digest}
    assert journal.find_photo(digest).id == photo.id
    assert journal.find_photo(hashlib.sha256(data).hexdigest()).id == photo.id  # by the upload's hash too


@pytest.mark.parametrize("filename", corpus.HOSTILE_NAMES)
def test_uploaded_name_never_reaches_a_path(journal, entry_id, tmp_path, filename):
    photo = journal.photo(journal.add_photo(entry_id, corpus.jpeg(), filename))
    assert photo.path.resolve().is_relative_to(journal.folder.resolve())
    assert photo.path.parent.parent.name == "photos"
    assert photo.source_name == filename[:255]
    outside = {p for p in tmp_path.rglob("*") if not p.resolve().is_relative_to(journal.folder.resolve())}
    assert outside == set()


def test_pillow_decompression_bomb_guard_is_on(journal, entry_id):
    journal.add_photo(entry_id, corpus.jpeg(), "a.jpg")
    assert Image.MAX_IMAGE_PIXELS is not None
    assert Image.MAX_IMAGE_PIXELS <= 200_000_000


# --- refusals --------------------------------------------------------------------


@pytest.mark.parametrize("name", list(corpus.BAD))
def test_bad_file_is_refused_and_leaves_nothing(journal, entry_id, name):
    journal.add_photo(entry_id, corpus.jpeg(), "earlier.jpg")  # a journal that already has a photo
    filename, data = corpus.BAD[name]()
    before = listing(journal.folder)

    with pytest.raises(PhotoRejected) as caught:
        journal.add_photo(entry_id, data, filename)

    message = str(caught.value)
    assert caught.value.filename == filename
    assert message.startswith(f"{filename}: ")
    assert any(word in message for word in corpus.BAD_REASON[name]), message
    assert len(caught.value.reason) > 10
    assert len(journal.photos()) == 1
    assert journal.entry_by_id(entry_id).photo_count == 1
    assert listing(journal.folder) == before


def test_good_photos_in_the_same_batch_still_go_in(journal, entry_id):
    batch = [
        corpus.plain_jpeg(),
        corpus.truncated_jpeg(),
        corpus.heic(),
        corpus.text_as_jpg(),
        corpus.png_bomb_30000(),
        corpus.webp(),
    ]
    stored, refused = [], []
    for filename, data in batch:
        try:
            stored.append(journal.add_photo(entry_id, data, filename))
        except PhotoRejected as exc:
            refused.append(exc.filename)
    assert refused == ["truncated.jpg", "notes.jpg", "bomb.png"]
    assert sorted(p.source_name for p in journal.photos()) == ["IMG_0001.HEIC", "photo.webp", "plain.jpg"]
    assert len(stored) == 3


def test_duplicate_upload_is_refused_clearly(journal, entry_id):
    filename, data = corpus.exif_upright()
    journal.add_photo(entry_id, data, filename)
    before = listing(journal.folder)
    other_day = journal.save_entry("2026-11-20", "neck")
    for target in (entry_id, other_day):
        with pytest.raises(PhotoRejected, match="already in your journal") as caught:
            journal.add_photo(target, data, "copy.jpg")
        assert caught.value.filename == "copy.jpg"
        assert "face" in str(caught.value) and FIXED_DAY.isoformat() in str(caught.value)
    assert len(journal.photos()) == 1 and listing(journal.folder) == before


def test_reuploading_the_stored_copy_is_a_duplicate(journal, entry_id):
    filename, data = corpus.exif_rotated()
    stored = journal.photo(journal.add_photo(entry_id, data, filename)).path.read_bytes()
    with pytest.raises(PhotoRejected, match="already in your journal"):
        journal.add_photo(entry_id, stored, "exported.jpg")
    assert len(journal.photos()) == 1


def test_photo_for_a_missing_entry_is_refused(journal):
    with pytest.raises(NotFound):
        journal.add_photo(12345, corpus.jpeg(), "a.jpg")
    assert listing(journal.folder) == {}


def test_delete_photo_removes_row_and_files(journal, entry_id):
    photo = journal.photo(journal.add_photo(entry_id, corpus.jpeg(), "a.jpg"))
    journal.delete_photo(photo.id)
    assert journal.photos() == []
    assert not photo.path.exists() and not photo.thumb_path.exists()
    with pytest.raises(NotFound):
        journal.delete_photo(photo.id)
    # Once deleted, the same photo may be added again.
    again = journal.photo(journal.add_photo(entry_id, corpus.jpeg(), "a.jpg"))
    assert again.path == photo.path and again.path.is_file()


# --- mending on open -------------------------------------------------------------


def _stray(folder: Path, kind: str, seed: bytes) -> Path:
    digest = hashlib.sha256(seed).hexdigest()
    path = folder / kind / digest[:2] / f"{digest}.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(corpus.jpeg())
    return path


def test_orphans_and_leftover_temp_files_are_removed_on_open(open_journal):
    journal = open_journal()
    entry_id = journal.save_entry(FIXED_DAY, "face")
    kept = journal.photo(journal.add_photo(entry_id, corpus.jpeg(), "kept.jpg"))
    folder = journal.folder
    journal.close()

    strays = [_stray(folder, "photos", b"one"), _stray(folder, "thumbs", b"two")]
    fixed_name = folder / "photos" / "ab" / ("ab" + "0" * 62 + ".jpg")
    fixed_name.parent.mkdir(parents=True, exist_ok=True)
    fixed_name.write_bytes(b"half a photo")
    strays.append(fixed_name)
    temp = folder / "photos" / "ab" / ".incoming-x1y2z3"
    temp.write_bytes(b"interrupted write")
    unrelated = folder / "photos" / "ab" / "README.txt"
    unrelated.write_text("not ours to delete")

    again = open_journal()
    assert again.open_report.orphans_removed == len(strays)
    for path in (*strays, temp):
        assert not path.exists(), path
    assert unrelated.exists()  # only files the journal could have written are touched
    assert kept.path.is_file() and kept.thumb_path.is_file()
    assert again.open_report.missing_files == []
    again.close()
    assert open_journal().open_report.orphans_removed == 0


def test_a_second_open_of_a_busy_folder_does_not_tidy(open_journal):
    first = open_journal()
    stray = _stray(first.folder, "photos", b"being written")
    second = open_journal()  # like the CLI while the app runs
    assert second.open_report.orphans_removed == 0
    assert stray.exists()


def test_row_whose_file_was_deleted_is_reported(open_journal):
    journal = open_journal()
    entry_id = journal.save_entry(FIXED_DAY, "face")
    gone = journal.photo(journal.add_photo(entry_id, corpus.jpeg(quality=70), "gone.jpg"))
    thumb_gone = journal.photo(journal.add_photo(entry_id, corpus.jpeg(quality=75), "thumb-gone.jpg"))
    fine = journal.photo(journal.add_photo(entry_id, corpus.jpeg(quality=80), "fine.jpg"))
    journal.close()
    gone.path.unlink()
    thumb_gone.thumb_path.unlink()

    again = open_journal()
    folder = again.folder
    assert again.open_report.missing_files == sorted(
        str(p.relative_to(folder)) for p in (gone.path, thumb_gone.thumb_path)
    )
    assert again.open_report.orphans_removed == 0
    assert gone.thumb_path.exists() and fine.path.exists()  # nothing referenced is removed
    assert len(again.photos()) == 3


def test_nothing_is_left_in_temp_names_after_ingest(journal, entry_id):
    for name in ("plain_jpeg", "heic", "exif_rotated"):
        filename, data = corpus.ODD[name]()
        journal.add_photo(entry_id, data, filename)
    names = [os.path.basename(p) for p in listing(journal.folder)]
    assert not [n for n in names if n.startswith(".incoming-")]
    assert len([n for n in listing(journal.folder) if n.startswith("photos/")]) == 3


def test_photo_too_small_to_measure_is_kept_without_measurements(journal, entry_id):
    filename, data = corpus.one_pixel()
    tiny = journal.photo(journal.add_photo(entry_id, data, filename))
    assert tiny.a_star is None and tiny.sharpness is None
    normal = journal.photo(journal.add_photo(entry_id, corpus.jpeg(), "normal.jpg"))
    assert normal.a_star is not None and normal.sharpness is not None
    # Moving the region re-measures every photo of the area, the tiny one included.
    assert journal.set_region("face", Region((0.1, 0.1, 0.9, 0.9))) == 2
    assert journal.photo(tiny.id).a_star is None
    assert journal.photo(normal.id).a_star is not None
