"""Photos for a hospital's image archive: DICOM VL Photographic Image files and a DICOMDIR, in one ZIP.

The attributes follow DICOM PS3.3 A.33.4 (VL Photographic Image IOD), as dicom3tools' `dciodvfy` checks them.

One file per photo (SOP class VL Photographic Image Storage, modality XC,
"external-camera photography"), filed as an archive files them:
- the patient: the name the patient chose for the file (the profile's name, or
  a pseudonym such as initials; see `person_name` for its DICOM form), and a Patient ID made for the journal
  ("HJ-" and 12 hex digits from `journal_key`; a DICOMDIR must have one). The
  journal keeps no birth date or sex, so those type 2 attributes are present
  and empty, for the hospital to fill when it files the photos under its own
  record and number;
- a study per treatment course (the treatment's day, device and areas), and
  one more for photos outside any course (before the first treatment);
- a series per day, area and view ("Face, Left side, day 3"), as the
  guidelines' named views are files of their own (recovery.vocabulary.View);
  photos of no named view (those taken before views existed) share their
  day's and area's series, with the UIDs they had before views;
- the stored JPEG's own bytes as encapsulated pixel data (JPEG Baseline
  transfer syntax): never decoded and re-encoded. `JpegPhoto.data` must be a
  baseline JPEG; the workspace rewrites a progressive one losslessly first;
- the area's SNOMED CT body structure (export.body_sites) as the Anatomic
  Region Sequence, with Image Laterality; "other" has no code, so its files
  carry no anatomic region rather than a guess;
- Recognizable Visual Features: YES for the face and for "other" (nobody
  knows what it shows), NO for the neck, chest, hands and scalp;
- the reference card's millimetres per pixel, where the card was measured,
  as Pixel Spacing (the IOD has no attribute saying how it was calibrated).
- Photometric Interpretation YBR_FULL_422 for every colour JPEG: the VL Image
  module allows no other YCbCr value (not YBR_FULL), and a decoder takes the
  actual chroma sampling (4:2:0, 4:2:2 or 4:4:4) from the JPEG's own header.

Nothing about the camera or the place is written (the stored JPEG holds none).

UIDs are derived, never random (2.25 arc: a UUID-sized number from a hash), so
exporting the same photo again gives the same UIDs and an archive sees the same
image rather than a copy. Each is derived from `journal_key` (which keeps two
journals apart) and what it names: the treatment for a study, the study, day
area and (named) view for a series, the photo's content hash and number for an instance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydicom import dcmread
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.fileset import FileSet
from pydicom.uid import UID, JPEGBaseline8Bit, VLPhotographicImageStorage

from export.body_sites import BODY_SITES
from export.demo_mark import DEMO_MARK
from export.signed import ZIP_MANIFEST, manifest_json, photo_ref
from recovery.language import N_
from recovery.model import JournalSnapshot, Photo, Treatment
from recovery.vocabulary import VIEWS, Area, View
from signing.manifest import Signer, sha256

SNOMED_SCHEME = "SCT"  # DICOM's coding scheme designator for SNOMED CT
# The areas whose photos may show who the patient is (see the module docstring).
RECOGNIZABLE_AREAS = frozenset({Area.FACE, Area.OTHER})
PATIENT_NAME_MAX = 64  # characters of a DICOM person name (PN) group
# Characters that separate a DICOM person name's groups or a value's values: never part of a name typed here.
_NAME_DELIMITERS = "=\\"
_NAME_COMPONENTS = 5  # family, given, middle, prefix, suffix: at most four "^"
_UTF8 = "ISO_IR 192"
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://healing-journal.invalid/dicom")
# The journal keeps a treatment's day, not its hour, and not every photo's hour; where
# DICOM needs a time (the DICOMDIR's study, a VL image's content), midnight stands for the day.
_NO_HOUR = "000000"
_FILE_TIME = (1980, 1, 1, 0, 0, 0)  # every ZIP member's timestamp: a listing reveals no date


@dataclass(frozen=True)
class JpegPhoto:
    """A stored photo ready to file: its record and its JPEG bytes (baseline, 8-bit)."""

    photo: Photo
    data: bytes
    components: int  # 3 for colour, 1 for grey


def patient_name_problem(name: str) -> str | None:
    """Why `name` cannot be the name in the files, in the patient's words; None if it can."""
    if len(name.strip()) > PATIENT_NAME_MAX:
        return f"The name in the file can be {PATIENT_NAME_MAX} characters at most (initials will do)."
    if name.count("^") >= _NAME_COMPONENTS:
        return f"The name in the file can have {_NAME_COMPONENTS} parts at most, separated by ^."
    found = sorted({c for c in name if c in _NAME_DELIMITERS or (not c.isprintable())})
    if found:
        shown = ", ".join(repr(c) for c in found)
        return f"The name in the file cannot contain {shown}: DICOM uses them to separate names."
    return None


