"""The expected course table: coverage, edge days, and the thresholds."""

from __future__ import annotations

import dataclasses

import pytest

from recovery import course
from recovery.course import (
    EXPECTED_COURSE,
    Band,
    Thresholds,
    band_series,
    excess,
    expected_band,
    expected_max,
    within_band,
)
from recovery.vocabulary import ALL_SIGNS, PRESENCE_SIGNS, RATING_MAX, Depth, Sign, depth_class


def bands_of(sign: str, depth: Depth) -> list[Band]:
    own = (b for b in EXPECTED_COURSE if b.sign == sign and b.depth in (depth, None))
    return sorted(own, key=lambda b: b.first_day)


@pytest.mark.parametrize("depth", Depth)
@pytest.mark.parametrize("sign", ALL_SIGNS)
def test_bands_cover_every_day_from_treatment_without_overlap(sign, depth):
    bands = bands_of(sign, depth)
    assert bands[0].first_day == 0
    for before, after in zip(bands, bands[1:]):
        assert before.last_day is not None
        assert after.first_day == before.last_day + 1
    assert bands[-1].last_day is None  # the last band is open-ended


@pytest.mark.parametrize("band", EXPECTED_COURSE, ids=lambda b: f"{b.sign}-{b.first_day}")
def test_every_band_is_explained_and_in_range(band):
    top = 1 if band.sign in PRESENCE_SIGNS else RATING_MAX
    assert 0 <= band.max_rating <= top
    assert band.source.strip() and band.reason.strip()
    assert band.floor in ("watch", "contact")
    if band.last_day is not None:
        assert band.last_day >= band.first_day


@pytest.mark.parametrize("depth", Depth)
@pytest.mark.parametrize("sign", ALL_SIGNS)
def test_expected_ratings_never_rise_over_time(sign, depth):
    # Healing only gets better: a later band never allows more than an earlier one.
    ratings = [rating for _, rating in band_series(sign, 60, depth)]
    assert ratings == sorted(ratings, reverse=True)


@pytest.mark.parametrize("sign", (Sign.REDNESS, Sign.SWELLING, Sign.PAIN))
def test_deeper_sessions_allow_as_much_or_more_every_day(sign):
    shallow, medium, deep = (band_series(sign, 40, depth) for depth in (Depth.SHALLOW, Depth.MEDIUM, Depth.DEEP))
    for (day, light), (_, usual), (_, strong) in zip(shallow, medium, deep):
        assert light <= usual <= strong, day


@pytest.mark.parametrize(
    "depth_mm, depth",
    [(None, Depth.MEDIUM), (0.25, Depth.SHALLOW), (0.5, Depth.SHALLOW), (0.75, Depth.MEDIUM), (1.5, Depth.MEDIUM),
     (1.75, Depth.DEEP), (3.0, Depth.DEEP)],
)  # fmt: skip
def test_depth_classes(depth_mm, depth):
    assert depth_class(depth_mm) is depth


def test_a_baseline_raises_the_floor_of_the_band():
    assert expected_max(Sign.REDNESS, 10, Depth.MEDIUM, baseline=2) == 2
    assert expected_max(Sign.REDNESS, 0, Depth.MEDIUM, baseline=2) == 4  # the band is higher that day
    assert within_band(Sign.REDNESS, 10, 2, Depth.MEDIUM, baseline=2)
    assert not within_band(Sign.REDNESS, 10, 3, Depth.MEDIUM, baseline=2)
    assert excess(Sign.REDNESS, 10, 4, Depth.MEDIUM, baseline=2) == 2


