"""Registering each photo of an area to the area's baseline photo, and showing change aligned.

Skin texture (pores, freckles, hairs, the edges of the treated area) gives
features; ORB finds them at any rotation and over a range of scales, quickly,
a ratio test keeps the distinctive matches and RANSAC fits a similarity (shift, rotation, uniform
scale), which is what moving a phone between days mostly does, robustly to
the matches that are wrong. The reference card moves between days on its own,
so it is masked out of the features.

A registration is stored as a 3x3 matrix in *relative* coordinates (0..1 of
each image's width and height), mapping a point of the photo to the same skin
in the baseline photo, so it holds at any resolution the photo is shown at.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from photometry.regions import Rect
from photometry.words import N_

# The strongest features kept per photo. Fewer would match faster (matching
# costs features squared) but a blurred photo then no longer lines up: at a
# 2.5 px blur, 1500 features leave 38 inliers, 1000 leave 25, 800 too few.
MAX_FEATURES = 1500
# A fit outside these is no photo of the same skin: matches collapsed onto a few points.
SCALE_RANGE = (1 / 3, 3.0)
MIN_SPREAD = 0.05  # spread (standard deviation) of the inliers, as a share of the frame's diagonal
RATIO_TEST = 0.75  # Lowe's ratio: best match clearly better than the second best
RANSAC_THRESHOLD_PX = 3.0
MIN_INLIERS = 25
MIN_INLIER_SHARE = 0.15  # of the matches that passed the ratio test
MIN_SIDE = 64  # pixels; smaller images have no texture worth matching
# Features are found at about this size, whatever the input. Smaller would be
# quicker but less exact: the worst error over 30 known framings was 1.0 px at
# 1024, 1.7 px at 768 and 2.7 px at 512 (the target is 2 px at 1000 px).
FEATURE_LONG_SIDE = 1024


@dataclass(frozen=True)
class Features:
    """Keypoints (pixel coordinates, N x 2) and their descriptors, found in an image of `size`."""

    points: np.ndarray
    descriptors: np.ndarray | None
    size: tuple[int, int]  # (width, height) of the image they were found in


@dataclass(frozen=True)
class Registration:
    """How a photo maps onto its baseline, and how trustworthy that is."""

    matrix: np.ndarray  # 3x3, photo relative coordinates -> baseline relative coordinates
    inliers: int
    matches: int
    error_px: float  # RMS distance of the inlier matches after the fit, in baseline pixels
    photo_size: tuple[int, int]  # (width, height) the fit was made at; only their shapes matter
    baseline_size: tuple[int, int]

    def _pixels(self) -> np.ndarray:
        return pixel_matrix(self.matrix, self.photo_size, self.baseline_size)

    @property
    def scale(self) -> float:
        """How much larger the skin appears in the photo than in the baseline (>1: closer),
        with both photos shown at the same width."""
        linear = self._pixels()[:2, :2] * self.photo_size[0] / self.baseline_size[0]
        return 1.0 / math.sqrt(max(abs(float(np.linalg.det(linear))), 1e-12))

    @property
    def rotation_deg(self) -> float:
        """The turn that brings the photo onto the baseline (counter-clockwise on screen is negative)."""
        matrix = self._pixels()
        return math.degrees(math.atan2(float(matrix[1, 0]), float(matrix[0, 0])))

    @property
    def shift(self) -> float:
        """How far the photo's centre lands from the baseline's centre, as a share of the frame."""
        centre = map_points(self.matrix, np.array([[0.5, 0.5]]))[0]
        return float(np.hypot(*(centre - 0.5)))

    def to_json(self) -> str:
        return json.dumps(
            {
                "matrix": [[round(float(v), 8) for v in row] for row in self.matrix],
                "inliers": self.inliers,
                "matches": self.matches,
                "error_px": round(self.error_px, 3),
                "photo_size": list(self.photo_size),
                "baseline_size": list(self.baseline_size),
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> Registration | None:
        if not text:
            return None
        data = json.loads(text)
        return cls(
            np.array(data["matrix"], np.float64),
            int(data["inliers"]),
            int(data["matches"]),
            float(data["error_px"]),
            (int(data["photo_size"][0]), int(data["photo_size"][1])),
            (int(data["baseline_size"][0]), int(data["baseline_size"][1])),
        )


class NotAligned(Exception):
    """A photo could not be registered to its baseline; the message says why, plainly."""


def identity() -> np.ndarray:
    return np.eye(3)


def map_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    homogeneous = np.c_[points, np.ones(len(points))] @ matrix.T
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def _grey(pixels: np.ndarray) -> tuple[np.ndarray, float]:
    """8-bit grey at about FEATURE_LONG_SIDE, and the factor back to the input's pixels."""
    import cv2

    grey = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY)
    long_side = max(grey.shape)
    if long_side <= FEATURE_LONG_SIDE * 1.1:
        return grey, 1.0
    factor = FEATURE_LONG_SIDE / long_side
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return small, 1.0 / factor


