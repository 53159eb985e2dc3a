"""Regions of a photo in relative coordinates, so they survive any resolution."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Rect:
    """A region in relative coordinates (0..1 of the image width / height)."""

    left: float
    top: float
    right: float
    bottom: float

    def __post_init__(self) -> None:
        values = (self.left, self.top, self.right, self.bottom)
        if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            raise ValueError(f"Region edges must be finite numbers, got {values}.")
        if not 0 <= self.left < self.right <= 1:
            raise ValueError(f"Region needs 0 <= left < right <= 1, got left={self.left}, right={self.right}.")
        if not 0 <= self.top < self.bottom <= 1:
            raise ValueError(f"Region needs 0 <= top < bottom <= 1, got top={self.top}, bottom={self.bottom}.")

    def to_pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """Pixel box (left, top, right, bottom), right/bottom exclusive."""
        left, top = round(self.left * width), round(self.top * height)
        right, bottom = round(self.right * width), round(self.bottom * height)
        if right - left < 8 or bottom - top < 8:
            raise ValueError(
                f"Region {self} covers fewer than 8x8 pixels of a {width}x{height} photo; choose a larger region."
            )
        return left, top, right, bottom

    def corners(self) -> list[tuple[float, float]]:
        """Clockwise from the top-left, in relative coordinates."""
        return [(self.left, self.top), (self.right, self.top), (self.right, self.bottom), (self.left, self.bottom)]


DEFAULT_ROI = Rect(0.25, 0.25, 0.75, 0.75)
