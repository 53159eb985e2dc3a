"""Journals of one area photographed on several days: the same synthetic skin, framed a
little differently each day, with the reference card, so the photos can be lined up
(tests/synthetic_views); a "stray" photo of other skin that cannot be.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from healing_journal import Journal, Settings
from store.photos.analysed import Region
from tests import synthetic_card as synth_card
from tests import synthetic_skin as synth
from tests import synthetic_views as views

ROI = (0.35, 0.3, 0.65, 0.65)
CARD = synth_card.corners((470, 800), 300, angle_deg=-8)  # scene pixels, bottom-left of the view
# Per day: (shift x, shift y, turn in degrees, scale) of the framing, relative to the first day.
FRAMINGS = ((0, 0, 0, 1.0), (40, 30, -10, 1.1), (-30, 20, 6, 0.95), (25, -35, -4, 1.05))


def jpeg(image: Image.Image, quality: int = 95) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def framed(index: int, *, card: bool = True, seed: int | None = None) -> Image.Image:
    """The skin as photographed on day `index` (FRAMINGS cycles), with fresh sensor noise."""
    linear = views.scene()
    if card:
        linear = synth_card.place(linear, CARD)
    dx, dy, turn, scale = FRAMINGS[index % len(FRAMINGS)]
    return views.view(views.view_matrix(dx, dy, turn, scale), seed if seed is not None else index + 1, linear)


def photo(index: int, *, card: bool = True) -> bytes:
    return jpeg(framed(index, card=card))


def blurred(index: int) -> bytes:
    """A photo taken while the phone moved: the same framing, badly blurred."""
    return jpeg(framed(index, seed=50 + index).filter(ImageFilter.GaussianBlur(6)))


def stray() -> bytes:
    """A photo of other skin: it cannot be lined up with the area's first photo."""
    other = synth.add_pores(synth.skin(seed=70), seed=71)
    return jpeg(synth.to_image(other))


def portrait(index: int) -> bytes:
    """The day's photo turned to portrait (as a phone held upright would store it)."""
    return jpeg(framed(index).transpose(Image.Transpose.ROTATE_90))


def build(folder: Path, today: dt.date, photos: list[bytes], *, step_days: int = 2) -> Path:
    """A journal with a treatment of the face and one photo per day, the last on `today`."""
    first_day = today - dt.timedelta(days=step_days * (len(photos) - 1))
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today)) as journal:
        journal.add_treatment(first_day, "face")
        journal.set_region("face", Region(ROI))
        for index, data in enumerate(photos):
            day = first_day + dt.timedelta(days=step_days * index)
            entry_id = journal.save_entry(day, "face", redness=max(0, 3 - index))
            journal.add_photo(entry_id, data, filename=f"day{index}.jpg")
    return folder


def difference(first: Image.Image, second: Image.Image) -> float:
    """Mean absolute difference of two same-sized pictures, 0-255."""
    return float(np.abs(np.asarray(first, np.float32) - np.asarray(second, np.float32)).mean())
