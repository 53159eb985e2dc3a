"""The PDF's signature: an embedded file (attachment) holding the signed manifest.

A file cannot hold its own digest, so the PDF is made with a placeholder
attachment of fixed length (uncompressed, so its bytes sit in the file as they
are) and then sealed: the manifest records where each printed photo's JPEG
stream lies in the file and its SHA-256, and the SHA-256 of everything else
(the pages, text and structure) with the placeholder and the photos cut out;
the signed manifest then fills the placeholder, padded with spaces, so that no
offset moves. This is the byte-range idea of PDF's own signatures, without a
certificate authority. A PDF viewer lists the manifest under attachments.

The pages say so in words (`signature_section`): the key's fingerprint and the
digest of the list of original photos.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from recovery.language import N_
from signing.manifest import MARK, PhotoRef, Signer, Verification, check, not_an_export, sha256

ATTACHMENT_NAME = "healing-journal-manifest.json"
# The attachment is JSON throughout: {"healing_journal_room": "<room>", "manifest": {...}}
# followed by spaces to its fixed length; the room is what follows the opening.
_OPENING = b'{"healing_journal_room":"%08d","manifest":'
_FOUND = re.compile(rb'\{"healing_journal_room":"(\d{8})","manifest":')
PLACEHOLDER_SIZE = 64 * 1024  # room for the manifest of many photos


def placeholder(size: int = PLACEHOLDER_SIZE) -> bytes:
    """The attachment's bytes before sealing: the opening naming the room, then room for the rest."""
    return _OPENING % size + b"null}".ljust(size)


def seal(data: bytes, signer: Signer, printed: Sequence[tuple[PhotoRef, bytes]]) -> bytes:
    """The PDF with its placeholder filled by the signed manifest. `printed` pairs each
    photo (as stored) with the JPEG printed for it, which the PDF holds as it is."""
    found = _FOUND.search(data)
    if found is None:
        raise ValueError("the PDF has no signature placeholder")
    room = int(found.group(1))
    start, end = found.end(), found.end() + room
    photos = [ref for ref, _ in printed]
    parts: dict[str, dict[str, Any]] = {}
    cut = [(start, end)]
    for number, (_, jpeg) in enumerate(printed):
        at = data.find(jpeg)
        if at < 0:
            raise ValueError("a printed photo is not in the PDF as it was given")
        parts[f"image {number + 1}"] = {
            "sha256": sha256(jpeg),
            "offset": at,
            "size": len(jpeg),
            "photo": number,
            "what": N_("its printed image"),
        }
        cut.append((at, at + len(jpeg)))
    parts["document"] = {"sha256": sha256(_outside(data, cut)), "what": N_("the PDF's pages, text or structure")}
    manifest = signer.sign("pdf", photos, parts, {"region": [start, room]})
    body = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"}"
    if len(body) > room:
        raise ValueError("the manifest is larger than the room kept for it")
    return data[:start] + body.ljust(room) + data[end:]


def check_pdf(data: bytes) -> Verification:
    found = _FOUND.search(data)
    if found is None:
        return not_an_export(N_("a PDF without a signed manifest"))
    room = int(found.group(1))
    start, end = found.end(), found.end() + room
    try:
        manifest = json.loads(data[found.start() : end].decode("utf-8"))["manifest"]
    except (ValueError, UnicodeDecodeError, TypeError, KeyError):
        return check({MARK: 1, "signature": ""}, {})
    parts = manifest.get("parts") if isinstance(manifest, dict) else None
    actual: dict[str, str | None] = {}
    cut = [(start, end)]
    for name, part in (parts or {}).items():
        offset, size = part.get("offset"), part.get("size")
        if isinstance(offset, int) and isinstance(size, int) and 0 <= offset <= offset + size <= len(data):
            actual[name] = sha256(data[offset : offset + size])
            cut.append((offset, offset + size))
    actual["document"] = sha256(_outside(data, cut))
    return check(manifest, actual)


def _outside(data: bytes, cut: Sequence[tuple[int, int]]) -> bytes:
    """The bytes of `data` outside the ranges cut out (placeholder, images)."""
    kept, at = [], 0
    for start, end in sorted(cut):
        kept.append(data[at:start])
        at = max(at, end)
    kept.append(data[at:])
    return b"".join(kept)
