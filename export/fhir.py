"""The journal as a FHIR R4 Bundle (JSON, type "collection").

Follows the pattern of the HL7 FHIR Symptoms IG `SymptomObservation`
(http://hl7.org/fhir/uv/symptoms/): code LOINC 75325-1 "Symptom", the value is
the SNOMED CT finding, a component LOINC 64750-3 "Severity of symptoms" carries
the coded severity, and the patient is both subject and performer (the ratings
are patient-reported). `meta.profile` is not claimed: the resources were not
validated against the IG's profile, only against base FHIR.

The app's 0-4 scales have five levels and SNOMED's severity value set four, so
levels 1 ("almost clear") and 2 ("mild") both map to "mild":
0 -> 2667000 absent, 1-2 -> 255604002 mild, 3 -> 1255665007 moderate,
4 -> 24484000 severe. The raw 0-4 rating is kept in a second component
(valueInteger) so nothing is lost.

No SNOMED code for post-inflammatory hyperpigmentation was verified (see
docs/clinical-basis.md, "Interoperability codes"), so the spots observation carries text only.

`Annotation.text` (every `note`) is FHIR `markdown`, the only such field this
export fills: a viewer renders it. What the patient typed goes in there with
its Markdown escaped (`markdown_text`), so an image, a link or raw HTML in a
note reaches the reader as the literal characters typed. The other text
fields are FHIR `string` and carry the text as typed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from export.body_sites import fhir_body_site
from export.demo_mark import fhir_meta, fhir_narrative
from recovery.cards import Card
from recovery.language import N_, _
from recovery.model import Entry, FlagResponse, JournalSnapshot, ProductUse, Profile, Treatment
from recovery.vocabulary import (
    EMERGENCY_SIGNS,
    FITZPATRICK,
    PRESENCE_SIGNS,
    RATED_SIGNS,
    WARNING_SIGNS,
    Area,
    Sign,
    View,
)
from signing.manifest import MARK, PhotoRef, Signer, Verification, canonical, check, not_an_export, sha256

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
# Category code of the Symptoms IG (STU1 examples); a temporary code system there.
SYMPTOM_CATEGORY = {
    "system": "http://hl7.org/fhir/uv/symptoms/CodeSystem/SymptomTemporary",
    "code": "symptom",
    "display": "Symptom",
}
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"

SYMPTOM_CODE = {"system": LOINC, "code": "75325-1", "display": "Symptom"}
SEVERITY_CODE = {"system": LOINC, "code": "64750-3", "display": "Severity of symptoms"}

# Sign -> (SNOMED finding or None, text shown to the reader).
FINDINGS: dict[Sign, tuple[dict[str, str] | None, str]] = {
    Sign.REDNESS: (
        {"system": SNOMED, "code": "247441003", "display": "Erythema"},
        N_("Redness (erythema) after microneedling"),
    ),
    Sign.SWELLING: (
        {"system": SNOMED, "code": "267038008", "display": "Edema"},
        N_("Swelling (oedema) after microneedling"),
    ),
    Sign.PAIN: (None, N_("Pain or tenderness after microneedling")),
    Sign.ITCH: (None, N_("Itch or burning after microneedling")),
    Sign.SPOTS: (None, N_("Dark spots (hyperpigmentation) after microneedling")),
}

_ABSENT = {"system": SNOMED, "code": "2667000", "display": "Absent"}
_MILD = {"system": SNOMED, "code": "255604002", "display": "Mild"}
_MODERATE = {"system": SNOMED, "code": "1255665007", "display": "Moderate"}
_SEVERE = {"system": SNOMED, "code": "24484000", "display": "Severe"}
# The app's 0-4 rating -> SNOMED severity (see the module docstring).
SEVERITY_BY_RATING: dict[int, dict[str, str]] = {0: _ABSENT, 1: _MILD, 2: _MILD, 3: _MODERATE, 4: _SEVERE}

# Fitzpatrick type -> SNOMED "Fitzpatrick skin type I..VI" finding.
PHOTOTYPES: dict[int, str] = {
    1: "403221005",
    2: "403222003",
    3: "403226000",
    4: "403231003",
    5: "403235007",
    6: "403236008",
}

# Yes/no items reported as symptoms when answered "yes" (no verified codes: text only);
# each names itself in the language of the export (its `label`).
_YES_SYMPTOMS: dict[str, Any] = {
    **{sign.value: sign for sign in PRESENCE_SIGNS},
    **{question.key: question for question in (*WARNING_SIGNS, *EMERGENCY_SIGNS)},
}

# Characters that make Markdown (or HTML, or a character reference) wherever they stand.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>!&~|#])")
# What makes a list, a setext heading or a thematic break at the start of a line
# ("#", ">" and "*" are escaped everywhere already).
_LINE_START_MARKUP = re.compile(r"^([ \t]*)([-+=]|\d+(?=[.)]))", re.MULTILINE)

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://healing-journal.invalid/fhir")


@dataclass(frozen=True)
class PhotoContent:
    """One stored photo: its day and area and the metadata-free JPEG bytes."""

    day: dt.date
    area: Area
    data: bytes
    width: int
    height: int
    day_label: str = ""
    view: View = View.UNSPECIFIED  # which named view it is (issue 22)


def journal_bundle(
    snapshot: JournalSnapshot,
    photos: Iterable[PhotoContent] = (),
    *,
    generated_at: dt.datetime | None = None,
    id_seed: str | None = None,
    cards: Sequence[Card] = (),
    signer: Signer | None = None,
) -> bytes:
    """The Bundle as UTF-8 JSON bytes; with `signer`, signed (see `_sign`).

    Medicines started after treatment are MedicationStatements; what the patient did
    about a flag (`cards`, with the snapshot's responses) is a Communication from the
    patient naming the flag.

    Resource ids are UUIDs derived from `id_seed` (random by default), so two
    exports never share ids unless asked to, and a test can pin them.
    """
    ids = _Ids(id_seed or uuid.uuid4().hex)
    patient = ids.url("Patient", "patient")
    profile = snapshot.profile
    resources = [(patient, _patient(profile, demo=snapshot.is_demo))]
    if profile.fitzpatrick:
        resources.append((ids.url("Observation", "skin-type"), _skin_type(profile.fitzpatrick, patient)))
    for treatment in snapshot.treatments:
        resources.append((ids.url("Procedure", str(treatment.id)), _procedure(treatment, patient, snapshot.today)))
    for entry in snapshot.entries:
        for key, resource in _entry_observations(entry, patient):
            resources.append((ids.url("Observation", f"{entry.day}/{entry.area}/{key}"), resource))
    for product in snapshot.products:
        if product.is_medicine:
            resources.append((ids.url("MedicationStatement", str(product.id)), _medication(product, patient)))
    for card in cards:
        response = snapshot.response(card.key)
        if response is not None:
            resources.append((ids.url("Communication", card.key), _flag_action(card, response, patient)))
    for index, photo in enumerate(photos):
        resources.append((ids.url("Media", f"{index}"), _media(photo, patient)))
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    # A demo journal's data are labelled test data, on the Bundle and on each
    # resource (a resource may be stored apart from its Bundle).
    meta = {"meta": fhir_meta()} if snapshot.is_demo else {}
    bundle.update(meta)
    if generated_at is not None:
        bundle["timestamp"] = generated_at.astimezone(dt.UTC).isoformat(timespec="seconds")
    bundle["entry"] = [
        {"fullUrl": url, "resource": {"id": url.removeprefix("urn:uuid:"), **meta, **r}} for url, r in resources
    ]
    if signer is not None:
        moment = generated_at or dt.datetime.combine(snapshot.today, dt.time(), tzinfo=dt.UTC)
        _sign(bundle, signer, ids, patient, moment, meta)
    return json.dumps(bundle, indent=2, ensure_ascii=False).encode("utf-8")


# --- the signature ---------------------------------------------------------------------
# The signed manifest is a Binary (application/json) in the Bundle; a Provenance names
# every resource as its target and carries the same Ed25519 signature in `signature`.
# Parts: each Media's photo bytes (naming its day and area), and the rest of the
# Bundle as canonical JSON (the photos' data blanked, the two signature resources left out).

_MANIFEST_TAG = "healing-journal-manifest"
_SOURCE_SIGNATURE = {"system": "urn:iso-astm:E1762-95:2013", "code": "1.2.840.10065.1.12.1.14"}


def _sign(
    bundle: dict[str, Any], signer: Signer, ids: _Ids, patient: str, moment: dt.datetime, meta: dict[str, Any]
) -> None:
    binary_url, when = ids.url("Binary", _MANIFEST_TAG), moment.astimezone(dt.UTC).isoformat(timespec="seconds")
    provenance_url = ids.url("Provenance", _MANIFEST_TAG)
    photos, parts = _bundle_parts(bundle, set())
    refs = [PhotoRef(day, area, digest or "") for day, area, digest in photos]
    manifest = signer.sign("fhir", refs, parts, {"signature_entries": [binary_url, provenance_url]})
    binary = {
        "resourceType": "Binary",
        "id": binary_url.removeprefix("urn:uuid:"),
        **meta,
        "contentType": "application/json",
        "data": base64.b64encode(canonical(manifest)).decode("ascii"),
    }
    targets = [_ref(entry["fullUrl"]) for entry in bundle["entry"]]
    provenance = {
        "resourceType": "Provenance",
        "id": provenance_url.removeprefix("urn:uuid:"),
        **meta,
        "target": targets,
        "recorded": when,
        "agent": [{"who": _ref(patient)}],
        "entity": [{"role": "source", "what": _ref(binary_url)}],
        "signature": [
            {
                "type": [{**_SOURCE_SIGNATURE, "display": "Source Signature"}],
                "when": when,
                "who": _ref(patient),
                "targetFormat": "application/json",
                "sigFormat": "application/octet-stream",
                "data": manifest["signature"],
            }
        ],
    }
    bundle["entry"] += [
        {"fullUrl": binary_url, "resource": binary},
        {"fullUrl": provenance_url, "resource": provenance},
    ]


def _bundle_parts(
    bundle: dict[str, Any], skip: set[str]
) -> tuple[list[tuple[str, str, str | None]], dict[str, dict[str, Any]]]:
    """The photos of a Bundle (day, area, SHA-256 of the decoded bytes) and its parts' digests;
    the entries named in `skip` (the signature's Binary and Provenance) are left out."""
    photos: list[tuple[str, str, str | None]] = []
    parts: dict[str, dict[str, Any]] = {}
    rest = []
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {}) if isinstance(entry, dict) else {}
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if isinstance(entry, dict) and entry.get("fullUrl") in skip:
            continue
        if kind == "Media" and isinstance(resource.get("content"), dict):
            content = resource["content"]
            digest = _decoded_digest(content.get("data"))
            name = f"Media {len(photos) + 1}"
            parts[name] = {"sha256": digest, "photo": len(photos), "what": N_("its image data")}
            area = str(resource.get("bodySite", {}).get("text", "")) or str(content.get("title", "")).split(",")[0]
            photos.append((str(resource.get("createdDateTime", "")), _area_of(content, area), digest))
            entry = {**entry, "resource": {**resource, "content": {**content, "data": ""}}}
        rest.append(entry)
    outside = {key: value for key, value in bundle.items() if key != "entry"}
    parts["records"] = {
        "sha256": sha256(canonical({**outside, "entry": rest})),
        "what": N_("the bundle's records (patient, treatments, observations, notes)"),
    }
    return photos, parts


def _area_of(content: dict[str, Any], fallback: str) -> str:
    """The area as the Media's title names it ("face, 2026-11-20 ...")."""
    title = str(content.get("title", ""))
    return title.split(",")[0] if "," in title else fallback


def _decoded_digest(data: Any) -> str | None:
    try:
        return sha256(base64.b64decode(str(data), validate=True))
    except ValueError:
        return None


def check_bundle(data: bytes) -> Verification:
    """Check a FHIR Bundle export against the signed manifest in its Binary."""
    try:
        bundle = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return not_an_export(N_("not valid JSON"))
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return not_an_export(N_("JSON, but not a FHIR Bundle"))
    manifest = _manifest_in(bundle)
    if manifest is None:
        return not_an_export(N_("a FHIR Bundle without a signed manifest"))
    skip = manifest.get("signature_entries")
    _photos, parts = _bundle_parts(bundle, {str(url) for url in skip} if isinstance(skip, list) else set())
    return check(manifest, {name: part["sha256"] for name, part in parts.items()})


def _manifest_in(bundle: dict[str, Any]) -> Any:
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {}) if isinstance(entry, dict) else {}
        if isinstance(resource, dict) and resource.get("resourceType") == "Binary":
            try:
                manifest = json.loads(base64.b64decode(str(resource.get("data")), validate=True))
            except ValueError:
                return {MARK: 1, "signature": ""}  # a changed manifest: reported as such
            if isinstance(manifest, dict) and MARK in manifest:
                return manifest
            return {MARK: 1, "signature": ""}  # a Binary that no longer reads as a manifest: changed
    return None


