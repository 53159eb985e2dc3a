"""Nothing a camera wrote into a photo leaves the journal in any export."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile

import pytest
from PIL import Image

from healing_journal import Journal
from tests import corpus
from tests.conftest import FIXED_DAY

# (The motion-photo sample shows the same picture as exif_upright and would be a duplicate.)
METADATA_SAMPLES = ("exif_upright", "exif_rotated", "display_p3", "png_exif_rotated")
JPEG_STREAM = re.compile(rb"\xff\xd8\xff.*?\xff\xd9", re.S)


@pytest.fixture
def journal_with_phone_photos(journal: Journal) -> Journal:
    journal.add_treatment(FIXED_DAY, "face")
    entry = journal.save_entry(FIXED_DAY, "face", redness=2)
    for name in METADATA_SAMPLES:
        filename, data = corpus.ODD[name]()
        assert any(s in data for s in corpus.SENTINELS.values()) or name == "display_p3"
        journal.add_photo(entry, data, filename=filename)
    return journal


def _assert_clean(blob: bytes, where: str) -> None:
    for name, sentinel in corpus.SENTINELS.items():
        assert sentinel not in blob, f"{name} metadata leaked into {where}"
    assert corpus.XMP_NAMESPACE not in blob, f"XMP leaked into {where}"


def _assert_clean_jpeg(data: bytes, where: str) -> None:
    _assert_clean(data, where)
    assert b"Exif\x00\x00" not in data, f"EXIF block in {where}"
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), where
    assert "icc_profile" not in image.info and "xmp" not in image.info, where


def test_backup_holds_only_clean_photos(journal_with_phone_photos: Journal) -> None:
    archive = zipfile.ZipFile(io.BytesIO(journal_with_phone_photos.backup()))
    photos = [name for name in archive.namelist() if name.endswith(".jpg")]
    assert len(photos) == 2 * len(METADATA_SAMPLES)  # photo and thumbnail each
    for name in photos:
        _assert_clean_jpeg(archive.read(name), f"backup member {name}")


def test_fhir_media_are_clean(journal_with_phone_photos: Journal) -> None:
    bundle = journal_with_phone_photos.export_fhir(include_photos=True)
    _assert_clean(bundle, "FHIR bundle")
    media = [e["resource"] for e in json.loads(bundle)["entry"] if e["resource"]["resourceType"] == "Media"]
    assert len(media) == len(METADATA_SAMPLES)
    for resource in media:
        _assert_clean_jpeg(base64.b64decode(resource["content"]["data"]), "FHIR Media")


def test_pdf_images_are_clean(journal_with_phone_photos: Journal) -> None:
    pdf = journal_with_phone_photos.export_pdf(include_photos=True)
    _assert_clean(pdf, "PDF")
    streams = JPEG_STREAM.findall(pdf)
    assert streams, "the summary should embed the photos"
    for stream in streams:
        _assert_clean_jpeg(stream, "PDF image")


def test_csv_carries_no_file_names_or_metadata(journal_with_phone_photos: Journal) -> None:
    exported = journal_with_phone_photos.export_csv()
    _assert_clean(exported, "CSV")
    assert b"SECRET" not in exported
