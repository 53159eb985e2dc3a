"""The quality gate right after an upload: should the patient retake this photo?

Each check compares the new photo with what the area's baseline photo set up:
sharpness, clipping, the card (when the area uses one), the light and the
framing. The result is a list of plain reasons; the patient may keep the photo
anyway, so nothing here refuses anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from photometry import lighting
from photometry.alignment import Registration
from photometry.words import N_, Say, english

BLUR_SHARE_OF_BASELINE = 1 / 3  # sharpness (variance of the Laplacian) below a third of the baseline's
BLUR_FLOOR = 2.0  # below this the photo is blurred whatever the baseline
CLIPPED_HIGHLIGHTS = 0.05  # share of the frame burnt out
CLIPPED_SHADOWS = 0.15  # share of the frame crushed to black
MAX_SCALE_CHANGE = 1.3  # closer or further than the baseline by this factor
MAX_ROTATION_DEG = 20.0
MAX_SHIFT = 0.2  # of the frame


@dataclass(frozen=True)
class PhotoFacts:
    """What ingest learnt about one photo, as far as the gate needs it."""

    sharpness: float | None = None
    clipped_highlights: float | None = None
    clipped_shadows: float | None = None
    card_found: bool = False
    card_problem: str | None = None  # a card was found but could not be used, and why
    light: lighting.LightProbes | None = None
    registration: Registration | None = None
    alignment_problem: str | None = None  # why it could not be lined up with the baseline
    region_covered: bool = True  # the photo shows all of the measuring region


@dataclass(frozen=True)
class RetakeReason:
    code: str  # blurred, clipped, dark, card_missing, card_problem, light_differs, not_aligned, framing
    message: str


def retake_reasons(photo: PhotoFacts, baseline: PhotoFacts | None = None, say: Say = english) -> list[RetakeReason]:
    """Plain reasons to consider retaking `photo`; empty when it looks fine.

    `baseline` is the area's first photo (None when this photo is the first);
    `say` translates each sentence (photometry.words), the stored problems too.
    """
    reasons = _exposure_reasons(photo, say)
    if photo.sharpness is not None:
        floor = BLUR_FLOOR
        if baseline is not None and baseline.sharpness:
            floor = max(floor, baseline.sharpness * BLUR_SHARE_OF_BASELINE)
        if photo.sharpness < floor:
            reasons.append(
                RetakeReason(
                    "blurred", say(N_("The photo looks blurred. Hold the phone still and let it focus on the skin."))
                )
            )
    if photo.card_problem:
        problem = say(N_("The reference card is in the photo, but {problem}.")).format(problem=say(photo.card_problem))
        reasons.append(RetakeReason("card_problem", problem))
    elif baseline is not None and baseline.card_found and not photo.card_found:
        reasons.append(
            RetakeReason(
                "card_missing",
                say(
                    N_(
                        "The reference card is not in the photo (or not all four corner squares are). "
                        "Your first photo of this area had it; with it, colours can be compared between days."
                    )
                ),
            )
        )
    if baseline is not None:
        reasons += _comparison_reasons(photo, baseline, say)
    return reasons


def lighting_note(photo: PhotoFacts, baseline: PhotoFacts | None = None, say: Say = english) -> str | None:
    """Plain words when the light of `photo` cannot be checked: nothing neutral in
    view in common with the area's first photo (`baseline`; None: this is the
    first, and later photos would have nothing to be judged on). Not a reason to
    retake, and not "fine" either: None when the light was checked."""
    if photo.light is None:
        return None  # not measured at all: nothing to say about the light
    if lighting.check(None if baseline is None else baseline.light, photo.light) == lighting.UNCHECKED:
        return say(lighting.UNCHECKED_MESSAGE)
    return None


def _exposure_reasons(photo: PhotoFacts, say: Say) -> list[RetakeReason]:
    reasons = []
    if (photo.clipped_highlights or 0) > CLIPPED_HIGHLIGHTS:
        reasons.append(
            RetakeReason(
                "clipped",
                say(N_("Part of the photo is burnt out white. Move away from direct light or turn off the flash.")),
            )
        )
    if (photo.clipped_shadows or 0) > CLIPPED_SHADOWS:
        reasons.append(RetakeReason("dark", say(N_("Part of the photo is too dark to see. Use more, softer light."))))
    return reasons


def _comparison_reasons(photo: PhotoFacts, baseline: PhotoFacts, say: Say) -> list[RetakeReason]:
    reasons = []
    if lighting.differs(baseline.light, photo.light):
        reasons.append(
            RetakeReason(
                "light_differs",
                say(
                    N_(
                        "The light differs from your first photo of this area (brighter, darker or a different "
                        "colour). Use the same place and light as then."
                    )
                ),
            )
        )
    if photo.alignment_problem:
        reasons.append(
            RetakeReason(
                "not_aligned",
                say(N_("The photo cannot be lined up with your first one: {reason}.")).format(
                    reason=say(photo.alignment_problem)
                ),
            )
        )
        return reasons
    registration = photo.registration
    if registration is None:
        return reasons
    far = (
        not 1 / MAX_SCALE_CHANGE <= registration.scale <= MAX_SCALE_CHANGE
        or abs(registration.rotation_deg) > MAX_ROTATION_DEG
        or registration.shift > MAX_SHIFT
    )
    if far or not photo.region_covered:
        reasons.append(RetakeReason("framing", _framing_message(registration, photo.region_covered, say)))
    return reasons


def _framing_message(registration: Registration, covered: bool, say: Say) -> str:
    # Each way it differs is a sentence of its own (no list assembled from pieces): it
    # reads the same in every language.
    sentences = [say(N_("The photo is framed far from your first one."))]
    if registration.scale > MAX_SCALE_CHANGE:
        sentences.append(say(N_("It was taken closer.")))
    elif registration.scale < 1 / MAX_SCALE_CHANGE:
        sentences.append(say(N_("It was taken further away.")))
    if abs(registration.rotation_deg) > MAX_ROTATION_DEG:
        degrees = round(abs(registration.rotation_deg) / 5) * 5
        sentences.append(say(N_("It is turned by about {degrees}°.")).format(degrees=degrees))
    if registration.shift > MAX_SHIFT:
        sentences.append(say(N_("It is off to one side.")))
    if not covered:
        sentences.append(say(N_("Part of the measured area is outside the picture.")))
    sentences.append(say(N_("Frame it like the first photo so the same skin is compared.")))
    return " ".join(sentences)