def features(pixels: np.ndarray, exclude: np.ndarray | None = None) -> Features:
    """Features of an 8-bit RGB array; `exclude` (boolean, same size) marks pixels to ignore (the card)."""
    import cv2

    size = (pixels.shape[1], pixels.shape[0])
    if min(size) < MIN_SIDE:
        return Features(np.empty((0, 2)), None, size)
    grey, back = _grey(pixels)
    mask: np.ndarray | None = None
    if exclude is not None:
        mask = (~exclude).astype(np.uint8) * 255
        if back != 1.0:
            mask = cv2.resize(mask, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_NEAREST)
    # Local contrast evened out first, so dim and bright days give the same texture.
    grey = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(grey)
    # A low FAST threshold and small patches: skin texture is faint and fine.
    orb = cv2.ORB.create(nfeatures=MAX_FEATURES, fastThreshold=5, edgeThreshold=15, patchSize=15)
    keypoints, descriptors = orb.detectAndCompute(grey, mask)
    points = np.array([kp.pt for kp in keypoints], np.float64).reshape(-1, 2) * back
    return Features(points, descriptors, size)


def register(photo: Features, baseline: Features) -> Registration:
    """The similarity that maps `photo` onto `baseline`; raises NotAligned with the reason."""
    import cv2

    if photo.descriptors is None or baseline.descriptors is None or len(photo.points) < MIN_INLIERS:
        raise NotAligned(N_("the photo shows too little skin texture to line it up with the first photo"))
    if len(baseline.points) < MIN_INLIERS:
        raise NotAligned(N_("the first photo of this area shows too little skin texture to line others up with it"))
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(photo.descriptors, baseline.descriptors, k=2)
    good = _one_to_one([p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO_TEST * p[1].distance])
    if len(good) < MIN_INLIERS:
        raise NotAligned(N_("the photo does not seem to show the same skin as the first photo of this area"))
    source = photo.points[[m.queryIdx for m in good]]
    target = baseline.points[[m.trainIdx for m in good]]
    fitted, inlier_flags = cv2.estimateAffinePartial2D(
        source, target, method=cv2.RANSAC, ransacReprojThreshold=RANSAC_THRESHOLD_PX, maxIters=4000, confidence=0.999
    )
    inliers = int(inlier_flags.sum()) if inlier_flags is not None else 0
    if fitted is None or inliers < MIN_INLIERS or inliers < MIN_INLIER_SHARE * len(good):
        raise NotAligned(
            N_("its details do not match the first photo's: take the same skin, with the phone held as then")
        )
    keep = inlier_flags.ravel().astype(bool)
    # Refined by least squares on the inliers: RANSAC's fit comes from a few points only.
    fit = _similarity_least_squares(source[keep], target[keep])
    residual = map_points(fit, source[keep]) - target[keep]
    error = float(np.sqrt(np.mean(np.sum(residual**2, axis=1))))
    relative = _to_relative(fit, photo.size, baseline.size)
    registration = Registration(relative, inliers, len(good), error, photo.size, baseline.size)
    spread = float(np.sqrt(np.mean(np.var(target[keep], axis=0)) * 2)) / math.hypot(*baseline.size)
    if not SCALE_RANGE[0] <= registration.scale <= SCALE_RANGE[1] or spread < MIN_SPREAD:
        raise NotAligned(
            N_("it was taken much closer or further away than the first photo, or too little of it matches")
        )
    return registration


