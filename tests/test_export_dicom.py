"""DICOM export: VL Photographic Image files and a DICOMDIR, checked by an independent validator.

Every file goes through `dciodvfy` from Debian's dicom3tools (test.sh installs
it; in CI a missing validator fails these tests, never skips them), and is read
back with pydicom: the same pixels as the stored JPEG decoded by Pillow.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.encaps import generate_frames
from pydicom.fileset import FileSet

from demo.skin import skin_photo
from export.body_sites import BODY_SITES
from export.dicom import person_name
from export.signed import ZIP_MANIFEST
from recovery.vocabulary import Area
from store.errors import InvalidEntry, NotFound
from store.photos import jpeg
from tests import photo_journal
from tests.journals import reopen
from tests.programs import find_program

TODAY = dt.date(2026, 11, 24)
VL_PHOTOGRAPHIC = "1.2.840.10008.5.1.4.1.1.77.1.4"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"


def dciodvfy() -> str:
    return find_program("dciodvfy", package="dicom3tools")


def _progressive_full_colour(seed: int) -> bytes:
    """A progressive JPEG with unsubsampled chroma (4:4:4), as some cameras and editors save."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(skin_photo(0.5, seed=seed))).save(buffer, "JPEG", progressive=True, subsampling=0)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Face photos with the reference card on two days of one course; the hands in a
    course of their own (a progressive photo); a photo of "other" before any treatment."""
    folder = tmp_path_factory.mktemp("dicom") / "journal"
    photo_journal.build(folder, TODAY, [photo_journal.photo(0), photo_journal.photo(1)])
    with reopen(folder, TODAY) as journal:
        journal.save_profile(name="Alex Example")
        journal.add_treatment("2026-11-20", ["hands"], device="Dermapen 4")
        hands = journal.save_entry("2026-11-21", "hands", redness=1)
        journal.add_photo(hands, _progressive_full_colour(3), "hands.jpg")
        other = journal.save_entry("2026-11-10", "other", redness=0)
        journal.add_photo(other, skin_photo(0.2, seed=4), "other.jpg")
    return folder


@pytest.fixture(scope="module")
def exported(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export of every photo, unpacked."""
    with reopen(folder, TODAY) as journal:
        data = journal.export_dicom()
    target = tmp_path_factory.mktemp("unpacked")
    zipfile.ZipFile(io.BytesIO(data)).extractall(target)
    return target


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in ("DICOMDIR", ZIP_MANIFEST))


def _datasets(root: Path) -> Iterator[tuple[Path, Dataset]]:
    for path in _files(root):
        yield path, dcmread(path)


def _photos(folder: Path) -> list[tuple[Area, bytes, float | None]]:
    with reopen(folder, TODAY) as journal:
        return [(p.area, journal.read_photo(p), p.mm_per_px) for p in journal.photos()]


def test_every_file_passes_the_independent_validator(exported: Path) -> None:
    validator = dciodvfy()
    files = [*_files(exported), exported / "DICOMDIR"]
    assert len(files) == 5
    for path in files:
        result = subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=60)
        report = result.stdout + result.stderr
        assert "Error" not in report, f"{path.relative_to(exported)}:\n{report}"
        # The one warning expected: the laterality of "other" is not known, so it is empty.
        warnings = [line for line in report.splitlines() if line.startswith("Warning")]
        assert all("<Laterality>" in line for line in warnings), report


def test_each_file_holds_one_stored_photo_with_the_same_pixels(folder: Path, exported: Path) -> None:
    photos = _photos(folder)
    decoded = [np.asarray(Image.open(io.BytesIO(data)).convert("RGB")) for _, data, _ in photos]
    found = []
    for path, ds in _datasets(exported):
        assert ds.SOPClassUID == VL_PHOTOGRAPHIC and ds.file_meta.TransferSyntaxUID == JPEG_BASELINE
        pixels = ds.pixel_array
        same = [index for index, expected in enumerate(decoded) if np.array_equal(pixels, expected)]
        assert len(same) == 1, path
        found += same
        (frame,) = generate_frames(ds.PixelData, number_of_frames=1)
        stored = photos[same[0]][1]
        if jpeg.frame(stored).baseline:  # type: ignore[union-attr]
            assert frame.rstrip(b"\0") == stored.rstrip(b"\0")  # the stored bytes, not re-encoded
        else:  # progressive: rewritten losslessly as baseline, hence the same pixels above
            assert jpeg.frame(frame).baseline  # type: ignore[union-attr]
    assert sorted(found) == list(range(len(photos)))


def test_the_dicomdir_lists_every_file(exported: Path) -> None:
    fileset = FileSet(dcmread(exported / "DICOMDIR"))
    listed = {Path(instance.path).resolve() for instance in fileset}
    assert listed == {path.resolve() for path in _files(exported)}
    uids = {instance.SOPInstanceUID for instance in fileset}
    assert uids == {ds.SOPInstanceUID for _, ds in _datasets(exported)}


def test_studies_are_treatment_courses_and_series_are_days(exported: Path) -> None:
    by_area: dict[str, list[Dataset]] = {}
    for _, ds in _datasets(exported):
        by_area.setdefault(ds.SeriesDescription.split(",")[0], []).append(ds)
    face, hands, other = by_area["Face"], by_area["Hands"], by_area["Other"]
    assert len(face) == 2 and len({ds.StudyInstanceUID for ds in face}) == 1  # one course
    assert len({ds.SeriesInstanceUID for ds in face}) == 2  # two days
    studies = {face[0].StudyInstanceUID, hands[0].StudyInstanceUID, other[0].StudyInstanceUID}
    assert len(studies) == 3
    assert other[0].StudyDescription == "Skin photos outside a microneedling course"
    assert "Dermapen 4" in hands[0].StudyDescription and hands[0].StudyDate == "20261120"
    assert sorted(ds.SeriesDescription for ds in face) == ["Face, day 0, 2026-11-22", "Face, day 2, 2026-11-24"]


