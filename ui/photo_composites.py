"""Seeing change in an area's photos: two days at the same aligned crop, and an aligned time-lapse.

Library functions for the Photos page (which shows them: a comparison slider,
a downloadable animation). They read the stored photos and their registration
to the area's first photo (see store.photos.analysed / photometry.alignment) and
return images or bytes; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from photometry import alignment
from photometry.alignment import Registration
from photometry.regions import Rect
from recovery.language import _, direction, full_date, short_date
from recovery.model import Photo
from store.photos.analysed import Region
from store.photos.imaging import decode_preview
from store.recent import RecentResults

CROP_MARGIN = 0.08  # of the frame, around the measuring region


class CannotCompare(ValueError):
    """The photos cannot be shown aligned; the message says why, plainly."""


def crop_around(region: Region, margin: float = CROP_MARGIN) -> Rect:
    """The measuring region with a margin of surrounding skin, within the frame."""
    left, top, right, bottom = region.roi
    return Rect(max(0.0, left - margin), max(0.0, top - margin), min(1.0, right + margin), min(1.0, bottom + margin))


def crop_aspect(region: Region, baseline: Photo) -> float:
    """Width / height of the aligned crop (the baseline photo's framing): above 1 is landscape."""
    crop = crop_around(region)
    return float((crop.right - crop.left) * baseline.width / ((crop.bottom - crop.top) * baseline.height))


def _matrix(photo: Photo, baseline: Photo) -> np.ndarray | None:
    """The photo's registration to `baseline`, None for the baseline itself."""
    if photo.id == baseline.id:
        return None
    registration = Registration.from_json(getattr(photo, "registration", None))
    if registration is None or getattr(photo, "aligned_to", None) != baseline.id:
        problem = getattr(photo, "alignment_problem", None)
        if problem:
            raise CannotCompare(
                _("The photo of {date} is not lined up with the first photo of this area and view: {reason}.").format(
                    date=full_date(photo.day), reason=_(problem)
                )
            )
        raise CannotCompare(
            _("The photo of {date} is not lined up with the first photo of this area and view.").format(
                date=full_date(photo.day)
            )
        )
    return registration.matrix


def _preview(photo: Photo) -> Image.Image:
    return _kept_preview(Path(photo.path))


def comparison_pair(
    first: Photo, second: Photo, baseline: Photo, region: Region, long_side: int = 900
) -> tuple[Image.Image, Image.Image]:
    """Two photos of an area (Photo records) at the same aligned crop around the region,
    the same size: the two sides of a comparison slider. Raises CannotCompare."""
    crop = crop_around(region)
    size = (baseline.width, baseline.height)
    # Both registrations first: a photo that is not lined up is refused before anything is decoded.
    first_matrix, second_matrix = _matrix(first, baseline), _matrix(second, baseline)
    return (
        alignment.aligned_crop(_preview(first), first_matrix, crop, long_side, size),
        alignment.aligned_crop(_preview(second), second_matrix, crop, long_side, size),
    )


def timelapse(
    photos: Sequence[Photo], baseline: Photo, region: Region, fmt: str = "WEBP", long_side: int = 640
) -> tuple[bytes, list[Photo]]:
    """An animated WebP (or GIF) of an area's photos in day order, aligned to the
    area's first photo; returns the bytes and the photos left out (not aligned)."""
    frames, captions, left_out = [], [], []
    for photo in photos:
        try:
            matrix = _matrix(photo, baseline)
        except CannotCompare:
            left_out.append(photo)
            continue
        frames.append((_preview(photo), matrix))
        label = getattr(photo, "day_label", "")
        captions.append(drawn_label(photo, f"{short_date(photo.day)} · {label}" if label else short_date(photo.day)))
    if not frames:
        raise CannotCompare(_("None of these photos is lined up with the first photo of this area and view."))
    data = alignment.timelapse(
        frames,
        crop_around(region),
        (baseline.width, baseline.height),
        long_side=long_side,
        fmt=fmt,
        captions=captions,
        font=label_font(),
    )
    return data, left_out


# --- showing two days ------------------------------------------------------------------

WIPE_LINE = (255, 255, 255)
BACKDROP = (38, 39, 48)  # around a photo fitted into a box of another shape


def wipe(earlier: Image.Image, later: Image.Image, position: float, labels: tuple[str, str] = ("", "")) -> Image.Image:
    """One picture of two of the same size: `earlier` left of `position` (0..1 of the
    width), `later` right of it, a thin line at the boundary and each side's label
    in its top corner. Moving `position` wipes from one day to the other."""
    if earlier.size != later.size:
        raise ValueError(f"The two sides differ in size: {earlier.size} and {later.size}.")
    width, height = earlier.size
    boundary = round(min(max(position, 0.0), 1.0) * width)
    composed = later.convert("RGB")  # a copy: the cached sides stay as they were
    if boundary > 0:
        composed.paste(earlier.convert("RGB").crop((0, 0, boundary, height)), (0, 0))
    draw = ImageDraw.Draw(composed)
    line = max(2, width // 300)
    if 0 < boundary < width:
        draw.rectangle((boundary - line // 2, 0, boundary - line // 2 + line - 1, height - 1), fill=WIPE_LINE)
    left_label, right_label = labels
    if left_label:
        _label(draw, left_label, height, at_right=False, width=width)
    if right_label:
        _label(draw, right_label, height, at_right=True, width=width)
    return composed


# The Arabic face the PDF prints with (export.pdf_fonts: the `manimgx-fonts` package).
ARABIC_FACE = "NotoSansArabic[wght].ttf"
# Between a label's date and its day: the Arabic face has no "·"; the Arabic comma reads as well.
ARABIC_SEPARATOR = "، "


def label_font() -> Path | None:
    """The face a label is drawn in on a picture: None, Pillow's own (Latin), except in a
    right-to-left language, where Noto Sans Arabic draws it, shaped and ordered by
    libraqm (Pillow's complex text layout). None too when either is missing here."""
    from PIL import features

    if direction() != "rtl" or not features.check("raqm"):
        return None
    import manimgx_fonts

    path = Path(manimgx_fonts.__file__).parent / ARABIC_FACE
    return path if path.is_file() else None


def drawn_label(photo: Photo, label: str) -> str:
    """The label written on the picture itself. In Arabic, in the Arabic face (label_font);
    a label that face cannot draw whole (or where there is no shaping) is the day in
    digits, as a fallback (the page's caption has the words)."""
    if direction() != "rtl":
        return label
    text = label.replace(" · ", ARABIC_SEPARATOR)
    font = label_font()
    return text if font is not None and _draws(font, text) else photo.day.isoformat()


@lru_cache(maxsize=2)
def _covered(font: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(font, lazy=True) as face:
        return frozenset(face.getBestCmap())


def _draws(font: Path, text: str) -> bool:
    """Whether `font` has every character of `text` (else Pillow would draw empty boxes)."""
    covered = _covered(font)
    return all(ord(char) in covered for char in text)


def _label(draw: ImageDraw.ImageDraw, text: str, height: int, *, at_right: bool, width: int) -> None:
    from PIL import ImageFont

    size = max(12, height // 24)
    face = label_font()
    font = ImageFont.load_default(size) if face is None else alignment.label_face(face, size)
    box = draw.textbbox((0, 0), text, font=font)
    pad = size // 3
    box_width, box_height = box[2] + 2 * pad, box[3] + 2 * pad
    left = width - box_width if at_right else 0
    draw.rectangle((left, 0, left + box_width, box_height), fill=(0, 0, 0))
    draw.text((left + pad, pad), text, fill=(255, 255, 255), font=font)


def side_by_side_pair(first: Photo, second: Photo, long_side: int = 600) -> tuple[Image.Image, Image.Image]:
    """Two photos as they were framed (for when they cannot be lined up), each fitted
    into the same box so they show at the same size whatever their shapes."""
    images = [_preview(first), _preview(second)]
    # The box takes the wider photo's shape when both are landscape, the taller's when portrait.
    aspect = max(image.width / image.height for image in images)
    if all(image.height > image.width for image in images):
        aspect = min(image.width / image.height for image in images)
    box = (long_side, round(long_side / aspect)) if aspect >= 1 else (round(long_side * aspect), long_side)
    fitted = []
    for image in images:
        scale = min(box[0] / image.width, box[1] / image.height)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        canvas = Image.new("RGB", box, BACKDROP)
        canvas.paste(image.resize(size, Image.Resampling.LANCZOS), ((box[0] - size[0]) // 2, (box[1] - size[1]) // 2))
        fitted.append(canvas)
    return fitted[0], fitted[1]


def spread(photos: Sequence[Photo], most: int) -> list[Photo]:
    """At most `most` of `photos`, evenly spread, always the first and the last (a
    time-lapse of a year stays short to make and to watch)."""
    if len(photos) <= most:
        return list(photos)
    if most < 2:
        return list(photos[:most])
    step = (len(photos) - 1) / (most - 1)
    return [photos[round(index * step)] for index in range(most)]


# --- the measured region drawn on a photo ---------------------------------------------

ROI_COLOUR = (255, 255, 255)
REFERENCE_COLOUR = (0, 160, 255)
SPOT_COLOUR = (255, 200, 0)


# Analysis-size copies of recently shown photos: the Photos page draws the
# measured region on the latest photo at every visit, and decoding it again
# took a quarter of a second. Kept by the file's path, size and change time.
_PREVIEWS: RecentResults[Image.Image] = RecentResults(size=4)


def _kept_preview(photo_path: Path) -> Image.Image:
    facts = photo_path.stat()

    def decode() -> Image.Image:
        with open(photo_path, "rb") as handle:
            return decode_preview(handle.read())

    return _PREVIEWS.get((str(photo_path), facts.st_size, facts.st_mtime_ns), decode)


def annotated_preview(
    photo_path: Path, region: Region, show_spots: bool = True, registration: str | None = None
) -> Image.Image:
    """The photo (analysis size) with the region, the reference patch and detected spots drawn on it.

    `registration` (a photo's stored registration) draws the region where it
    lies in this photo: the same skin as in the area's first photo.
    """
    from photometry.alignment import region_in_photo
    from photometry.metrics import spot_outlines

    preview = _kept_preview(photo_path).copy()  # drawn on below; the kept one stays clean
    roi, reference = region.to_rects()
    fitted = Registration.from_json(registration)
    size = np.array(preview.size, np.float64)

    def outline(rect: Rect) -> list[tuple[float, float]]:
        corners = np.array(rect.corners()) if fitted is None else region_in_photo(fitted.matrix, rect)
        return [(float(x), float(y)) for x, y in corners * size]

    roi_outline = outline(roi)
    outlines = []
    if show_spots:
        xs, ys = [point[0] for point in roi_outline], [point[1] for point in roi_outline]
        left, top = max(0.0, min(xs) / size[0]), max(0.0, min(ys) / size[1])
        right, bottom = min(1.0, max(xs) / size[0]), min(1.0, max(ys) / size[1])
        if right > left and bottom > top:
            try:
                outlines = spot_outlines(preview, Rect(left, top, right, bottom))
            except ValueError:
                outlines = []
            # A turned region's bounding box holds skin outside it: only its own spots are shown.
            outlines = [box for box in outlines if _inside(roi_outline, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2))]
    draw = ImageDraw.Draw(preview)
    line = max(2, preview.width // 300)
    draw.polygon(roi_outline, outline=ROI_COLOUR, width=line)
    if reference is not None:
        draw.polygon(outline(reference), outline=REFERENCE_COLOUR, width=line)
    for left_px, top_px, right_px, bottom_px in outlines:
        pad = line * 2
        box = (left_px - pad, top_px - pad, right_px + pad, bottom_px + pad)
        draw.ellipse(box, outline=SPOT_COLOUR, width=line)
    return preview


def _inside(polygon: list[tuple[float, float]], point: tuple[float, float]) -> bool:
    """Whether a point lies inside a convex polygon given clockwise (on screen)."""
    x, y = point
    sides = []
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]):
        sides.append((x1 - x0) * (y - y0) - (y1 - y0) * (x - x0))
    return all(side >= 0 for side in sides) or all(side <= 0 for side in sides)