class _Ids:
    def __init__(self, seed: str):
        self.seed = seed

    def url(self, kind: str, key: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{self.seed}/{kind}/{key}')}"


def markdown_text(text: str) -> str:
    """Text for a FHIR `markdown` field that a Markdown reader shows exactly as typed:
    every character that could start markup is backslash-escaped, nothing else changes."""
    escaped = _INLINE_MARKUP.sub(r"\\\1", text)
    return _LINE_START_MARKUP.sub(_escape_line_start, escaped)


def _escape_line_start(found: re.Match[str]) -> str:
    indent, marker = found.group(1), found.group(2)
    if marker.isdigit():  # "1." or "2)": the number stays, the "." or ")" after it is escaped
        return f"{indent}{marker}\\"
    return f"{indent}\\{marker}"


def _note(text: str) -> list[dict[str, str]]:
    """A FHIR `note` (Annotation, whose text is markdown) holding `text` literally."""
    return [{"text": markdown_text(text)}]


def _ref(url: str) -> dict[str, str]:
    return {"reference": url}


def _patient(profile: Profile, *, demo: bool = False) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient"}
    if demo:
        resource["text"] = fhir_narrative()
    name = profile.name.strip()
    if name:
        resource["name"] = [{"text": name}]
    if profile.country:  # ISO 3166-1 alpha-2, as FHIR's Address.country recommends
        resource["address"] = [{"country": profile.country}]
    return resource


def _skin_type(fitzpatrick: int, patient: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        # No verified LOINC code for "Fitzpatrick skin type": text only.
        "code": {"text": _("Fitzpatrick skin phototype (patient-reported)")},
        "subject": _ref(patient),
        "performer": [_ref(patient)],
        "valueCodeableConcept": {
            "coding": [{"system": SNOMED, "code": PHOTOTYPES[fitzpatrick], "display": _phototype_display(fitzpatrick)}],
            "text": FITZPATRICK[fitzpatrick],
        },
    }


def _phototype_display(fitzpatrick: int) -> str:
    return "Fitzpatrick skin type " + ("I", "II", "III", "IV", "V", "VI")[fitzpatrick - 1]


def _procedure(treatment: Treatment, patient: str, today: dt.date) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        # A session booked ahead has not happened: FHIR's status for one being prepared.
        "status": "preparation" if treatment.day > today else "completed",
        "code": {"text": _("Microneedling (collagen induction therapy)")},
        "subject": _ref(patient),
        "performedDateTime": _date(treatment.day),
        "bodySite": [fhir_body_site(area) for area in treatment.areas],
    }
    if treatment.reason:
        resource["reasonCode"] = [{"text": treatment.reason}]
    if treatment.practitioner:
        resource["performer"] = [{"actor": {"display": treatment.practitioner}}]
    details = _treatment_details(treatment)
    if details:
        resource["note"] = _note(details)
    return resource


