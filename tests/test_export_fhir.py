"""FHIR export: a valid R4 Bundle of patient-reported symptom observations."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from PIL import Image

from demo.skin import skin_photo
from export.fhir import SEVERITY_BY_RATING, journal_bundle
from healing_journal import Journal, Settings
from tests import builders

TODAY = dt.date(2026, 11, 24)
LOINC, SNOMED = "http://loinc.org", "http://snomed.info/sct"


def _photo_with_gps(seed: int) -> bytes:
    """A phone-like JPEG carrying a camera model and a GPS position."""
    image = Image.open(io.BytesIO(skin_photo(0.5, seed=seed)))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


@pytest.fixture
def journal(tmp_path):
    folder = tmp_path / "j"
    journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY))
    journal.save_profile(name="Alex Example", fitzpatrick=4)
    journal.add_treatment(
        "2026-11-20",
        ["face", "neck"],
        device="Dermapen 4",
        needle_depth_mm=1.5,
        serums="hyaluronic acid",
        practitioner="Dr. Lee",
    )
    day0 = journal.save_entry("2026-11-20", "face", redness=4, swelling=3, spots=0, bleeding=True)
    journal.add_photo(day0, _photo_with_gps(1), "IMG_0001.jpg")
    day1 = journal.save_entry("2026-11-21", "face", redness=1, swelling=2, spots=None)
    journal.add_photo(day1, _photo_with_gps(2), "IMG_0002.jpg")
    journal.save_entry("2026-11-21", "neck", redness=2)
    yield journal
    journal.close()


def _resources(data: bytes, kind: str | None = None) -> list[dict]:
    bundle = json.loads(data)
    return [e["resource"] for e in bundle["entry"] if kind is None or e["resource"]["resourceType"] == kind]


def _symptoms(data: bytes) -> list[dict]:
    symptom = [{"system": LOINC, "code": "75325-1", "display": "Symptom"}]
    return [r for r in _resources(data, "Observation") if r["code"].get("coding") == symptom]


def test_bundle_is_valid_fhir_r4(journal):
    r4b_bundle = pytest.importorskip("fhir.resources.R4B.bundle", reason="fhir.resources validates the export")
    data = journal.export_fhir(include_photos=True)
    bundle = r4b_bundle.Bundle.model_validate_json(data)
    assert bundle.type == "collection"
    kinds = sorted({e.resource.get_resource_type() for e in bundle.entry})
    assert kinds == ["Media", "Observation", "Patient", "Procedure"]


def test_one_observation_per_rated_sign_per_entry(journal):
    data = journal.export_fhir()
    rated = [o for o in _symptoms(data) if "component" in o]
    # face day 0: 3 signs, face day 1: 2 rated (spots not rated), neck: 1.
    assert len(rated) == 6
    (redness,) = [
        o
        for o in rated
        if o["effectiveDateTime"] == "2026-11-20"
        and o["valueCodeableConcept"].get("coding", [{}])[0].get("code") == "247441003"
    ]
    severity, raw = redness["component"]
    assert severity["code"]["coding"] == [{"system": LOINC, "code": "64750-3", "display": "Severity of symptoms"}]
    assert severity["valueCodeableConcept"]["coding"][0] == {"system": SNOMED, "code": "24484000", "display": "Severe"}
    assert raw["valueInteger"] == 4
    assert redness["bodySite"] == {"text": "face"}
    assert redness["status"] == "final"


def test_swelling_and_spots_codes(journal):
    data = journal.export_fhir()
    values = [o["valueCodeableConcept"] for o in _symptoms(data) if "component" in o]
    assert sum(v.get("coding", [{}])[0].get("code") == "267038008" for v in values) == 2
    spots = [v for v in values if "hyperpigmentation" in v["text"]]
    # No verified SNOMED code for post-inflammatory hyperpigmentation: text only.
    assert spots == [{"text": "Dark spots (hyperpigmentation) after microneedling"}]


def test_subject_and_performer_are_the_patient(journal):
    data = journal.export_fhir()
    bundle = json.loads(data)
    patient_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    for observation in _symptoms(data):
        assert observation["subject"] == {"reference": patient_url}
        assert observation["performer"] == [{"reference": patient_url}]
    assert _resources(data, "Patient")[0]["name"] == [{"text": "Alex Example"}]


@pytest.mark.parametrize(
    "rating,code", [(0, "2667000"), (1, "255604002"), (2, "255604002"), (3, "1255665007"), (4, "24484000")]
)
def test_severity_mapping_of_the_0_to_4_scale(rating, code):
    snapshot = builders.snapshot([{"day": dt.date(2026, 1, 5), "area": "face", "redness": rating}])
    data = journal_bundle(snapshot, id_seed="t")
    (observation,) = _symptoms(data)
    assert observation["component"][0]["valueCodeableConcept"]["coding"][0]["code"] == code
    assert observation["component"][1]["valueInteger"] == rating
    assert SEVERITY_BY_RATING[rating]["code"] == code


def test_patient_without_a_name_has_none():
    data = journal_bundle(builders.snapshot([], profile_row={"name": "", "fitzpatrick": None}), id_seed="t")
    assert _resources(data, "Patient") == [{"resourceType": "Patient", "id": _resources(data)[0]["id"]}]
    assert _resources(data, "Observation") == []


def test_skin_type_as_snomed_phototype(journal):
    (skin,) = [
        o for o in _resources(journal.export_fhir(), "Observation") if "Fitzpatrick" in o["code"].get("text", "")
    ]
    assert skin["valueCodeableConcept"]["coding"][0]["code"] == "403231003"  # type IV


def test_treatment_as_procedure(journal):
    (procedure,) = _resources(journal.export_fhir(), "Procedure")
    assert procedure["performedDateTime"] == "2026-11-20"
    assert procedure["bodySite"] == [{"text": "face"}, {"text": "neck"}]
    note = procedure["note"][0]["text"]
    assert "Dermapen 4" in note and "1.5 mm" in note and "hyaluronic acid" in note
    assert procedure["performer"] == [{"actor": {"display": "Dr. Lee"}}]


def test_warning_and_presence_signs_answered_yes_are_reported(journal):
    texts = [o["valueCodeableConcept"]["text"] for o in _symptoms(journal.export_fhir()) if "component" not in o]
    assert texts == ["Pinpoint bleeding"]


def test_photos_only_on_request(journal):
    assert _resources(journal.export_fhir(), "Media") == []


def test_media_carry_the_metadata_free_stored_photos(journal):
    media = _resources(journal.export_fhir(include_photos=True), "Media")
    stored = journal.photos()
    assert [m["createdDateTime"] for m in media] == ["2026-11-20", "2026-11-21"]
    for item, photo in zip(media, stored):
        assert item["content"]["contentType"] == "image/jpeg"
        data = base64.b64decode(item["content"]["data"])
        assert data == photo.path.read_bytes()
        image = Image.open(io.BytesIO(data))
        assert dict(image.getexif()) == {}
        assert b"Exif" not in data and b"Phone X" not in data
        assert (item["width"], item["height"]) == (photo.width, photo.height)


def test_area_filter(journal):
    data = journal.export_fhir(area="neck", include_photos=True)
    assert {o["bodySite"]["text"] for o in _symptoms(data)} == {"neck"}
    assert _resources(data, "Media") == []
    assert len(_resources(data, "Procedure")) == 1


def test_same_seed_same_bytes(journal):
    snapshot = journal.snapshot()
    moment = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    first = journal_bundle(snapshot, generated_at=moment, id_seed="seed")
    assert first == journal_bundle(snapshot, generated_at=moment, id_seed="seed")
    assert first != journal_bundle(snapshot, generated_at=moment, id_seed="other")
    assert json.loads(first)["timestamp"] == "2026-11-24T09:00:00+00:00"
