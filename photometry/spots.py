"""Pigment spots told from shadows by how they change the skin's colour, not only its lightness.

In linear light a shadow scales all three channels alike: the skin's
chromaticity stays, only its level drops. Melanin absorbs blue and green more
than red, so a pigmented spot is darker *and* shifted from blue towards red,
with green in between; blood (erythema) instead takes green above all. Each
pixel is compared with its local skin background in log linear RGB, where all
of these are differences (d = pixel minus background, per channel):

- darkening      D = -(dR + dG + dB) / 3   (how much darker than around it)
- melanin shift  S = dR - dB               (0 for a shadow, > 0 for pigment)
- green deficit  V = dR - 2 dG + dB        (about 0 for pigment, large for blood)

A pixel is pigment when D and S are both large enough, S is a fair share of
D, and V is small beside S (so a red blotch in a shadow is not pigment); the
survivors are cleaned (open/close) and kept only if shaped like a
spot (not a hair, not a broad patch of shading). The thresholds were chosen on
generated skin of every ITA category (tests/test_spots.py) and hold for brown
and grey-brown spots alike.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

MIN_DARKENING = 0.07  # log units: about 7 % darker than the surrounding skin
MIN_SHIFT = 0.02  # log units, above pixel noise
MIN_SHIFT_SHARE = 0.12  # S / D; a shadow has 0, a brown spot ~0.6, a grey-brown one ~0.25
MAX_GREEN_DEFICIT = 0.7  # |V| / S; pigment ~0, blood ~2.5
MIN_AREA_FRACTION = 0.0002  # of the region; smaller blobs are pores or noise
MAX_AREA_FRACTION = 0.05  # larger "spots" are shading, not pigment
MIN_FILL = 0.3  # area / bounding box; rejects diagonal hairs
MAX_ELONGATION = 3.0  # bounding box long / short side; rejects straight hairs
HALF_MAXIMUM = 0.5  # a spot's edge, as a share of its peak darkening
BACKGROUND_BLOCK = 4  # pixels per cell of the coarse background grid
LOG_FLOOR = 1e-4  # linear value below which a channel is treated as black


def find_spots(linear: np.ndarray, inner: tuple[slice, slice], window: int) -> tuple[np.ndarray, int]:
    """Labelled spots inside `inner` of a linear RGB array (0 = skin), and their count.

    `linear` holds the region plus a margin of surrounding skin, so that
    background near the region's edges is judged honestly; `window` is the
    size of the local background in pixels.
    """
    import cv2

    # Channels split into contiguous planes first: the same values, but numpy
    # works far faster on them than on every third number of the RGB array.
    planes = cv2.split(np.ascontiguousarray(linear, np.float32)) if linear.dtype == np.float32 else None
    channels = planes if planes is not None else [linear[..., c] for c in range(3)]
    logs = [ndimage.uniform_filter(np.log(np.maximum(channel, LOG_FLOOR)), 3) for channel in channels]
    background = _Background(logs, window)
    candidates, _ = _candidates(logs, background.everywhere())
    # Second pass: background without the first-pass spots, so that large
    # spots do not drag their own background down.
    candidates, darkening = _candidates(logs, background.outside(~candidates))
    mask = _open_close(candidates[inner])
    labels, count = ndimage.label(mask)
    labels, count = _keep_spot_shaped(labels, count, mask.size)
    return _to_half_maximum(labels, count, darkening[inner]), count


def _candidates(logs: list[np.ndarray], backgrounds: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    red, green, blue = (channel - background for channel, background in zip(logs, backgrounds))
    darkening = -(red + green + blue) / 3
    shift = red - blue
    deficit = np.abs(red - 2 * green + blue)
    pigment = (
        (darkening >= MIN_DARKENING)
        & (shift >= MIN_SHIFT)
        & (shift >= MIN_SHIFT_SHARE * darkening)
        & (deficit <= MAX_GREEN_DEFICIT * shift)
    )
    return pigment, darkening


def _to_half_maximum(labels: np.ndarray, count: int, darkening: np.ndarray) -> np.ndarray:
    """Each spot trimmed to where it is at least half as dark as at its darkest.

    A spot's rim fades into the skin; the half-maximum contour is where its
    size is read the same way whatever its contrast (a faint spot is not
    measured smaller, a dark one not larger).
    """
    if count == 0:
        return labels
    # The peak of each spot from its own pixels only (a few hundred): scipy's
    # labelled maximum sorts the whole region's labels first (~10 ms).
    inside = labels > 0
    peaks = np.full(count + 1, -np.inf, np.float32)
    np.maximum.at(peaks, labels[inside], darkening[inside].astype(np.float32))
    threshold = np.concatenate([[np.inf], peaks[1:] * HALF_MAXIMUM])
    return np.where(darkening >= threshold[labels], labels, 0)


def _open_close(mask: np.ndarray) -> np.ndarray:
    """Morphological opening then closing with a 3x3 square.

    Opening drops specks of grain, closing fills pinholes in real spots.
    OpenCV's erosion and dilation on bytes, with the border mirrored as
    scipy's min/max filters mirror it (the same result, several times
    faster; they differ from scipy's binary morphology only at the border).
    """
    import cv2

    square = np.ones((3, 3), np.uint8)

    def erode(grid: np.ndarray) -> np.ndarray:
        return cv2.erode(grid, square, borderType=cv2.BORDER_REFLECT)

    def dilate(grid: np.ndarray) -> np.ndarray:
        return cv2.dilate(grid, square, borderType=cv2.BORDER_REFLECT)

    grid = np.ascontiguousarray(mask).view(np.uint8)
    closed = erode(dilate(dilate(erode(grid))))
    return closed.astype(bool)


class _Background:
    """The local skin background of each log channel: a box mean over `window`.

    The background varies slowly, so it is filtered on a grid of
    BACKGROUND_BLOCK-pixel cells and interpolated back: 16 times less work.
    The plain means (and the share of valid pixels) are computed once and
    shared by both passes and all three channels.
    """

    def __init__(self, logs: list[np.ndarray], window: int):
        self.logs = logs
        self.height, self.width = logs[0].shape
        self.coarse_size = (max(1, self.width // BACKGROUND_BLOCK), max(1, self.height // BACKGROUND_BLOCK))
        self.size = max(3, window // BACKGROUND_BLOCK)
        self.plain = [self._filtered(channel) for channel in logs]

    def _filtered(self, grid: np.ndarray) -> np.ndarray:
        image = Image.fromarray(np.ascontiguousarray(grid, np.float32), "F")
        shrunk = np.asarray(image.resize(self.coarse_size, Image.Resampling.BOX))
        return np.asarray(ndimage.uniform_filter(shrunk, self.size))

    def _expanded(self, coarse: np.ndarray) -> np.ndarray:
        # Bilinear, pixel centres aligned as Pillow aligns them (within 5e-7 of
        # its result), in a tenth of the time.
        import cv2

        size = (self.width, self.height)
        return np.asarray(cv2.resize(coarse.astype(np.float32), size, interpolation=cv2.INTER_LINEAR))

    def everywhere(self) -> list[np.ndarray]:
        return [self._expanded(plain) for plain in self.plain]

    def outside(self, valid: np.ndarray) -> list[np.ndarray]:
        """The means counting only pixels where `valid` is True."""
        weights = valid.astype(np.float32)
        share = self._filtered(weights)
        means = []
        for channel, plain in zip(self.logs, self.plain):
            total = self._filtered(channel * weights)
            # Where a window is almost all spot (rare), fall back to the plain mean.
            means.append(self._expanded(np.where(share > 0.05, total / np.maximum(share, 1e-6), plain)))
        return means


def _keep_spot_shaped(labels: np.ndarray, count: int, roi_area: int) -> tuple[np.ndarray, int]:
    """Drop components too small (grain, pores), too large (shading) or not compact (hairs)."""
    if count == 0:
        return labels, 0
    areas = np.bincount(labels.ravel(), minlength=count + 1)
    keep = np.zeros(count + 1, dtype=bool)
    for index, (rows, cols) in enumerate(ndimage.find_objects(labels), start=1):
        sides = sorted((rows.stop - rows.start, cols.stop - cols.start))
        keep[index] = (
            MIN_AREA_FRACTION * roi_area <= areas[index] <= MAX_AREA_FRACTION * roi_area
            and areas[index] / (sides[0] * sides[1]) >= MIN_FILL
            and sides[1] <= MAX_ELONGATION * sides[0]
        )
    relabelled = np.cumsum(keep) * keep  # kept labels become 1..n, others 0
    return relabelled[labels], int(keep.sum())


def spot_areas(labels: np.ndarray, count: int) -> np.ndarray:
    """Pixel area of each labelled spot (index 0 is spot 1)."""
    return np.bincount(labels.ravel(), minlength=count + 1)[1:]
