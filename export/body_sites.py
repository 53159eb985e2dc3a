"""Where on the body each treated area is, as a clinic's system files it: SNOMED CT
body-structure codes (docs/clinical-basis.md, "Body sites"), with laterality.

One table for every export that codes a body site (FHIR's `bodySite`, and the
DICOM export's anatomic region and laterality). "Other" has no code: it is
sent as the area's name alone, never as a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from recovery.vocabulary import Area

SNOMED = "http://snomed.info/sct"


class Laterality(StrEnum):
    """DICOM's Image Laterality values: the areas here are either unpaired or both sides."""

    UNPAIRED = "U"
    BOTH = "B"


@dataclass(frozen=True)
class BodySite:
    code: str  # SNOMED CT body structure
    display: str  # its fully specified name without the semantic tag
    laterality: Laterality
    text: str  # what a reader sees, laterality included


BODY_SITES: dict[Area, BodySite] = {
    Area.FACE: BodySite("89545001", "Face structure", Laterality.UNPAIRED, "Face"),
    Area.NECK: BodySite("45048000", "Neck structure", Laterality.UNPAIRED, "Neck"),
    Area.CHEST: BodySite("51185008", "Thoracic structure", Laterality.UNPAIRED, "Chest"),
    Area.HANDS: BodySite("85562004", "Hand structure", Laterality.BOTH, "Both hands"),
    Area.SCALP: BodySite("41695006", "Scalp structure", Laterality.UNPAIRED, "Scalp"),
}


def fhir_body_site(area: Area) -> dict[str, Any]:
    """A FHIR CodeableConcept for the area: its SNOMED CT code, or its name alone ("other")."""
    site = BODY_SITES.get(area)
    if site is None:
        return {"text": area.label}
    return {"coding": [{"system": SNOMED, "code": site.code, "display": site.display}], "text": site.text}
