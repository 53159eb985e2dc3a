"""Open flags: what the home page asks the patient to act on today."""

from __future__ import annotations

import datetime as dt

import pytest

from recovery.vocabulary import AFTERCARE_KEYS
from tests.builders import evaluate, view

START = dt.date(2026, 11, 1)
TREATMENTS = [{"id": 1, "day": START, "areas": ["face"], "needle_depth_mm": 1.0}]
PROFILE = {"fitzpatrick": 2, "melasma_history": False, "pih_history": False, "cold_sores": False}


def _entry(day: int, **values) -> dict:
    base = {
        "redness": 0,
        "swelling": 0,
        "spots": 0,
        "bleeding": 0,
        "dryness": 0,
        "notes": "",
        **{key: 1 for key in AFTERCARE_KEYS},
    }
    return {
        **base,
        **values,
        "day": START + dt.timedelta(days=day),
        "area": "face",
        "treatment_id": 1,
        "days_since_treatment": day,
    }


def _course(*entries: dict) -> list[dict]:
    # Days 0-2 logged calmly, so only what the test adds raises flags.
    calm = {e["days_since_treatment"] for e in entries}
    return [_entry(day, redness=3 - day) for day in range(3) if day not in calm] + list(entries)


def _open_rules(entries: list[dict], today_offset: int) -> set[str]:
    today = START + dt.timedelta(days=today_offset)
    judged = view(entries, PROFILE, TREATMENTS, today)
    return {flag.rule_id + (f"_{flag.question}" if flag.question else "") for flag in judged.still_open()}


@pytest.mark.parametrize(
    ("later", "open_rule"),
    [
        ([_entry(4, redness=2), _entry(5, redness=2)], True),  # still red on day 5
        ([_entry(4, redness=2), _entry(5, redness=1)], False),  # back within its band
        ([_entry(4, redness=2), _entry(5)], False),  # gone
        ([_entry(4, redness=2)], True),  # nothing logged since: still open
    ],
)
def test_persisting_redness_stays_open_until_it_eases(later: list[dict], open_rule: bool) -> None:
    assert ("persist" in _open_rules(_course(_entry(3, redness=2), *later), 6)) is open_rule


def test_a_spot_closes_when_the_skin_is_clear_again() -> None:
    spotted = _course(_entry(3, spots=1), _entry(4, spots=1))
    assert "spot_new" in _open_rules(spotted, 5)
    assert "spot_new" not in _open_rules(spotted + [_entry(5, spots=0)], 5)


def test_unticking_a_warning_sign_does_not_close_it() -> None:
    warned = _course(_entry(3, fever=1))
    assert "warning_fever" in _open_rules(warned, 3)
    assert "warning_fever" in _open_rules(warned + [_entry(4, fever=0)], 4)  # within 72 hours


def test_a_warning_sign_closes_after_72_hours_unticked_with_calm_skin() -> None:
    warned = _course(_entry(3, fever=1), _entry(4, fever=0), _entry(6, fever=0))
    assert "warning_fever" not in _open_rules(warned, 6)
    still_red = _course(_entry(3, fever=1), _entry(4, fever=0), _entry(6, fever=0, redness=3))
    assert "warning_fever" in _open_rules(still_red, 6)


def test_an_expected_early_warmth_closes_once_no_longer_ticked() -> None:
    warm = [_entry(0, warmth=1, redness=3)]
    assert "warning_warmth" in _open_rules(warm, 0)
    assert "warning_warmth" not in _open_rules(warm + [_entry(1, warmth=0, redness=2)], 1)


def test_missed_sunscreen_stays_open_for_the_first_week_only() -> None:
    lapse = _course(_entry(3, sun_avoided=0), _entry(4))
    assert "aftercare_sun" in _open_rules(lapse, 6)
    assert "aftercare_sun" not in _open_rules(lapse, 9)


def test_a_gap_closes_when_logging_resumes() -> None:
    gap = _course()  # days 0-2, then nothing
    assert "gap" in _open_rules(gap, 6)
    assert "gap" not in _open_rules(gap + [_entry(6)], 6)


def test_a_raised_sun_lapse_tells_the_patient_to_call() -> None:
    profile = {**PROFILE, "fitzpatrick": 5}
    lapse = _course(_entry(3, sun_avoided=0))
    (flag,) = [
        f for f in evaluate(lapse, profile, TREATMENTS, START + dt.timedelta(days=3)) if f.rule_id == "aftercare_sun"
    ]
    assert flag.severity == "contact" and "practitioner" in flag.advice
    (plain,) = [
        f for f in evaluate(lapse, PROFILE, TREATMENTS, START + dt.timedelta(days=3)) if f.rule_id == "aftercare_sun"
    ]
    assert plain.severity == "watch" and "practitioner" not in plain.advice
