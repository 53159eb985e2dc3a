"""FHIR export: a valid R4 Bundle of patient-reported symptom observations."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re

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
    assert kinds == ["Binary", "Media", "Observation", "Patient", "Procedure", "Provenance"]  # signed (test_signing)


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
    assert redness["bodySite"]["text"] == "Face" and redness["bodySite"]["coding"][0]["code"] == "89545001"
    assert redness["status"] == "final"


def test_swelling_and_spots_codes(journal):
    data = journal.export_fhir()
    values = [o["valueCodeableConcept"] for o in _symptoms(data) if "component" in o]
    assert sum(v.get("coding", [{}])[0].get("code") == "267038008" for v in values) == 2
    spots = [v for v in values if "hyperpigmentation" in v["text"]]
    # No verified SNOMED code for post-inflammatory hyperpigmentation: text only.
    assert spots == [{"text": "Dark spots (hyperpigmentation) after microneedling"}]


def test_the_texts_follow_the_language_and_the_codes_stay(journal):
    """Spanish: every text a reader sees (CodeableConcept.text, notes) in Spanish; the codes
    and their displays stay as their code systems define them (SNOMED, LOINC: English)."""
    journal.save_profile(name="Alex Example", fitzpatrick=4, language="es")
    data = journal.export_fhir()
    rated = [o for o in _symptoms(data) if "component" in o]
    (redness,) = [o for o in rated if o["valueCodeableConcept"].get("coding", [{}])[0].get("code") == "247441003"
                  and o["effectiveDateTime"] == "2026-11-20"]  # fmt: skip
    assert redness["valueCodeableConcept"]["text"] == "Enrojecimiento (eritema) tras la micropunción"
    assert redness["valueCodeableConcept"]["coding"][0]["display"] == "Erythema"
    assert redness["note"][0]["text"].startswith("Puntuación del paciente: 4 de 4")
    (procedure,) = _resources(data, "Procedure")
    assert procedure["code"]["text"] == "Micropunción (terapia de inducción de colágeno)"
    assert "Profundidad de la aguja: 1.5 mm" in procedure["note"][0]["text"]
    (phototype,) = [o for o in _resources(data, "Observation") if "Fitzpatrick" in json.dumps(o)]
    assert phototype["code"]["text"] == "Fototipo cutáneo de Fitzpatrick (según el paciente)"
    english = journal.export_fhir(language="en")
    assert b"after microneedling" in english and b"after microneedling" not in data


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
    face = {"coding": [{"system": SNOMED, "code": "89545001", "display": "Face structure"}], "text": "Face"}
    neck = {"coding": [{"system": SNOMED, "code": "45048000", "display": "Neck structure"}], "text": "Neck"}
    assert procedure["bodySite"] == [face, neck]
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


def test_photos_and_observations_carry_the_snomed_body_site_of_their_area(journal):
    data = journal.export_fhir(include_photos=True)
    face = [{"system": SNOMED, "code": "89545001", "display": "Face structure"}]
    neck = [{"system": SNOMED, "code": "45048000", "display": "Neck structure"}]
    assert [m["bodySite"]["coding"] for m in _resources(data, "Media")] == [face, face]
    sites = {(o["effectiveDateTime"], o["bodySite"]["text"]): o["bodySite"]["coding"] for o in _symptoms(data)}
    assert sites == {("2026-11-20", "Face"): face, ("2026-11-21", "Face"): face, ("2026-11-21", "Neck"): neck}


@pytest.mark.parametrize(
    ("area", "code", "text"),
    [
        ("face", "89545001", "Face"),
        ("hands", "85562004", "Both hands"),
        ("scalp", "41695006", "Scalp"),
        ("other", None, "Other"),
    ],
)
def test_each_area_has_its_body_site_or_only_its_name(area: str, code: str | None, text: str) -> None:
    from export.body_sites import fhir_body_site
    from recovery.vocabulary import Area

    site = fhir_body_site(Area(area))
    assert site["text"] == text
    assert [c["code"] for c in site.get("coding", [])] == ([code] if code else [])


def test_area_filter(journal):
    data = journal.export_fhir(area="neck", include_photos=True)
    assert {o["bodySite"]["text"] for o in _symptoms(data)} == {"Neck"}
    assert _resources(data, "Media") == []
    assert len(_resources(data, "Procedure")) == 1


def test_same_seed_same_bytes(journal):
    snapshot = journal.snapshot()
    moment = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    first = journal_bundle(snapshot, generated_at=moment, id_seed="seed")
    assert first == journal_bundle(snapshot, generated_at=moment, id_seed="seed")
    assert first != journal_bundle(snapshot, generated_at=moment, id_seed="other")
    assert json.loads(first)["timestamp"] == "2026-11-24T09:00:00+00:00"


# --- patient text in FHIR markdown fields ----------------------------------------------------------

NASTY = {
    "device": "![x](http://evil/)",
    "serums": "[a](javascript:alert(1))",
    "notes": '<img src=x onerror="alert(1)"> <script>alert(1)</script> &lt;b&gt; **bold** `code` ~~gone~~',
    "practitioner": "[Dr. Evil](http://evil/) <b>",
}
LINE_STARTS = "line one\n# heading\n> quote\n- item\n+ item\n1. item\n2) item\n===\n| a | b |"
# What a Markdown reader would turn into markup if it stood unescaped.
MARKUP = set("\\`*_[]<>!&~|#")


def _unescaped_markup(text: str) -> list[str]:
    """Markup characters not preceded by a backslash (a backslash escapes the character after it)."""
    found, escaped = [], False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in MARKUP:
            found.append(char)
    return found


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _markdown_values(model) -> list[str]:
    """Every value of a FHIR field typed `markdown`, anywhere in a validated model."""
    from pydantic import BaseModel

    values: list[str] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name, None)
        items = value if isinstance(value, list) else [value]
        if "Markdown" in str(info.annotation):
            values += [item for item in items if isinstance(item, str)]
        for item in items:
            if isinstance(item, BaseModel):
                values += _markdown_values(item)
    return values


@pytest.fixture
def nasty_journal(tmp_path):
    folder = tmp_path / "nasty"
    journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY))
    journal.save_profile(name="<b>Alex</b> ![me](http://evil/)")
    journal.add_treatment("2026-11-20", ["face"], needle_depth_mm=1.0, **NASTY)
    journal.add_treatment("2026-11-21", ["neck"], notes=LINE_STARTS)
    journal.save_entry("2026-11-21", "face", redness=2, notes="![x](http://evil/)")
    yield journal
    journal.close()


def test_every_markdown_field_carries_patient_text_as_literal_text(nasty_journal):
    r4b_bundle = pytest.importorskip("fhir.resources.R4B.bundle", reason="fhir.resources reads the field types")
    bundle = r4b_bundle.Bundle.model_validate_json(nasty_journal.export_fhir())
    texts = _markdown_values(bundle)
    assert len(texts) >= 3, "the notes of both treatments and of a symptom observation"
    for text in texts:
        assert _unescaped_markup(text) == [], text
    joined = "\n".join(_unescape(text) for text in texts)
    for typed in (NASTY["device"], NASTY["serums"], NASTY["notes"], LINE_STARTS):
        assert typed in joined, "read unescaped, the patient's text is all there"


def test_line_starts_cannot_make_headings_quotes_or_lists(nasty_journal):
    (_, second) = _resources(nasty_journal.export_fhir(), "Procedure")
    note = second["note"][0]["text"]
    for line in note.split("\n")[1:]:
        assert line.startswith("\\") or re.match(r"^\d+\\[.)]", line), line


def test_ordinary_treatment_text_reads_unchanged(journal):
    (procedure,) = _resources(journal.export_fhir(), "Procedure")
    note = procedure["note"][0]["text"]
    assert note == "Device: Dermapen 4; Needle depth: 1.5 mm; Serums: hyaluronic acid", "nothing to escape"


def test_plain_fields_stay_as_typed(nasty_journal):
    """`string` fields are not Markdown: they keep the text exactly (JSON carries it safely)."""
    data = nasty_journal.export_fhir()
    (patient,) = _resources(data, "Patient")
    assert patient["name"] == [{"text": "<b>Alex</b> ![me](http://evil/)"}]
    first, _ = _resources(data, "Procedure")
    assert first["performer"] == [{"actor": {"display": NASTY["practitioner"]}}]


def test_reason_medicines_and_what_was_done_are_valid_fhir(tmp_path):
    """The reason is the Procedure's reasonCode, a medicine a MedicationStatement, what the
    patient did about a flag a Communication from the patient (clinical rules v3)."""
    r4b_bundle = pytest.importorskip("fhir.resources.R4B.bundle", reason="fhir.resources validates the export")
    folder = tmp_path / "story"
    today = dt.date(2026, 11, 24)
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today)) as journal:
        journal.add_treatment("2026-11-20", "face", needle_depth_mm=1.0, reason="Acne scars")
        journal.save_entry("2026-11-22", "face", redness=1, blisters=True)
        journal.add_product("2026-11-22", "antiviral", "Antiviral tablets", "from the GP")
        journal.add_product("2026-11-22", "skin product", "Glow cream")
        card = next(c for c in journal.workspace().view.cards if c.cause[0] == "warnings")
        journal.save_response(card.key, "started medicine", "antivirals from the GP")
        data = journal.export_fhir()
    bundle = r4b_bundle.Bundle.model_validate_json(data)
    assert {"MedicationStatement", "Communication"} <= {e.resource.get_resource_type() for e in bundle.entry}
    (procedure,) = _resources(data, "Procedure")
    assert procedure["reasonCode"] == [{"text": "Acne scars"}]
    (medicine,) = _resources(data, "MedicationStatement")  # the cream is not a medicine
    assert medicine["medicationCodeableConcept"] == {"text": "Antiviral tablets"}
    assert medicine["effectiveDateTime"] == "2026-11-22"
    (message,) = _resources(data, "Communication")
    said = message["payload"][0]["contentString"]
    assert "Blisters or cold sores" in said and "Started a medicine: antivirals from the GP" in said


def test_a_photos_named_view_is_its_medias_view_and_validates(journal):
    """Issue 22: Media.view names the photo's view; a photo of no named view has none."""
    entry = journal.entry("2026-11-21", "face").id
    journal.add_photo(entry, skin_photo(0.3, seed=9), "left.jpg", view="left")
    data = journal.export_fhir(include_photos=True)
    assert [m.get("view") for m in _resources(data, "Media")] == [None, None, {"text": "Left side"}]
    r4b_bundle = pytest.importorskip("fhir.resources.R4B.bundle", reason="fhir.resources validates the export")
    r4b_bundle.Bundle.model_validate_json(data)
