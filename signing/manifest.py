"""The signed manifest: what it holds, how it is signed, and how a file is checked against it.

A manifest is a JSON object: the export's format, the photos it concerns (day,
area and the SHA-256 of each original photo), and its parts, each with the
SHA-256 of its bytes and, for a part that shows a photo, which photo. The
signature covers the manifest's canonical JSON (sorted keys, no spaces, UTF-8)
without the "signature" member; the public key travels in the manifest, so a
file is checked on its own, and the key's fingerprint says whose journal signed it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from recovery.language import N_, _, left_to_right, ngettext
from recovery.vocabulary import area_label

MARK = "healing_journal_manifest"
VERSION = 1
ALGORITHM = "Ed25519"
CHECK_COMMAND = "python -m healing_journal verify FILE"
# Each format's name in a verdict ("this PDF summary"), translated where it is said.
FORMATS = {
    "pdf": N_("PDF summary"),
    "csv": N_("CSV table"),
    "fhir": N_("FHIR bundle"),
    "dicom": N_("DICOM ZIP"),
    "backup": N_("backup"),
}
ANY_FORMAT = N_("export")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value that is signed and hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint(public: Ed25519PublicKey) -> str:
    """The key's short fingerprint as people compare it: the first 16 hex digits of the
    SHA-256 of the raw public key, in groups of four ("AB12 CD34 EF56 7890")."""
    digest = sha256(public.public_bytes(Encoding.Raw, PublicFormat.Raw))[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def grouped(digest: str, length: int = 16) -> str:
    """A digest shortened for print, in groups of four."""
    short = digest[:length].upper()
    return " ".join(short[i : i + 4] for i in range(0, len(short), 4))


@dataclass(frozen=True)
class PhotoRef:
    """A photo a manifest concerns: its day, area and the SHA-256 of the original as stored."""

    day: str
    area: str
    sha256: str

    def as_json(self) -> dict[str, str]:
        return {"day": self.day, "area": self.area, "sha256": self.sha256}

    @property
    def label(self) -> str:
        """ "the photo of 2026-11-20 (face)", in the language of the moment (the ISO day kept
        reading left to right in Arabic, where its parts would otherwise turn about)."""
        return _("the photo of {day} ({area})").format(day=left_to_right(self.day), area=_area_words(self.area))


def _area_words(area: str) -> str:
    """The area as a verdict names it, lower case ("face", "cara"); as written when unknown."""
    try:
        return area_label(area).lower()
    except ValueError:
        return area


def photos_digest(photos: Sequence[PhotoRef]) -> str:
    """The digest printed in the PDF: of the list of original photos, in the manifest's order."""
    return sha256(canonical([photo.as_json() for photo in photos]))