def person_name(name: str) -> str:
    """The name as DICOM writes a person's name, family name first ("Example^Alex").

    A name typed with "^" is taken as DICOM's own form. Otherwise the last word
    is taken as the family name ("Alex Example" -> "Example^Alex"), as the
    profile's name is usually written; one word (initials, a pseudonym) stays
    as it is. Spaces inside a component are DICOM's retired name form."""
    name = " ".join(name.split())
    if "^" in name or " " not in name:
        return name
    given, family = name.rsplit(" ", 1)
    return f"{family}^{given}"


def dicom_archive(
    snapshot: JournalSnapshot,
    photos: Sequence[JpegPhoto],
    *,
    patient_name: str,
    journal_key: str,
    signer: Signer | None = None,
) -> bytes:
    """A ZIP holding DICOMDIR and one DICOM file per photo (IMAGES/...), as bytes; with
    `signer`, also MANIFEST.json, the signed manifest of every file (export.signed).

    Raises ValueError when there is no photo or the name cannot be written
    (`patient_name_problem`); the caller names the problem first."""
    if not photos:
        raise ValueError("no photos to export")
    problem = patient_name_problem(patient_name)
    if problem:
        raise ValueError(problem)
    filing = _Filing(snapshot, journal_key)
    fileset = FileSet()
    fileset.ID = "HEALING_JOURNAL"
    for item in photos:
        fileset.add(_instance(item, filing, person_name(patient_name)))
    # The same photos give the same file-set UID, so the same export gives the same bytes.
    fileset.UID = filing.uid("fileset", *sorted(filing.instance_uid(item.photo) for item in photos))
    # FileSet writes to a folder: a private temporary one (0700), gone when done.
    with tempfile.TemporaryDirectory(prefix="dicom-") as folder:
        fileset.write(folder)
        by_uid = {str(filing.instance_uid(item.photo)): item.photo for item in photos}
        return _zipped(Path(folder), by_uid, signer)


