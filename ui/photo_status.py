"""How a stored photo was calibrated and lined up, in plain words, with the numbers kept apart.

The Photos page shows the words under every photo; the numbers (the card's
correction and residual error, the scale, the registration's fit) only behind
a "Details" fold, for whoever wants them (a dermatologist reading over the
patient's shoulder, or the patient checking a doubtful day).
"""

from __future__ import annotations

import json

from photometry.alignment import Registration
from recovery.language import N_, _, decimal, percent
from recovery.model import Photo
from recovery.photo_metric_names import Measure, name_of

COLOUR_DIFFERENCE = name_of(Measure.COLOUR_DIFFERENCE)

CARD, PATCH, NONE = "card", "reference", "none"
BASELINE, ALIGNED, NOT_ALIGNED = "baseline", "aligned", "not aligned"
# A photo saved but still being measured in the background (Photo.measuring).
BEING_MEASURED = N_("Being lined up and measured…")  # shown through _() on Log a day


def calibration_short(photo: Photo) -> str:
    """A few words for under a thumbnail."""
    kind = _calibration(photo)
    # What was in the photo, not what the app did with it: "calibrated" is the app's word.
    return _({CARD: N_("Card ✓"), PATCH: N_("Untreated patch ✓"), NONE: N_("No card")}[kind])


def alignment_short(photo: Photo) -> str:
    status = _alignment(photo)
    if status is None:
        return ""
    return _({BASELINE: N_("First photo"), ALIGNED: N_("Lined up"), NOT_ALIGNED: N_("Not lined up")}[status])


def short_status(photo: Photo) -> str:
    """E.g. "Card ✓ · Lined up"."""
    if photo.measuring:
        return _(BEING_MEASURED)
    return " · ".join(part for part in (calibration_short(photo), alignment_short(photo)) if part)


def calibration_sentence(photo: Photo) -> str:
    if photo.measuring:
        return _("Its light and colour are being measured; the numbers show here when they are ready.")
    kind = _calibration(photo)
    if kind == CARD:
        return _("Calibrated with the reference card: light and colour were evened out before measuring.")
    if kind == PATCH:
        return _("Calibrated against your untreated patch: redness is read relative to that skin.")
    sentence = _(
        "No reference card or untreated patch in this photo, so its light and colour were measured as they came."
    )
    if photo.card_problem:
        # The problem is stored in photometry's English words (its msgid): translated here.
        problem = _("The card was in the photo, but {problem}.").format(problem=_(photo.card_problem))
        sentence = f"{sentence} {problem}"
    return sentence


def alignment_sentence(photo: Photo) -> str:
    if photo.measuring:
        return _("This photo is saved and being lined up with your first photo of this area and view.")
    status = _alignment(photo)
    if status == BASELINE:
        return _("This is the first photo of this area and view: the others are lined up with it.")
    if status == ALIGNED:
        return _("Lined up with your first photo of this area and view, so the same skin is measured.")
    if status == NOT_ALIGNED:
        if photo.alignment_problem:
            return _(
                "Could not be lined up with your first photo of this area and view: {reason}. "
                "It is measured as it was framed."
            ).format(reason=_(photo.alignment_problem))
        return _("Could not be lined up with your first photo of this area and view. It is measured as it was framed.")
    return _("Measured as it was framed (stored before photos were lined up).")


def details(photo: Photo) -> list[str]:
    """The technical figures behind the two sentences, one line each (Markdown-free text)."""
    lines = []
    if photo.card_correction:
        gains = json.loads(photo.card_correction).get("gains", [])
        if len(gains) == 3:
            red, green, blue = (decimal(float(gain), 3) for gain in gains)
            lines.append(
                _("Card correction (linear light): red ×{red}, green ×{green}, blue ×{blue}").format(
                    red=red, green=green, blue=blue
                )
            )
    if photo.card_residual_delta_e is not None:
        lines.append(
            _(
                "Grey patches after correction: {name} {value} from their printed values (below 2 is hard to see)"
            ).format(name=COLOUR_DIFFERENCE.both, value=decimal(photo.card_residual_delta_e, 2))
        )
    if photo.mm_per_px:
        lines.append(
            _("Scale from the card: {mm} mm per pixel ({px} px per mm)").format(
                mm=decimal(photo.mm_per_px, 4), px=decimal(1 / photo.mm_per_px)
            )
        )
    registration = Registration.from_json(photo.registration)
    if registration is not None:
        lines.append(
            _(
                "Registration: {agree} of {matched} matched points agree, fit error {error} px at {width} px wide"
            ).format(
                agree=registration.inliers,
                matched=registration.matches,
                error=decimal(registration.error_px, 2),
                width=registration.baseline_size[0],
            )
        )
        lines.append(
            _(
                "Compared with the first photo: scale ×{scale}, turned {degrees}°, centre moved {share} of the frame"
            ).format(
                scale=decimal(registration.scale, 3),
                degrees=decimal(registration.rotation_deg, signed=True),
                share=percent(registration.shift),
            )
        )
    if photo.region_covered is False:
        lines.append(_("Part of the measuring region lies outside this photo."))
    if photo.clipped_highlights is not None and photo.clipped_shadows is not None:
        lines.append(
            _("Burnt-out white: {white} of the frame; crushed black: {black}").format(
                white=percent(photo.clipped_highlights), black=percent(photo.clipped_shadows)
            )
        )
    return lines


def _calibration(photo: Photo) -> str:
    if photo.calibration in (CARD, PATCH, NONE):
        return photo.calibration
    # Measured before calibration was recorded: the untreated patch was the only way.
    return PATCH if photo.is_calibrated else NONE


def _alignment(photo: Photo) -> str | None:
    return photo.alignment if photo.alignment in (BASELINE, ALIGNED, NOT_ALIGNED) else None
