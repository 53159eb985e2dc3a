"""The mark every export of a demo journal carries, so synthetic data is never
taken for a patient's: the same words in the PDF, the CSV, the FHIR file, the
reminders and the backup's manifest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CSV and FHIR exporters use the mark without loading fpdf
    from fpdf import FPDF

DEMO_MARK = "Demo journal: synthetic data"
DEMO_BAND_TEXT = f"{DEMO_MARK} · not a real patient, not for clinical use"

# A band across the top margin of every page, above the running header.
_BAND_Y = 5.0  # mm
_BAND_HEIGHT = 7.0
_BAND_FILL = (255, 224, 130)  # amber: unlike anything else in the summary
_BAND_INK = (74, 50, 0)  # 9.3:1 on the fill (WCAG contrast)


def draw_pdf_band(pdf: FPDF, family: str, margin: float) -> None:
    """The demo band on the current page, in the page's top margin. Call it
    from the page's footer: fpdf2 runs that once on every page, last, so the
    band is on every page whatever the content did to the position."""
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_fill_color(*_BAND_FILL)
    pdf.set_text_color(*_BAND_INK)
    pdf.set_font(family, "B", 9)
    pdf.set_xy(margin, _BAND_Y)
    pdf.cell(pdf.w - 2 * margin, _BAND_HEIGHT, DEMO_BAND_TEXT, align="C", fill=True)
    pdf.set_xy(x, y)


def fhir_meta() -> dict[str, Any]:
    """Resource.meta for a demo journal's Bundle and resources: the standard
    "test health data" security label (HTEST), which FHIR servers know, and a
    tag whose display says it in words."""
    return {
        "security": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                "code": "HTEST",
                "display": "test health data",
            }
        ],
        "tag": [{"system": "https://healing-journal.invalid/tags", "code": "demo", "display": DEMO_MARK}],
    }


def fhir_narrative() -> dict[str, str]:
    """A narrative for the patient resource: what a FHIR viewer shows first."""
    return {
        "status": "additional",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p><b>{DEMO_MARK}</b>: not a real patient.</p></div>',
    }