def _medication(product: ProductUse, patient: str) -> dict[str, Any]:
    """A medicine the patient started after treatment, coded by text (no drug codes are kept)."""
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "active",
        "category": {"text": product.kind.label},
        "medicationCodeableConcept": {"text": product.name},
        "subject": _ref(patient),
        "effectiveDateTime": _date(product.day),
        "informationSource": _ref(patient),
    }
    if product.notes:
        resource["note"] = _note(product.notes)
    return resource


def _flag_action(card: Card, response: FlagResponse, patient: str) -> dict[str, Any]:
    """What the patient did about one flag, as a message from the patient."""
    did = response.action.label + (f": {response.note}" if response.note else "")
    text = _("About the app's flag '{flag}' ({area}, since {date}; advised: {advice}), the patient did: {did}").format(
        flag=card.title, area=card.area.label, date=card.since.isoformat(), advice=card.word, did=did
    )
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "status": "completed",
        "subject": _ref(patient),
        "sender": _ref(patient),
        "payload": [{"contentString": text}],
    }
    if response.day is not None:
        resource["sent"] = _date(response.day)
    return resource


def _treatment_details(treatment: Treatment) -> str:
    parts = []
    if treatment.reason:
        parts.append(_("Reason: {reason}").format(reason=treatment.reason))
    if treatment.device:
        parts.append(_("Device: {device}").format(device=treatment.device))
    if treatment.needle_depth_mm is not None:
        parts.append(_("Needle depth: {depth} mm").format(depth=f"{treatment.needle_depth_mm:g}"))
    if treatment.serums:
        parts.append(_("Serums: {serums}").format(serums=treatment.serums))
    if treatment.notes:
        parts.append(_("Notes: {notes}").format(notes=treatment.notes))
    return "; ".join(parts)