class _Filing:
    """Where each photo goes: its study, series and instance numbers and UIDs.

    Numbers count over the whole journal, not over the photos chosen, so a
    photo keeps its numbers whichever photos are exported with it."""

    def __init__(self, snapshot: JournalSnapshot, journal_key: str):
        self.snapshot = snapshot
        self.key = journal_key
        self._treatments = {treatment.id: treatment for treatment in snapshot.treatments}
        self._calendar = snapshot.calendar
        series: dict[tuple[int | None, dt.date, Area, View], list[int]] = {}
        for photo in sorted(snapshot.photos, key=lambda p: (p.day, p.area, VIEWS.index(p.view), p.id)):
            series.setdefault(self._series_key(photo), []).append(photo.id)
        self._series = series
        studies: dict[int | None, list[tuple[dt.date, Area, View]]] = {}
        for course, day, area, view in series:
            studies.setdefault(course, []).append((day, area, view))
        self._studies = studies

    @property
    def patient_id(self) -> str:
        return "HJ-" + hashlib.sha256(f"healing-journal-patient/{self.key}".encode()).hexdigest()[:12]

    def course(self, photo: Photo) -> Treatment | None:
        placement = self._calendar.place(photo.day, photo.area)
        return None if placement.treatment_id is None else self._treatments.get(placement.treatment_id)

    def _series_key(self, photo: Photo) -> tuple[int | None, dt.date, Area, View]:
        course = self.course(photo)
        return (None if course is None else course.id, photo.day, photo.area, photo.view)

    def uid(self, *names: str) -> UID:
        # A name-based UUID as a UID under 2.25 (ISO/IEC 9834-8): the same names, the same UID.
        return UID(f"2.25.{uuid.uuid5(_UID_NAMESPACE, '/'.join((self.key, *names))).int}")

    def study_uid(self, photo: Photo) -> UID:
        course = self.course(photo)
        return self.uid("study", "none" if course is None else f"{course.id}/{course.day.isoformat()}")

    def series_uid(self, photo: Photo) -> UID:
        names = [self.study_uid(photo), photo.day.isoformat(), str(photo.area)]
        if photo.view is not View.UNSPECIFIED:
            names.append(str(photo.view))  # unspecified: the UID the series had before views
        return self.uid("series", *names)

    def instance_uid(self, photo: Photo) -> UID:
        return self.uid("instance", photo.sha256, str(photo.id))

    def series_number(self, photo: Photo) -> int:
        key = self._series_key(photo)
        return self._studies[key[0]].index(key[1:]) + 1

    def instance_number(self, photo: Photo) -> int:
        return self._series[self._series_key(photo)].index(photo.id) + 1

    def study_day(self, photo: Photo) -> dt.date:
        course = self.course(photo)
        if course is not None:
            return course.day
        return min(day for day, *_ in self._studies[None])


def _instance(item: JpegPhoto, filing: _Filing, patient_name: str) -> Dataset:
    photo = item.photo
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = VLPhotographicImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = filing.instance_uid(photo)
    ds.file_meta.TransferSyntaxUID = JPEGBaseline8Bit
    ds.SpecificCharacterSet = _UTF8
    ds.SOPClassUID = VLPhotographicImageStorage
    ds.SOPInstanceUID = filing.instance_uid(photo)
    _patient(ds, patient_name, filing)
    _study(ds, photo, filing)
    _series(ds, photo, filing)
    ds.Manufacturer = ""  # type 2: the camera is not known (and not told)
    _image(ds, item, filing)
    if filing.snapshot.is_demo:
        ds.ImageComments = DEMO_MARK  # synthetic data is never taken for a patient's
    _anatomy(ds, photo.area)
    _pixels(ds, item)
    return ds


def _patient(ds: Dataset, name: str, filing: _Filing) -> None:
    ds.PatientName = name
    ds.PatientID = filing.patient_id
    ds.IssuerOfPatientID = "Healing Journal"  # not the hospital's number: the app made it
    ds.PatientBirthDate = ""  # type 2: the journal keeps no birth date
    ds.PatientSex = ""


def _study(ds: Dataset, photo: Photo, filing: _Filing) -> None:
    course = filing.course(photo)
    ds.StudyInstanceUID = filing.study_uid(photo)
    ds.StudyDate = _da(filing.study_day(photo))
    ds.StudyTime = _NO_HOUR
    ds.ReferringPhysicianName = ""
    ds.StudyID = "NONE" if course is None else f"C{course.id}"  # the course's number in the journal
    ds.AccessionNumber = ""
    ds.StudyDescription = _course_text(course)


def _course_text(course: Treatment | None) -> str:
    if course is None:
        return "Skin photos outside a microneedling course"
    areas = ", ".join(area.label.lower() for area in course.areas)
    device = f" with {course.device}" if course.device else ""
    return f"Skin after microneedling on {course.day.isoformat()}{device} ({areas})"[:64]


