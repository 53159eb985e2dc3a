"""The reference card placed into synthetic skin photos, with known geometry.

The card's printed sRGB values, decoded to linear light, act as its reflectance:
it is projected into the linear scene with a homography (cv2.warpPerspective),
so the same `relight` then falls on skin and card alike, as in a real photo.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from photometry import card
from photometry.colour import DECODE_LUT


def corners(centre: tuple[float, float], width_px: float, angle_deg: float = 0.0, keystone: float = 0.0) -> np.ndarray:
    """The card's outline in scene pixels (clockwise from its top-left).

    `keystone` > 0 shortens the top edge by that fraction, like a card tilted
    away from the camera (moderate perspective).
    """
    height_px = width_px * card.CARD_HEIGHT_MM / card.CARD_WIDTH_MM
    top_half = width_px / 2 * (1 - keystone)
    local = np.array(
        [
            [-top_half, -height_px / 2],
            [top_half, -height_px / 2],
            [width_px / 2, height_px / 2],
            [-width_px / 2, height_px / 2],
        ]
    )
    turn = math.radians(angle_deg)
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    return local @ rotation.T + np.asarray(centre)


def place(linear: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """The scene with the card laid on it at `outline` (4x2 pixel corners)."""
    height, width = linear.shape[:2]
    side = float(np.linalg.norm(outline[1] - outline[0]))
    # Drawn a little finer than it will appear, so the warp only shrinks it.
    px_per_mm = max(2.0, 1.5 * side / card.CARD_WIDTH_MM)
    bitmap = card.card_bitmap(px_per_mm)
    reflectance = DECODE_LUT[bitmap]
    bh, bw = bitmap.shape[:2]
    source = np.array([[0, 0], [bw, 0], [bw, bh], [0, bh]], np.float32)
    homography = cv2.getPerspectiveTransform(source, outline.astype(np.float32))
    warped = cv2.warpPerspective(reflectance, homography, (width, height), flags=cv2.INTER_AREA)
    coverage = cv2.warpPerspective(np.ones((bh, bw), np.float32), homography, (width, height), flags=cv2.INTER_LINEAR)
    return linear * (1 - coverage[..., None]) + warped * coverage[..., None]


def px_per_mm(outline: np.ndarray) -> float:
    """Scale of a card placed flat (no keystone) at `outline`."""
    return float(np.linalg.norm(outline[1] - outline[0])) / card.CARD_WIDTH_MM
