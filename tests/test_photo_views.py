"""The pieces of "Seeing change" that need no journal: the wipe, the fitted pair, the spread."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from ui import photo_composites


def _plain(colour: tuple[int, int, int], size: tuple[int, int] = (300, 200)) -> Image.Image:
    return Image.new("RGB", size, colour)


@pytest.mark.parametrize("position", [0.0, 0.25, 0.5, 1.0])
def test_the_wipe_shows_the_earlier_photo_left_of_the_boundary_and_the_later_right(position: float) -> None:
    earlier, later = _plain((200, 40, 40)), _plain((40, 40, 200))
    shown = np.asarray(photo_composites.wipe(earlier, later, position))
    boundary = round(position * 300)
    row = shown[150]  # below the (empty) labels
    assert (row[: max(0, boundary - 2)] == (200, 40, 40)).all()
    assert (row[boundary + 2 :] == (40, 40, 200)).all()
    if 0 < boundary < 300:
        assert (row[boundary] == photo_composites.WIPE_LINE).all()
    # The two sides are left as they were (they are cached between slider moves).
    assert earlier.getpixel((0, 0)) == (200, 40, 40) and later.getpixel((299, 0)) == (40, 40, 200)


def test_the_wipe_labels_each_side_and_refuses_sides_of_different_sizes() -> None:
    labelled = photo_composites.wipe(_plain((128, 128, 128)), _plain((128, 128, 128)), 0.5, labels=("day 0", "day 9"))
    pixels = np.asarray(labelled)
    assert (pixels[:4, :4] == 0).all() and (pixels[:4, -4:] == 0).all()  # dark label boxes in both corners
    with pytest.raises(ValueError, match="differ in size"):
        photo_composites.wipe(_plain((0, 0, 0)), _plain((0, 0, 0), (200, 300)), 0.5)


@pytest.mark.parametrize("count, most", [(5, 60), (60, 60), (61, 60), (365, 60), (730, 60), (10, 2)])
def test_a_long_series_is_spread_evenly_and_keeps_the_first_and_the_last(count: int, most: int) -> None:
    photos = list(range(count))
    chosen = photo_composites.spread(photos, most)
    assert len(chosen) == min(count, most)
    assert chosen[0] == 0 and chosen[-1] == count - 1
    assert chosen == sorted(set(chosen))  # in order, none twice
    gaps = np.diff(chosen)
    assert gaps.max() - gaps.min() <= 1  # evenly