def _series(ds: Dataset, photo: Photo, filing: _Filing) -> None:
    ds.Modality = "XC"  # external-camera photography
    ds.SeriesInstanceUID = filing.series_uid(photo)
    ds.SeriesNumber = filing.series_number(photo)
    ds.SeriesDate = _da(photo.day)
    place = photo.area.label if photo.view is View.UNSPECIFIED else f"{photo.area.label}, {photo.view.label}"
    ds.SeriesDescription = f"{place}, {photo.day_label}, {photo.day.isoformat()}"[:64]


def _image(ds: Dataset, item: JpegPhoto, filing: _Filing) -> None:
    photo = item.photo
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.InstanceNumber = filing.instance_number(photo)
    ds.PatientOrientation = ""
    ds.ContentDate = _da(photo.day)
    ds.ContentTime = photo.captured_at.strftime("%H%M%S") if photo.captured_at else _NO_HOUR
    ds.AcquisitionContextSequence = []  # type 2: nothing is known of how it was taken
    ds.BurnedInAnnotation = "NO"
    ds.RecognizableVisualFeatures = "YES" if photo.area in RECOGNIZABLE_AREAS else "NO"
    # The stored photo is the camera's (or ingest's) lossy JPEG, carried as it is.
    ds.LossyImageCompression = "01"
    ds.LossyImageCompressionMethod = "ISO_10918_1"
    ratio = photo.width * photo.height * item.components / len(item.data)
    ds.LossyImageCompressionRatio = f"{ratio:.2f}"
    if photo.mm_per_px:
        ds.PixelSpacing = [f"{photo.mm_per_px:.6g}", f"{photo.mm_per_px:.6g}"]  # row, column spacing in mm


def _anatomy(ds: Dataset, area: Area) -> None:
    site = BODY_SITES.get(area)
    if site is None:
        ds.Laterality = ""  # type 2C without Image Laterality: present, unknown
        return  # "other": no code, so no anatomic region rather than a guess
    region = Dataset()
    region.CodeValue = site.code
    region.CodingSchemeDesignator = SNOMED_SCHEME
    region.CodeMeaning = site.display
    ds.AnatomicRegionSequence = [region]
    ds.ImageLaterality = site.laterality.value


def _pixels(ds: Dataset, item: JpegPhoto) -> None:
    ds.Rows = item.photo.height
    ds.Columns = item.photo.width
    ds.SamplesPerPixel = item.components
    if item.components == 1:
        ds.PhotometricInterpretation = "MONOCHROME2"
    else:
        ds.PhotometricInterpretation = "YBR_FULL_422"  # see the module docstring
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = encapsulate([item.data])
    ds["PixelData"].VR = "OB"


def _da(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _zipped(folder: Path, by_uid: dict[str, Photo], signer: Signer | None) -> bytes:
    files = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    if signer is not None:
        files[ZIP_MANIFEST] = manifest_json(_manifest(files, by_uid, signer))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, _FILE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()


def _manifest(files: dict[str, bytes], by_uid: dict[str, Photo], signer: Signer) -> dict[str, object]:
    """Every file's SHA-256; each image file names its photo (day and area, original's SHA-256)."""
    photos = sorted(by_uid.values(), key=lambda photo: (photo.day, photo.area, photo.id))
    number = {photo.id: index for index, photo in enumerate(photos)}
    parts: dict[str, dict[str, object]] = {}
    for name, data in files.items():
        part: dict[str, object] = {"sha256": sha256(data)}
        if name == "DICOMDIR":
            part["what"] = N_("the DICOMDIR (the list of files)")
        else:
            uid = str(dcmread(io.BytesIO(data), stop_before_pixels=True).SOPInstanceUID)
            part.update(photo=number[by_uid[uid].id], what=N_("its DICOM file"))
        parts[name] = part
    return signer.sign("dicom", [photo_ref(photo) for photo in photos], parts)