def _entry_observations(entry: Entry, patient: str) -> Iterable[tuple[str, dict[str, Any]]]:
    for sign in RATED_SIGNS:
        rating = entry.rating(sign)
        if rating is not None:
            yield sign.value, _rated_symptom(sign, rating, entry, patient)
    for key, item in _YES_SYMPTOMS.items():
        if entry.answer(key):
            yield key, _symptom(entry, patient, {"text": item.label}, note=_("Reported present by the patient."))


def _rated_symptom(sign: Sign, rating: int, entry: Entry, patient: str) -> dict[str, Any]:
    finding, english = FINDINGS[sign]
    text = _(english)
    value: dict[str, Any] = {"coding": [finding], "text": text} if finding else {"text": text}
    level = sign.levels[rating]
    resource = _symptom(
        entry, patient, value, note=_("Patient's rating {rating} of 4: {level}.").format(rating=rating, level=level)
    )
    resource["component"] = [
        {
            "code": {"coding": [SEVERITY_CODE]},
            "valueCodeableConcept": {"coding": [SEVERITY_BY_RATING[rating]], "text": level},
        },
        {
            "code": {
                "text": _("Patient rating of {key} on the app's 0-4 scale ({sign})").format(
                    key=sign.value, sign=sign.label
                )
            },
            "valueInteger": rating,
        },
    ]
    return resource