@pytest.mark.parametrize(
    "sign, day, max_rating",
    [
        ("redness", 0, 4),
        ("redness", 1, 4),
        ("redness", 2, 2),
        ("redness", 3, 1),
        ("redness", 7, 1),
        ("redness", 8, 0),
        ("redness", 14, 0),
        ("redness", 10_000, 0),
        ("swelling", 0, 4),
        ("swelling", 1, 3),
        ("swelling", 2, 2),
        ("swelling", 3, 1),
        ("swelling", 7, 1),
        ("swelling", 8, 0),
        ("swelling", 14, 0),
        ("bleeding", 0, 1),
        ("bleeding", 1, 1),
        ("bleeding", 2, 0),
        ("bleeding", 3, 0),
        ("bleeding", 7, 0),
        ("bleeding", 14, 0),
        ("dryness", 0, 1),
        ("dryness", 2, 1),
        ("dryness", 3, 1),
        ("dryness", 7, 1),
        ("dryness", 8, 0),
        ("dryness", 14, 0),
        ("spots", 0, 0),
        ("spots", 1, 0),
        ("spots", 3, 0),
        ("spots", 14, 0),
        ("spots", 365, 0),
    ],
)
def test_expected_band_on_edge_days(sign, day, max_rating):
    band = expected_band(sign, day)
    assert band.sign == sign
    assert band.max_rating == max_rating
    assert band.first_day <= day
    assert band.last_day is None or day <= band.last_day


@pytest.mark.parametrize("sign", ALL_SIGNS)
@pytest.mark.parametrize("day", (-1, -2, -400))
def test_before_treatment_nothing_is_expected(sign, day):
    band = expected_band(sign, day)
    assert band.max_rating == 0
    assert band.reason == "before treatment"
    assert band.sign == sign


@pytest.mark.parametrize(
    "sign, day, severity",
    [
        # Clinical notes: still clearly red after day 3 = longer than expected
        # (how far above the band decides: one level watch, two or more contact) ...
        ("redness", 3, "watch"),
        ("redness", 7, "watch"),
        ("swelling", 5, "watch"),
        # ... and any redness after day 7 = contact the practitioner.
        ("redness", 8, "contact"),
        ("redness", 30, "contact"),
        ("swelling", 8, "contact"),
        # Bleeding after day 1: a watch at first, a contact from day 4.
        ("bleeding", 2, "watch"),
        ("bleeding", 3, "watch"),
        ("bleeding", 4, "contact"),
        ("dryness", 8, "watch"),
    ],
)
def test_how_worrying_an_excess_is_at_least(sign, day, severity):
    assert expected_band(sign, day).floor == severity


def test_clearly_red_after_day_three_exceeds_but_faint_does_not():
    assert 2 > expected_band("redness", 3).max_rating
    assert 1 <= expected_band("redness", 7).max_rating
    assert 1 > expected_band("redness", 8).max_rating


def test_unknown_sign_is_rejected():
    with pytest.raises(ValueError):
        expected_band("itching", 3)
    with pytest.raises(ValueError):
        band_series("itching", 3)


@pytest.mark.parametrize("sign", ALL_SIGNS)
@pytest.mark.parametrize("last_day", (0, 1, 7, 21))
def test_band_series_lists_each_day_from_treatment(sign, last_day):
    series = band_series(sign, last_day)
    assert [day for day, _ in series] == list(range(last_day + 1))
    assert all(rating == expected_band(sign, day).max_rating for day, rating in series)


def test_band_series_before_any_day_is_empty():
    assert band_series("redness", -1) == []


def test_threshold_defaults_are_the_named_constants():
    t = Thresholds()
    assert t.spot_consult_days == course.SPOT_CONSULT_DAYS == 14
    assert t.spot_consult_days_higher_risk == course.SPOT_CONSULT_DAYS_HIGHER_RISK == 7
    assert t.gap_days == course.GAP_DAYS == 3
    assert t.gap_window_days == course.GAP_WINDOW_DAYS == 14
    assert t.aftercare_window_days == course.AFTERCARE_WINDOW_DAYS == 7
    assert t.high_risk_needle_depth_mm == course.HIGH_RISK_NEEDLE_DEPTH_MM == 1.5


def test_thresholds_can_be_overridden_and_are_frozen():
    t = Thresholds(spot_consult_days=21, spot_consult_days_higher_risk=10)
    assert t.spot_days(higher_risk=False) == 21
    assert t.spot_days(higher_risk=True) == 10
    assert Thresholds().spot_days(higher_risk=True) == 7
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.gap_days = 5  # type: ignore[misc]
