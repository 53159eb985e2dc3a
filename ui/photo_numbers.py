"""The numbers measured from one photo, as the Photos page shows them: plain names
in front ("measured redness"), the technical names and how each is computed only
in the "Details" fold (recovery.photo_metric_names holds both)."""

from __future__ import annotations

from recovery.language import _, decimal, percent
from recovery.model import Photo
from recovery.photo_metric_names import MEASUREMENT_NAMES, Measure
from ui.widgets import escape_markdown

# Shown in this order; the card's colour check is in the calibration details.
SHOWN: tuple[Measure, ...] = tuple(m for m in Measure if m is not Measure.COLOUR_DIFFERENCE)


def value_text(photo: Photo, measure: Measure) -> str | None:
    """The photo's value of `measure` as shown, None when it was not measured."""
    value = getattr(photo, measure.value)
    if value is None:
        return None
    if measure is Measure.SPOT_SHARE:
        return percent(value)
    text = decimal(value) if isinstance(value, float) else str(value)
    if measure is Measure.SKIN_TONE and photo.ita_category:
        # The category is stored in photometry's English words (its msgid).
        text += f" ({_(photo.ita_category)})"
    return text


def plain_lines(photo: Photo) -> list[str]:
    """One Markdown line per measured value: plain name, value, what it means."""
    lines = []
    for measure in SHOWN:
        shown = value_text(photo, measure)
        if shown is not None:
            name = MEASUREMENT_NAMES[measure]
            plain = f"**{escape_markdown(name.title)}:** {escape_markdown(shown)}."
            lines.append(f"- {plain} {escape_markdown(name.meaning)}")
    return lines


def technical_lines(photo: Photo) -> list[str]:
    """The same values under their technical names, with how each is computed (plain text)."""
    lines = []
    for measure in SHOWN:
        shown = value_text(photo, measure)
        if shown is not None:
            name = MEASUREMENT_NAMES[measure]
            lines.append(f"{name.title} = {name.technical}: {shown} ({name.method})")
    return lines