def _symptom(entry: Entry, patient: str, value: dict[str, Any], *, note: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [SYMPTOM_CATEGORY]}],
        "code": {"coding": [SYMPTOM_CODE]},
        "subject": _ref(patient),
        "effectiveDateTime": _date(entry.day),
        "performer": [_ref(patient)],
        "valueCodeableConcept": value,
        "note": _note(note),
        "bodySite": fhir_body_site(entry.area),
    }


def _media(photo: PhotoContent, patient: str) -> dict[str, Any]:
    title = f"{photo.area}, {_date(photo.day)}" + (f" ({photo.day_label})" if photo.day_label else "")
    # Media.view ("imaging view"), in words: the guidelines name the views, no code system does for skin photos.
    view = {} if photo.view is View.UNSPECIFIED else {"view": {"text": photo.view.label}}
    return {
        "resourceType": "Media",
        "status": "completed",
        "type": {"coding": [{"system": MEDIA_TYPE, "code": "image", "display": "Image"}]},
        "subject": _ref(patient),
        "createdDateTime": _date(photo.day),
        "bodySite": fhir_body_site(photo.area),
        **view,
        "width": photo.width,
        "height": photo.height,
        "content": {
            "contentType": "image/jpeg",
            "data": base64.b64encode(photo.data).decode("ascii"),
            "size": len(photo.data),
            "title": title,
        },
    }


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


__all__ = [
    "journal_bundle",
    "check_bundle",
    "markdown_text",
    "PhotoContent",
    "SEVERITY_BY_RATING",
    "PHOTOTYPES",
    "FINDINGS",
]
