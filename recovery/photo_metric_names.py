"""What each number measured from a photo is called: a plain name first, for the
patient, and the technical name (with how it is computed) for whoever opens
"Details", and for the dermatologist's PDF, which prints both side by side.

The one place these names are defined: the Photos page, the PDF and the flag
sources all read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from recovery.language import N_, _


class Measure(StrEnum):
    """The photo measurements (the Photo record's field names), and the card's colour check."""

    REDNESS = "a_star"
    REDNESS_VS_UNTREATED = "delta_a_star"
    ERYTHEMA_INDEX = "erythema_index"
    LIGHTNESS = "l_star"
    YELLOWNESS = "b_star"
    SKIN_TONE = "ita"
    SPOT_COUNT = "spot_count"
    SPOT_AREA = "spot_area_mm2"
    SPOT_SHARE = "spot_fraction"
    SHARPNESS = "sharpness"
    COLOUR_DIFFERENCE = "delta_e"


@dataclass(frozen=True)
class MeasurementName:
    """Plain name and meaning in English (the catalogue's msgids), said in the current
    language by `plain` and `meaning`; the technical name and the method stay as the
    literature writes them (English), for a clinician."""

    plain_words: str  # what the patient reads first, lower case: "measured redness"
    meaning_words: str  # one plain sentence: what a higher or lower value means
    technical: str  # the name a clinician or a paper uses: "CIELAB a*"
    method: str  # how it is computed, in technical words

    @property
    def plain(self) -> str:
        return _(self.plain_words)

    @property
    def meaning(self) -> str:
        return _(self.meaning_words)

    @property
    def title(self) -> str:
        """The plain name as a label: "Measured redness"."""
        return self.plain[:1].upper() + self.plain[1:]

    @property
    def both(self) -> str:
        """Plain and technical side by side, for clinicians: "measured redness (CIELAB a*)"."""
        return f"{self.plain} ({self.technical})"


MEASUREMENT_NAMES: dict[Measure, MeasurementName] = {
    Measure.REDNESS: MeasurementName(
        N_("measured redness"),
        N_("Higher is redder. Compare it with your other photos, not with other people."),
        "CIELAB a*",
        "median a* (D65) over the measured region (after the card's correction when it was in the photo)",
    ),
    Measure.REDNESS_VS_UNTREATED: MeasurementName(
        N_("redness compared with untreated skin"),
        N_("How much redder the treated skin is than your untreated patch; light affects both, so this is steadier."),
        "Δa*",
        "median a* of the measured region minus that of the untreated reference patch",
    ),
    Measure.ERYTHEMA_INDEX: MeasurementName(
        N_("redness index"),
        N_("A second way of reading redness: blood absorbs green light, so redder skin scores higher."),
        "erythema index",
        "100·log10(R/G) on linear-light RGB",
    ),
    Measure.LIGHTNESS: MeasurementName(
        N_("lightness"),
        N_("From 0 (black) to 100 (white); dark spots lower it."),
        "CIELAB L*",
        "median L* (D65) over the measured region",
    ),
    Measure.YELLOWNESS: MeasurementName(
        N_("yellowness"),
        N_("Higher is more yellow."),
        "CIELAB b*",
        "median b* (D65) over the measured region",
    ),
    Measure.SKIN_TONE: MeasurementName(
        N_("skin tone"),
        N_(
            "How light or dark the skin reads, higher for lighter skin: a check beside your skin type, not a "
            "replacement for it."
        ),
        "ITA°",
        "individual typology angle, arctan((L* - 50) / b*) in degrees",
    ),
    Measure.SPOT_COUNT: MeasurementName(
        N_("dark spots found"),
        N_(
            "Patches darker than the skin around them and coloured as pigment is; shadows, hairs and pores are "
            "left out."
        ),
        "spot count",
        "connected regions darker than the local background with a pigment-like colour shift",
    ),
    Measure.SPOT_AREA: MeasurementName(
        N_("area of the spots"),
        N_("In square millimetres, when the reference card was in the photo to give the scale."),
        "spot area (mm²)",
        "pixel area of the detected spots times the card's mm per pixel, squared",
    ),
    Measure.SPOT_SHARE: MeasurementName(
        N_("area covered by spots"),
        N_("The share of the measured region the spots cover."),
        "spot fraction",
        "spot pixels / measured-region pixels",
    ),
    Measure.SHARPNESS: MeasurementName(
        N_("sharpness"),
        N_("Low means a blurred photo, which measures less reliably."),
        "variance of the Laplacian",
        "variance of the Laplacian of the grey image",
    ),
    Measure.COLOUR_DIFFERENCE: MeasurementName(
        N_("colour difference"),
        N_("How far two colours are apart: below about 2 is hard to see."),
        "ΔE2000",
        "CIEDE2000 colour difference",
    ),
}


def name_of(measure: Measure | str) -> MeasurementName:
    return MEASUREMENT_NAMES[Measure(measure)]
