"""Flag rules and the risk profile, one table of cases per rule."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from recovery.course import Thresholds, expected_band
from recovery.flags import RULES, Flag, RuleId, status_for
from recovery.risk import is_higher_risk, risk_factor, risk_factors
from recovery.vocabulary import (
    AFTERCARE_KEYS,
    ALL_SIGNS,
    EMERGENCY_KEYS,
    EMERGENCY_SIGNS,
    ON_TRACK,
    WARNING_KEYS,
    WARNING_SIGNS,
    Severity,
)
from tests import builders

T0 = dt.date(2024, 3, 1)
FACE = {"id": 1, "day": T0, "areas": ["face"], "needle_depth_mm": 1.0, "device": "pen", "serums": ""}


def date(offset: int) -> dt.date:
    return T0 + dt.timedelta(days=offset)


def treatment(tid: int, offset: int, areas=("face",), depth: float | None = 1.0) -> dict:
    return {
        "id": tid,
        "day": date(offset),
        "areas": list(areas),
        "needle_depth_mm": depth,
        "device": "pen",
        "serums": "",
    }


def entry(offset: int, area: str = "face", treatments=(FACE,), **values) -> dict:
    """One day's entry, placed against its area's latest treatment, textbook by default."""
    day = date(offset)
    own = sorted((t["day"], t["id"]) for t in treatments if area in t["areas"])
    done = [(d, tid) for d, tid in own if d <= day]
    if done:
        tid, since = done[-1][1], (day - done[-1][0]).days
    else:
        tid, since = None, ((day - own[0][0]).days if own else None)
    row = {"day": day, "area": area, "treatment_id": tid, "days_since_treatment": since, "notes": ""}
    for sign in ALL_SIGNS:  # the most a normal recovery allows that day
        row[sign] = expected_band(sign, since).max_rating if since is not None else 0
    row.update({key: 1 for key in AFTERCARE_KEYS})
    row.update({key: 0 for key in (*WARNING_KEYS, *EMERGENCY_KEYS)})
    row.update(values)
    return row


def journal(days=range(15), area="face", treatments=(FACE,), changes=None) -> list[dict]:
    """Textbook entries for the given days; `changes` maps an offset to overrides."""
    changes = changes or {}
    return [entry(d, area, treatments, **changes.get(d, {})) for d in days]


def run(entries, profile=None, treatments=(FACE,), today=None, **kw) -> list[Flag]:
    today = today or max((e["day"] for e in entries), default=T0)
    return builders.evaluate(entries, profile or {}, list(treatments), today, **kw)


def only(flags, rule_id, sign=None) -> list[Flag]:
    return [f for f in flags if f.rule_id == rule_id and (sign is None or f.sign == sign)]


# --- A textbook recovery ------------------------------------------------------------


def test_textbook_recovery_at_the_top_of_every_band_raises_nothing():
    assert run(journal(range(30))) == []


def test_textbook_recovery_healing_early_raises_nothing():
    healed = {d: {s: 0 for s in ALL_SIGNS} for d in range(2, 20)}
    assert run(journal(range(20), changes=healed)) == []


# --- Persisting signs ---------------------------------------------------------------

PERSISTING = [
    # sign, course day, rating, expected severity (None = still normal): one
    # level above the band is "watch", two or more "contact"; after the first
    # week any excess is a call (the band's floor), except faint pink in the
    # second week after a 1.0-1.5 mm session (these cases are 1.0 mm).
    ("redness", 1, 4, None),
    ("redness", 2, 2, None),
    ("redness", 2, 3, "watch"),
    ("redness", 3, 1, None),
    ("redness", 3, 2, "watch"),
    ("redness", 3, 3, "contact"),
    ("redness", 7, 1, None),
    ("redness", 7, 2, "watch"),
    ("redness", 8, 1, "watch"),  # faint pink on days 8-13 after 1.0-1.5 mm (second clinical review)
    ("redness", 14, 1, "contact"),
    ("swelling", 0, 4, None),
    ("swelling", 1, 4, "watch"),
    ("swelling", 2, 4, "contact"),
    ("swelling", 3, 2, "watch"),
    ("swelling", 3, 4, "urgent"),  # spreads past the treated area after day 2
    ("swelling", 7, 1, None),
    ("swelling", 8, 1, "contact"),
    ("bleeding", 1, 1, None),
    ("bleeding", 2, 1, "watch"),
    ("bleeding", 3, 1, "watch"),
    ("bleeding", 4, 1, "contact"),
    ("dryness", 7, 1, None),
    ("dryness", 8, 1, "watch"),
    ("dryness", 14, 1, "watch"),
    ("pain", 0, 2, None),
    ("pain", 0, 4, "contact"),
    ("pain", 5, 1, "watch"),
    ("itch", 3, 1, None),
    ("itch", 8, 1, "watch"),
]


@pytest.mark.parametrize("sign, day, rating, severity", PERSISTING)
def test_persisting_sign(sign, day, rating, severity):
    flags = run(journal(range(15), changes={day: {sign: rating}}))
    persisting = only(flags, "persist")
    if severity is None:
        assert persisting == []
        return
    assert [(f.severity, f.sign, f.first_day) for f in persisting] == [(severity, sign, date(day))]
    flag = persisting[0]
    assert flag.days_since_treatment == day and flag.treatment_id == 1
    assert flag.source == expected_band(sign, day).source


def test_lasting_redness_gives_one_watch_and_one_contact_with_first_days():
    red = {d: {"redness": 2} for d in range(2, 12)}
    flags = only(run(journal(range(12), changes=red)), "persist", "redness")
    assert [(f.severity, f.first_day) for f in flags] == [("contact", date(8)), ("watch", date(3))]


def test_unrated_signs_are_not_judged():
    flags = run(journal(range(15), changes={9: {"redness": None, "swelling": None}}))
    assert flags == []


# --- Worsening ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, first_day",
    [
        ({3: {"redness": 0}, 4: {"redness": 1}}, 5),  # a rise within the band that holds a second day
        ({2: {"redness": 1}, 3: {"redness": 2}, 4: {"redness": 2}}, 4),  # back above the band, and held
        ({3: {"redness": 0}, 4: {"redness": 2}}, 4),  # two levels at once
        ({5: {"swelling": 0}, 6: {"swelling": 0}, 7: {"swelling": 1}, 8: {"swelling": 1}}, 8),
    ],
)
def test_worsening_after_day_two(changes, first_day):
    flags = run(journal(range(10), changes=changes))
    worse = only(flags, "worsening")
    assert [(f.first_day, f.severity) for f in worse] == [(date(first_day), "contact")]
    assert "infection" in worse[0].message and "product" in worse[0].message


def test_a_rise_up_to_day_two_is_not_worsening():
    flags = run(journal(range(10), changes={1: {"swelling": 1}, 2: {"swelling": 2}}))
    assert only(flags, "worsening") == []


@pytest.mark.parametrize(
    "changes",
    [
        {1: {"redness": 0}, 2: {"redness": 1}},  # faint pink after a clear day 1: wobble
        {5: {"swelling": 0}, 6: {"swelling": 0}, 7: {"swelling": 1}},  # one day up, then down again
        {3: {"redness": 0}, 4: {"redness": 1}, 5: {"redness": 0}},
    ],
)
def test_a_one_level_wobble_is_not_worsening(changes):
    assert only(run(journal(range(max(changes) + 1), changes=changes)), "worsening") == []


def test_worsening_compares_with_the_previous_logged_day_across_missing_days():
    entries = journal([0, 1, 2, 3, 7, 8], changes={3: {"redness": 0}, 7: {"redness": 1}, 8: {"redness": 1}})
    worse = only(run(entries), "worsening", "redness")
    assert [f.first_day for f in worse] == [date(8)]


def test_dryness_starting_on_day_two_is_not_worsening():
    changes = {0: {"dryness": 0}, 1: {"dryness": 0}, 2: {"dryness": 1}, 3: {"dryness": 1}}
    assert run(journal(range(8), changes=changes)) == []


# --- Spots --------------------------------------------------------------------------


def spots_from(first: int, last: int, rating: int = 1) -> dict:
    return {d: {"spots": rating} for d in range(first, last + 1)}


def test_a_new_spot_is_a_watch_with_sun_advice():
    flags = run(journal(range(10), changes=spots_from(5, 6)))
    assert [(f.rule_id, f.severity, f.first_day) for f in flags] == [("spot_new", "watch", date(5))]
    assert "SPF 30" in flags[0].advice


def test_a_spot_on_treatment_day_counts():
    assert [f.rule_id for f in run(journal(range(3), changes=spots_from(0, 0)))] == ["spot_new"]


@pytest.mark.parametrize(
    "profile, last_spot_day, consult_day",
    [
        ({}, 18, None),  # 13 days of spots: not yet
        ({}, 19, 19),  # 14 days from day 5
        ({"fitzpatrick": 3}, 19, 19),
        ({"fitzpatrick": 5}, 11, None),  # higher risk: 7 days
        ({"fitzpatrick": 5}, 12, 12),
        ({"melasma_history": True}, 12, 12),
        ({"pih_history": 1}, 12, 12),
    ],
)
def test_lasting_spots_send_to_a_dermatologist(profile, last_spot_day, consult_day):
    entries = journal(range(last_spot_day + 1), changes=spots_from(5, last_spot_day))
    lasting = only(run(entries, profile), "spot_persist")
    expected = [] if consult_day is None else [(date(consult_day), "contact")]
    assert [(f.first_day, f.severity) for f in lasting] == expected


def test_lasting_spots_threshold_is_configurable():
    entries = journal(range(12), changes=spots_from(2, 11))
    assert only(run(entries), "spot_persist") == []
    flags = run(entries, thresholds=Thresholds(spot_consult_days=9))
    assert [f.first_day for f in only(flags, "spot_persist")] == [date(11)]


def test_lasting_spots_are_measured_across_missing_days():
    entries = journal([0, 1, 2, 3, 5, 19], changes={3: {"spots": 1}, 5: {"spots": 1}, 19: {"spots": 1}})
    assert [f.first_day for f in only(run(entries), "spot_persist")] == [date(19)]


def test_one_clear_day_does_not_restart_the_count():
    changes = {**spots_from(3, 10), 11: {"spots": 0}, **spots_from(12, 20)}
    entries = journal(range(21), changes=changes)
    assert [f.first_day for f in only(run(entries), "spot_persist")] == [date(17)]
    assert len(only(run(entries), "spot_new")) == 1


def test_two_clear_days_end_a_run_of_spots():
    changes = {**spots_from(3, 10), 11: {"spots": 0}, 12: {"spots": 0}, **spots_from(13, 20)}
    entries = journal(range(21), changes=changes)
    assert only(run(entries), "spot_persist") == []
    assert [f.first_day for f in only(run(entries), "spot_new")] == [date(3), date(13)]


def test_spots_getting_darker_is_a_contact():
    changes = {**spots_from(4, 5, 1), 6: {"spots": 2}}
    flags = run(journal(range(8), changes=changes))
    darker = only(flags, "spot_darker")
    assert [(f.first_day, f.severity) for f in darker] == [(date(6), "contact")]
    assert "dermatologist" in darker[0].advice


def test_spots_already_there_before_treatment_are_not_judged():
    entries = journal(range(-5, 0), changes=spots_from(-5, -1, 3))
    assert run(entries) == []


# --- Warning signs ------------------------------------------------------------------


@pytest.mark.parametrize("check", WARNING_SIGNS, ids=lambda c: c.key)
def test_each_warning_sign_after_day_two_is_urgent_and_named(check):
    flags = run(journal(range(6), changes={3: {check.key: 1}, 4: {check.key: 1}}))
    # Track marks last but are no acute danger: a call, not an alarm.
    severity = "contact" if check.key == "track_marks" else "urgent"
    assert [(f.rule_id, f.question, f.severity, f.first_day) for f in flags] == [
        ("warning", check.key, severity, date(3))
    ]
    assert check.label in flags[0].message


@pytest.mark.parametrize("check", EMERGENCY_SIGNS, ids=lambda c: c.key)
def test_each_emergency_sign_asks_to_call_emergency_services(check):
    flags = run(journal(range(3), changes={1: {check.key: 1}}))
    assert [(f.rule_id, f.question, f.severity) for f in flags] == [("emergency", check.key, "emergency")]
    assert "emergency services" in flags[0].advice and check.label in flags[0].message


def test_several_warnings_give_one_flag_each_and_come_first():
    changes = {2: {"pus": 1, "fever": 1}, 8: {"redness": 2}}
    flags = run(journal(range(10), changes=changes))
    assert {(f.rule_id, f.question) for f in flags[:2]} == {("warning", "pus"), ("warning", "fever")}
    assert [f.severity for f in flags] == ["urgent", "urgent", "contact"]


def test_warnings_count_even_without_a_treatment():
    row = entry(0, area="hands", treatments=(), warmth=1)
    assert row["treatment_id"] is None and row["days_since_treatment"] is None
    flags = run([row], treatments=())
    assert [(f.rule_id, f.question, f.area, f.treatment_id) for f in flags] == [("warning", "warmth", "hands", None)]


def test_blisters_with_cold_sore_history_mentions_it():
    entries = journal(range(3), changes={1: {"blisters": 1}})
    plain = run(entries)[0].message
    noted = run(entries, {"cold_sores": True})[0].message
    assert "You get cold sores" not in plain and "You get cold sores" in noted


# --- Aftercare ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, profile, expected",
    [
        ({3: {"sunscreen": 0, "sun_avoided": None}}, {}, [(3, "watch")]),
        ({3: {"sunscreen": 0, "sun_avoided": 1}}, {}, []),  # stayed out of the sun
        ({0: {"sun_avoided": 0}}, {}, [(0, "watch")]),
        ({0: {"sunscreen": 0, "sun_avoided": None}}, {}, []),  # no products on the first day
        ({7: {"sun_avoided": 0}}, {}, [(7, "watch")]),
        ({8: {"sun_avoided": 0}}, {}, []),
        ({3: {"sunscreen": None, "sun_avoided": None}}, {}, []),
        ({3: {"hydrated": 0}}, {}, []),
        ({2: {"sun_avoided": 0}, 5: {"sun_avoided": 0}}, {}, [(2, "watch"), (5, "watch")]),
        ({3: {"sun_avoided": 0}}, {"fitzpatrick": 6}, [(3, "contact")]),
        ({3: {"sun_avoided": 0}}, {"pih_history": True}, [(3, "contact")]),
    ],
)
def test_missed_sun_protection_in_the_first_week(changes, profile, expected):
    flags = only(run(journal(range(10), changes=changes), profile), "aftercare_sun")
    assert [(f.days_since_treatment, f.severity) for f in flags] == expected


def test_deep_needling_makes_a_sun_lapse_a_contact():
    deep = treatment(1, 0, depth=2.0)
    entries = journal(range(5), treatments=(deep,), changes={1: {"sun_avoided": 0}})
    assert [f.severity for f in only(run(entries, treatments=(deep,)), "aftercare_sun")] == ["contact"]


# --- Gaps ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days, today, expected",
    [
        ([0, 1, 2, 3, 6, 7], 7, []),  # two days missing
        ([0, 1, 2, 3, 7, 8], 8, [(4, 3)]),  # days 4-6
        ([0, 1, 8, 9, 10], 10, [(2, 6)]),
        ([0, 1, 2], 4, []),  # days 3-4, only up to today
        ([0, 1, 2], 5, []),  # days 3-4 (today does not count)
        ([0, 1, 2], 6, [(3, 3)]),
        (list(range(15)) + [18, 25], 25, []),  # after the first two weeks: weekly
        (list(range(12)), 30, [(12, 3)]),  # days 12-14
        ([5, 6, 7], 7, [(0, 5)]),
    ],
)
def test_gaps_in_the_first_two_weeks(days, today, expected):
    flags = run(journal(days), today=date(today))
    gaps = only(flags, "gap")
    assert [(f.days_since_treatment, f.severity) for f in gaps] == [(d, "info") for d, _ in expected]
    for flag, (_, length) in zip(gaps, expected):
        assert f"{length} days" in flag.message


def test_a_treatment_yesterday_without_entries_is_no_gap_yet():
    assert run([], today=date(1)) == []


def test_a_treatment_planned_after_today_is_no_gap():
    planned = (treatment(1, 10),)
    assert run(journal(range(3), treatments=planned), treatments=planned, today=date(2)) == []


def test_a_gap_stops_at_the_next_treatment():
    series = (treatment(1, 0), treatment(2, 5))
    # Days 3 and 4 missing in course 1, days 5 onwards logged in course 2.
    entries = journal([0, 1, 2, 5, 6, 7, 8], treatments=series)
    assert only(run(entries, treatments=series), "gap") == []


# --- Several areas and several treatments -------------------------------------------------


def test_areas_are_judged_separately():
    both = (treatment(1, 0, areas=("face", "neck")),)
    face = journal(range(10), "face", both)
    neck = journal(range(10), "neck", both, changes={8: {"swelling": 1}})
    flags = run(face + neck, treatments=both)
    assert [(f.rule_id, f.severity, f.area, f.sign) for f in flags] == [("persist", "contact", "neck", "swelling")]
    assert status_for(flags, "face") is None and status_for(flags, "neck") == "contact"


def test_days_are_counted_from_the_latest_treatment_of_the_area():
    series = (treatment(1, 0), treatment(2, 28))
    # Day 30 is course day 2 of the second treatment: mild redness is normal.
    # Day 36 is course day 8 of the second treatment: redness should be gone.
    changes = {30: {"redness": 2}, 36: {"redness": 1}}
    entries = journal(range(40), treatments=series, changes=changes)
    assert entries[30]["days_since_treatment"] == 2 and entries[30]["treatment_id"] == 2
    flags = run(entries, treatments=series)
    assert [(f.rule_id, f.treatment_id, f.days_since_treatment, f.first_day) for f in flags] == [
        ("persist", 2, 8, date(36))
    ]


def test_the_same_rule_flags_once_per_course():
    series = (treatment(1, 0), treatment(2, 28))
    entries = journal(
        range(40), treatments=series, changes={10: {"redness": 1}, 11: {"redness": 1}, 38: {"redness": 1}}
    )
    persist = only(run(entries, treatments=series), "persist")
    assert [(f.treatment_id, f.first_day) for f in persist] == [(1, date(10)), (2, date(38))]


def test_separate_treatments_of_separate_areas():
    series = (treatment(1, 0, areas=("face",)), treatment(2, 3, areas=("chest",)))
    face = journal(range(13), "face", series)
    chest = journal(range(3, 13), "chest", series, changes={12: {"redness": 2}})
    flags = run(face + chest, treatments=series)
    # Chest day 12 is course day 9, redness came back two levels: persisting and worsening.
    assert sorted((f.rule_id, f.area, f.treatment_id, f.days_since_treatment) for f in flags) == [
        ("persist", "chest", 2, 9),
        ("worsening", "chest", 2, 9),
    ]


def test_a_one_step_rise_back_above_the_band_on_one_day_is_a_watch_only():
    flags = run(journal(range(6), changes={2: {"redness": 1}, 3: {"redness": 2}, 4: {"redness": 1}}))
    assert [(f.rule_id, f.severity, f.first_day) for f in flags] == [("persist", "watch", date(3))]


# --- Ordering, robustness ---------------------------------------------------------------


def test_flags_are_sorted_by_severity_then_first_day():
    changes = {1: {"sun_avoided": 0}, 5: {"redness": 2}, 6: {"warmth": 1}, 9: {"swelling": 1}, 10: {"spots": 1}}
    flags = run(journal([0, 1, 5, 6, 9, 10], changes=changes))
    keys = [(-f.severity.rank, f.first_day) for f in flags]
    assert keys == sorted(keys)
    assert flags[0].severity == "urgent" and flags[-1].severity == "info"
    assert {f.rule_id for f in flags} == {
        "warning",
        "persist",
        "spot_new",
        "aftercare_sun",
        "gap",
    }


def test_entry_order_does_not_matter():
    changes = {3: {"redness": 2}, 5: {"redness": 3}, 8: {"spots": 1}, 9: {"spots": 2}}
    entries = journal(range(12), changes=changes)
    shuffled = entries[:]
    random.Random(7).shuffle(shuffled)
    assert run(shuffled, today=date(11)) == run(entries)


def test_entries_after_today_are_ignored():
    entries = journal(range(12), changes={10: {"redness": 3, "pus": 1}})
    assert run(entries, today=date(9)) == []


def test_every_flag_comes_from_the_rule_table_and_never_diagnoses():
    changes = {d: {"redness": 2, "spots": 2, "sunscreen": 0, **{k: 1 for k in WARNING_KEYS}} for d in range(2, 20)}
    flags = run(journal(range(20), changes=changes), {"fitzpatrick": 5})
    assert flags
    for flag in flags:
        assert flag.rule_id in RULES and flag.severity in Severity
        assert flag.source and flag.message and flag.advice
        text = (flag.message + flag.advice).lower()
        assert "you have" not in text and "diagnos" not in text


def test_rule_table_is_complete():
    for rule_id, rule in RULES.items():
        assert rule.rule_id == rule_id and rule.severity in Severity
        assert rule.source and rule.reason and rule.advice
    assert set(RULES) == set(RuleId) - {RuleId.MEASURED_DISAGREES}  # that note is made by recovery.photo_trend


# --- Status words -----------------------------------------------------------------------


def test_severity_rank_orders_the_severities():
    assert [s.rank for s in Severity] == [0, 1, 2, 3, 4]
    ordered = [s.value for s in sorted(Severity, key=lambda s: s.rank)]
    assert ordered == ["info", "watch", "contact", "urgent", "emergency"]
    with pytest.raises(ValueError):
        Severity("panic")


@pytest.mark.parametrize(
    "changes, status",
    [
        ({}, None),
        ("gap", "info"),
        ({3: {"spots": 1}}, "watch"),
        ({9: {"redness": 2}}, "contact"),
        ({3: {"spots": 1}, 4: {"fever": 1}}, "urgent"),
    ],
)
def test_status_is_the_most_serious_flag_of_the_area(changes, status):
    days = [0, 1, 5, 6, 7, 8, 9] if changes == "gap" else range(10)
    flags = run(journal(days, changes=None if changes == "gap" else changes))
    assert status_for(flags, "face") == status
    assert status_for(flags, "neck") is None
    assert ON_TRACK == "On track"


# --- Risk profile -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, depth, sun_day, keys",
    [
        ({}, 1.0, None, []),
        ({"fitzpatrick": None}, None, None, []),
        ({"fitzpatrick": 3}, 1.49, None, []),
        ({"fitzpatrick": 4}, 1.0, None, ["darker_skin"]),
        ({"fitzpatrick": 6}, 1.0, None, ["darker_skin"]),
        ({"melasma_history": True}, 1.0, None, ["melasma_history"]),
        ({"pih_history": 1, "melasma_history": 0}, 1.0, None, ["pih_history"]),
        ({}, 1.5, None, ["deep_needling"]),
        ({}, 2.5, None, ["deep_needling"]),
        ({}, 1.0, 0, ["sun_lapse"]),
        ({}, 1.0, 7, ["sun_lapse"]),
        ({}, 1.0, 8, []),
        ({}, 1.0, -2, []),  # before treatment
        ({"fitzpatrick": 5, "pih_history": True}, 2.0, 3, ["darker_skin", "pih_history", "deep_needling", "sun_lapse"]),
    ],
)
def test_risk_factors(profile, depth, sun_day, keys):
    treatments = [treatment(1, 0, depth=depth)]
    changes = {} if sun_day is None else {sun_day: {"sun_avoided": 0}}
    entries = journal(range(-3, 10), treatments=treatments, changes=changes)
    snapshot = builders.snapshot(entries, treatments, profile)
    factors = risk_factors(snapshot.profile, snapshot.treatments, snapshot.entries)
    assert [f.key for f in factors] == keys
    # Depth and sun belong to their course: they raise the risk of that course only.
    assert is_higher_risk(factors, treatment_id=1) == bool(keys)
    patient_wide = [k for k in keys if k not in ("deep_needling", "sun_lapse")]
    assert is_higher_risk(factors) == bool(patient_wide)
    assert all(f.label and f.source and risk_factor(f.key, treatment_id=f.treatment_id) == f for f in factors)


def test_needle_depth_threshold_is_configurable():
    treatments = [builders.treatment(treatment(1, 0, depth=1.2))]
    assert risk_factors(builders.profile({}), treatments, []) == ()
    factors = risk_factors(builders.profile({}), treatments, [], Thresholds(high_risk_needle_depth_mm=1.0))
    assert [f.key for f in factors] == ["deep_needling"]
    assert "1 mm or more" in factors[0].label  # the label follows the threshold in use