def test_patient_anatomy_and_scale(folder: Path, exported: Path) -> None:
    scales = {mm for _, _, mm in _photos(folder)}
    for _, ds in _datasets(exported):
        assert ds.PatientName == "Example^Alex" and ds.PatientBirthDate == "" and ds.Modality == "XC"
        assert ds.PatientID.startswith("HJ-")
        area = Area(ds.SeriesDescription.split(",")[0].lower())
        site = BODY_SITES.get(area)
        if site is None:
            assert "AnatomicRegionSequence" not in ds and "ImageLaterality" not in ds
        else:
            (region,) = ds.AnatomicRegionSequence
            assert (region.CodeValue, region.CodingSchemeDesignator) == (site.code, "SCT")
            assert ds.ImageLaterality == site.laterality.value
        assert ds.RecognizableVisualFeatures == ("YES" if area in (Area.FACE, Area.OTHER) else "NO")
        if area is Area.FACE:  # the card was measured on the face photos
            assert float(ds.PixelSpacing[0]) == pytest.approx(float(ds.PixelSpacing[1]))
            assert any(mm and float(ds.PixelSpacing[0]) == pytest.approx(mm, rel=1e-5) for mm in scales)
        else:
            assert "PixelSpacing" not in ds
        assert not [element.keyword for element in ds if "GPS" in element.keyword or "Device" in element.keyword]


def test_the_same_photo_exported_again_or_alone_keeps_its_uids(folder: Path, exported: Path) -> None:
    with reopen(folder, TODAY) as journal:
        first = journal.photos()[0]
        alone = journal.export_dicom([first.id])
    with zipfile.ZipFile(io.BytesIO(alone)) as archive:
        (member,) = [name for name in archive.namelist() if name not in ("DICOMDIR", ZIP_MANIFEST)]
        single = dcmread(io.BytesIO(archive.read(member)))
    matching = [ds for _, ds in _datasets(exported) if ds.SOPInstanceUID == single.SOPInstanceUID]
    assert len(matching) == 1
    (ds,) = matching
    keys = ("StudyInstanceUID", "SeriesInstanceUID", "SeriesNumber", "InstanceNumber", "PatientID")
    assert [ds[k].value for k in keys] == [single[k].value for k in keys]


def test_a_pseudonym_replaces_the_name_everywhere(folder: Path) -> None:
    with reopen(folder, TODAY) as journal:
        data = journal.export_dicom(patient_name="A.E.")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        contents = b"".join(archive.read(name) for name in archive.namelist())
        first = next(name for name in archive.namelist() if name not in ("DICOMDIR", ZIP_MANIFEST))
        assert dcmread(io.BytesIO(archive.read(first))).PatientName == "A.E."
    assert b"Alex" not in contents and b"Example" not in contents


def test_names_are_written_family_name_first() -> None:
    assert person_name("Alex Example") == "Example^Alex"
    assert person_name("Mary Ann  Smith") == "Smith^Mary Ann"
    assert person_name("A.E.") == "A.E."
    assert person_name("Lee^Min") == "Lee^Min"  # typed in DICOM's own form: kept


def test_bad_requests_are_refused_with_words(folder: Path, tmp_path: Path) -> None:
    with reopen(folder, TODAY) as journal:
        with pytest.raises(NotFound, match="There is no photo number 999"):
            journal.export_dicom([999])
        with pytest.raises(InvalidEntry, match="choose at least one"):
            journal.export_dicom([])
        with pytest.raises(InvalidEntry, match="cannot contain '='"):
            journal.export_dicom(patient_name="Alex=Example")
        with pytest.raises(InvalidEntry, match="64 characters at most"):
            journal.export_dicom(patient_name="x" * 65)
    with reopen(tmp_path / "empty", TODAY) as empty:
        with pytest.raises(InvalidEntry, match="There are no photos to export"):
            empty.export_dicom()


def test_a_days_views_are_series_of_their_own_and_pass_the_validator(tmp_path: Path) -> None:
    """Issue 22: a series per day and view; photos of no named view keep their day's series."""
    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        journal.add_treatment("2026-11-22", ["face"])
        entry = journal.save_entry(TODAY, "face", redness=1)
        for index, view in enumerate(("front", "left", "left", "unspecified")):
            journal.add_photo(entry, photo_journal.photo(index), f"{view}-{index}.jpg", view=view)
        data = journal.export_dicom()
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path / "unpacked")
    datasets = [ds for _, ds in _datasets(tmp_path / "unpacked")]
    series = {ds.SeriesDescription: ds.SeriesInstanceUID for ds in datasets}
    assert sorted(series) == [
        "Face, Front, day 2, 2026-11-24",
        "Face, Left side, day 2, 2026-11-24",
        "Face, day 2, 2026-11-24",
    ]
    assert len(set(series.values())) == 3 and len({ds.SeriesNumber for ds in datasets}) == 3
    left = [ds for ds in datasets if "Left side" in ds.SeriesDescription]
    assert sorted(ds.InstanceNumber for ds in left) == [1, 2]
    validator = dciodvfy()
    for path in _files(tmp_path / "unpacked"):
        result = subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=60)
        assert "Error" not in result.stdout + result.stderr, f"{path.name}:\n{result.stdout}{result.stderr}"