def _one_to_one(matches: list[Any]) -> list[Any]:
    """The best match for each baseline feature only: many photo features on one
    baseline feature are a sign of bland texture, not of the same skin."""
    best: dict[int, object] = {}
    for match in matches:
        kept = best.get(match.trainIdx)
        if kept is None or match.distance < kept.distance:  # type: ignore[attr-defined]
            best[match.trainIdx] = match
    return list(best.values())


def _similarity_least_squares(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The similarity (rotation, uniform scale, shift) closest to mapping source onto target.

    Closed form (Umeyama, 1991): centre both point sets, the rotation comes
    from the SVD of their covariance, the scale from the variances.
    """
    mean_s, mean_t = source.mean(axis=0), target.mean(axis=0)
    centred_s, centred_t = source - mean_s, target - mean_t
    covariance = centred_t.T @ centred_s / len(source)
    u, singular, vt = np.linalg.svd(covariance)
    sign = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        sign[1, 1] = -1
    rotation = u @ sign @ vt
    scale = float(np.trace(np.diag(singular) @ sign)) / float(np.mean(np.sum(centred_s**2, axis=1)))
    shift = mean_t - scale * rotation @ mean_s
    return np.vstack([np.c_[scale * rotation, shift], [0, 0, 1]])


def _to_relative(pixel_matrix: np.ndarray, photo_size: tuple[int, int], baseline_size: tuple[int, int]) -> np.ndarray:
    to_photo_px = np.diag([photo_size[0], photo_size[1], 1.0])
    to_baseline_rel = np.diag([1.0 / baseline_size[0], 1.0 / baseline_size[1], 1.0])
    return to_baseline_rel @ pixel_matrix @ to_photo_px


def pixel_matrix(registration_matrix: np.ndarray, photo_size: tuple[int, int], out_size: tuple[int, int]) -> np.ndarray:
    """The relative matrix as a pixel matrix from a photo of `photo_size` to an output of `out_size`."""
    from_photo_px = np.diag([1.0 / photo_size[0], 1.0 / photo_size[1], 1.0])
    to_out_px = np.diag([out_size[0], out_size[1], 1.0])
    return to_out_px @ registration_matrix @ from_photo_px


def warp_to_baseline(image: Image.Image, matrix: np.ndarray, size: tuple[int, int]) -> Image.Image:
    """The photo (RGB, or an L mask) resampled into the baseline's frame, `size` pixels (width, height).

    Skin the photo did not cover stays black; callers check `covers` first.
    """
    import cv2

    pixels = np.asarray(image)
    transform = pixel_matrix(matrix, image.size, size)
    flags = cv2.INTER_NEAREST if image.mode in ("L", "1") else cv2.INTER_LINEAR
    warped = cv2.warpAffine(pixels, transform[:2], size, flags=flags, borderMode=cv2.BORDER_CONSTANT)
    return Image.fromarray(warped)


def covers(matrix: np.ndarray, region: Rect) -> bool:
    """Whether the photo shows all of `region` (given in the baseline's relative coordinates)."""
    inverse = np.linalg.inv(matrix)
    corners = map_points(inverse, np.array(region.corners()))
    return bool(np.all(corners >= -1e-6) and np.all(corners <= 1 + 1e-6))


def region_in_photo(matrix: np.ndarray, region: Rect) -> np.ndarray:
    """The baseline's `region` as the four corners (relative) where it lies in the photo."""
    return map_points(np.linalg.inv(matrix), np.array(region.corners()))


# --- seeing change ----------------------------------------------------------------------


def aligned_crop(
    image: Image.Image,
    matrix: np.ndarray | None,
    crop: Rect,
    long_side: int = 900,
    baseline_size: tuple[int, int] | None = None,
) -> Image.Image:
    """The skin inside `crop` (baseline relative coordinates) as this photo shows it, upright
    and at the baseline's framing; `matrix` None means the photo is the baseline.
    `baseline_size` (any resolution of the baseline) gives the crop's shape; by
    default the photo's own."""
    import cv2

    matrix = identity() if matrix is None else matrix
    frame_width, frame_height = baseline_size or image.size
    aspect = (crop.right - crop.left) * frame_width / ((crop.bottom - crop.top) * frame_height)
    width, height = (long_side, round(long_side / aspect)) if aspect >= 1 else (round(long_side * aspect), long_side)
    # Baseline relative crop -> output pixels, composed with photo pixels -> baseline relative.
    crop_to_out = np.array(
        [
            [width / (crop.right - crop.left), 0, -crop.left * width / (crop.right - crop.left)],
            [0, height / (crop.bottom - crop.top), -crop.top * height / (crop.bottom - crop.top)],
            [0, 0, 1],
        ]
    )
    from_photo_px = np.diag([1.0 / image.width, 1.0 / image.height, 1.0])
    transform = crop_to_out @ matrix @ from_photo_px
    pixels = np.asarray(image.convert("RGB"))
    out = cv2.warpAffine(pixels, transform[:2], (width, height), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_CONSTANT)
    return Image.fromarray(out)


def aligned_pair(
    first: Image.Image,
    first_matrix: np.ndarray | None,
    second: Image.Image,
    second_matrix: np.ndarray | None,
    crop: Rect,
    baseline_size: tuple[int, int],
    long_side: int = 900,
) -> tuple[Image.Image, Image.Image]:
    """Two days at the same aligned crop, the same size: the two sides of a comparison slider.

    `baseline_size` is the baseline photo's (width, height), at any resolution."""
    return (
        aligned_crop(first, first_matrix, crop, long_side, baseline_size),
        aligned_crop(second, second_matrix, crop, long_side, baseline_size),
    )


def timelapse(
    frames: Sequence[tuple[Image.Image, np.ndarray | None]],
    crop: Rect,
    baseline_size: tuple[int, int],
    *,
    long_side: int = 640,
    frame_ms: int = 700,
    fmt: str = "WEBP",
    captions: Sequence[str] | None = None,
    font: Path | None = None,
) -> bytes:
    """An animated WebP (or GIF) of an area's photos, each aligned to the baseline's crop.

    `frames` are (photo, registration matrix or None for the baseline), in day order;
    `baseline_size` is the baseline photo's (width, height); `captions` (e.g.
    "Day 3") are drawn in a corner of each frame, in `font` (a font file, shaped by
    libraqm: label_face) or else Pillow's own font.
    """
    if not frames:
        raise ValueError("A time-lapse needs at least one photo.")
    if fmt.upper() not in ("WEBP", "GIF"):
        raise ValueError(f"A time-lapse is written as WEBP or GIF, not {fmt}.")
    images = [aligned_crop(image, matrix, crop, long_side, baseline_size) for image, matrix in frames]
    if captions is not None:
        images = [_captioned(image, caption, font) for image, caption in zip(images, captions)]
    buffer = io.BytesIO()
    options = {"quality": 85} if fmt.upper() == "WEBP" else {"optimize": True}
    images[0].save(
        buffer,
        format=fmt.upper(),
        save_all=True,
        append_images=images[1:],
        duration=frame_ms,
        loop=0,
        **options,
    )
    return buffer.getvalue()


def label_face(font: Path, size: int) -> Any:
    """A font file at `size`, laid out by libraqm: letters joined and ordered as their
    script needs (Arabic), where Pillow's basic layout would draw them apart and reversed."""
    from PIL import ImageFont

    return ImageFont.truetype(str(font), size, layout_engine=ImageFont.Layout.RAQM)


def _captioned(image: Image.Image, caption: str, face: Path | None = None) -> Image.Image:
    from PIL import ImageDraw

    image = image.copy()
    draw = ImageDraw.Draw(image)
    size = max(14, image.height // 18)
    font: Any
    try:
        from PIL import ImageFont

        font = ImageFont.load_default(size) if face is None else label_face(face, size)
    except (OSError, TypeError):
        font = None
    box = draw.textbbox((0, 0), caption, font=font)
    pad = size // 3
    draw.rectangle((0, 0, box[2] + 2 * pad, box[3] + 2 * pad), fill=(0, 0, 0))
    draw.text((pad, pad), caption, fill=(255, 255, 255), font=font)
    return image