class Signer:
    """The journal's key, signing manifests."""

    def __init__(self, key: Ed25519PrivateKey):
        self._key = key
        self.public = key.public_key()
        self.fingerprint = fingerprint(self.public)

    def sign(
        self,
        fmt: str,
        photos: Sequence[PhotoRef],
        parts: Mapping[str, Mapping[str, Any]],
        extra: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The signed manifest (a JSON object) of an export of format `fmt`; `extra` adds
        what a format needs to find its parts again."""
        manifest: dict[str, Any] = {
            **(extra or {}),
            MARK: VERSION,
            "format": fmt,
            "photos": [photo.as_json() for photo in photos],
            "photos_sha256": photos_digest(photos),
            "parts": {name: dict(part) for name, part in parts.items()},
        }
        return self.sign_object(manifest)

    def sign_object(self, manifest: Mapping[str, Any]) -> dict[str, Any]:
        """`manifest` with the key and the signature of its canonical JSON added."""
        body = {key: value for key, value in manifest.items() if key != "signature"}
        body["key"] = {
            "algorithm": ALGORITHM,
            "public_key": _b64(self.public.public_bytes(Encoding.Raw, PublicFormat.Raw)),
            "fingerprint": self.fingerprint,
        }
        return {**body, "signature": _b64(self._key.sign(canonical(body)))}


# --- checking ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What checking a file found: `ok` when it is a signed export and nothing changed."""

    ok: bool
    message: str
    changed: tuple[str, ...] = ()  # what changed, in words ("the photo of 2026-11-20 (face)")
    is_export: bool = True
    fingerprint: str | None = None
    public_key: str | None = None  # base64 of the raw Ed25519 key the file carries
    format: str | None = None
    photos_sha256: str | None = None
    photos: tuple[PhotoRef, ...] = field(default=())


class NotSigned(ValueError):
    """The file holds no signed manifest of this kind: not a Healing Journal export."""


def not_an_export(why: str = "") -> Verification:
    """The verdict on a file that is no export; `why` (English, marked N_ where it is
    written) is translated here."""
    message = (
        _("This is not a Healing Journal export: it holds no signed manifest ({why}).").format(why=_(why))
        if why
        else _("This is not a Healing Journal export: it holds no signed manifest.")
    )
    return Verification(False, message, is_export=False)


def signature_problem(manifest: Any) -> str | None:
    """Why the signature of a manifest does not hold, or None when it does."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("signature"), str):
        return _("it has no signature")
    key = manifest.get("key")
    if not isinstance(key, dict) or key.get("algorithm") != ALGORITHM or not isinstance(key.get("public_key"), str):
        return _("it names no Ed25519 key")
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"], validate=True))
        signature = base64.b64decode(manifest["signature"], validate=True)
    except ValueError:
        return _("its key or signature is damaged")
    body = {name: value for name, value in manifest.items() if name != "signature"}
    try:
        public.verify(signature, canonical(body))
    except InvalidSignature:
        return _("its signature does not match it")
    if key.get("fingerprint") != fingerprint(public):
        return _("the fingerprint it shows is not its key's")
    return None


def check(manifest: Any, actual: Mapping[str, str | None], *, extra: Sequence[str] = ()) -> Verification:
    """Compare the parts found in a file (name -> SHA-256, None when unreadable) with its
    signed manifest. `extra` names parts the file holds that the manifest does not list."""
    if not isinstance(manifest, dict) or (MARK not in manifest and "signature" not in manifest):
        return not_an_export()
    problem = signature_problem(manifest)
    key: dict[str, Any] = manifest["key"] if isinstance(manifest.get("key"), dict) else {}
    if problem:
        return Verification(
            False,
            _(
                "The manifest or its signature was changed ({problem}): this file cannot be trusted as the "
                "journal exported it."
            ).format(problem=problem),
            changed=(_("the manifest/signature"),),
        )
    photos = tuple(_photos(manifest))
    parts = _parts(manifest)
    changed: list[str] = []
    for name, part in sorted(parts.items()):
        found = actual.get(name, "missing")
        if found != part.get("sha256"):
            changed.append(_part_words(name, part, photos, missing=found == "missing"))
    changed += [_("{name} (added; not in the manifest)").format(name=left_to_right(name)) for name in sorted(extra)]
    fmt = str(manifest.get("format", ""))
    base = Verification(
        False,
        "",
        fingerprint=str(key.get("fingerprint")),
        public_key=str(key.get("public_key")),
        format=fmt,
        photos_sha256=manifest["photos_sha256"] if isinstance(manifest.get("photos_sha256"), str) else None,
        photos=photos,
    )
    if changed:
        unique = tuple(dict.fromkeys(changed))
        message = _("Changed since it was signed: {changes}.").format(changes="; ".join(unique))
        return replace(base, message=message, changed=unique)
    return replace(base, ok=True, message=f"{_untouched(fmt, len(photos))} {_signed_by(str(base.fingerprint))}")


def _untouched(fmt: str, photos: int) -> str:
    what = _(FORMATS.get(fmt, ANY_FORMAT))
    if not photos:
        return _("Untouched since it was signed: this {what} matches its signed manifest.").format(what=what)
    return ngettext(
        "Untouched since it was signed: this {what} and its {count} photo match its signed manifest.",
        "Untouched since it was signed: this {what} and its {count} photos match its signed manifest.",
        photos,
    ).format(what=what, count=photos)


def _signed_by(fingerprint: str) -> str:
    return _(
        "Signed by the journal with key {fingerprint}; compare this fingerprint with the one the patient "
        "gives you (printed at the end of the PDF, shown under Profile & treatments)."
    ).format(fingerprint=left_to_right(fingerprint))


def _photos(manifest: Mapping[str, Any]) -> list[PhotoRef]:
    found = manifest.get("photos")
    if not isinstance(found, list):
        return []
    return [PhotoRef(str(p.get("day")), str(p.get("area")), str(p.get("sha256"))) for p in found if isinstance(p, dict)]


def _parts(manifest: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    found = manifest.get("parts", manifest.get("members"))
    if not isinstance(found, dict):
        return {}
    return {str(name): part for name, part in found.items() if isinstance(part, dict)}


def _part_words(name: str, part: Mapping[str, Any], photos: Sequence[PhotoRef], *, missing: bool) -> str:
    """What a part is, in words: its photo and what it holds of it ("the photo of ..., its
    DICOM file"); the manifest keeps `what` in English (marked N_ where written), said here
    in the language of the moment."""
    index = part.get("photo")
    what = part.get("what")
    # gettext answers "" with the catalogue's header: an empty "what" is no word to translate.
    said = _(what) if isinstance(what, str) and what else None
    if isinstance(index, int) and 0 <= index < len(photos):
        label = photos[index].label
        words = _("{photo}, {what}").format(photo=label, what=said) if said else label
    else:
        words = said or name
    return _("{part} (missing)").format(part=words) if missing else words


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
