"""Property tests: whatever a caller passes, the journal stores it exactly or refuses it by name."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healing_journal import InvalidEntry, Journal, Settings
from recovery.vocabulary import AFTERCARE_KEYS, AREAS, WARNING_KEYS, Severity
from tests.builders import evaluate, rated
from tests.conftest import FIXED_DAY

CHECKS = ("bleeding", "dryness", *AFTERCARE_KEYS, *WARNING_KEYS)
_counter = itertools.count()

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
)
ratings = st.one_of(st.none(), st.integers(0, 4))
days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Journal:
    folder = tmp_path_factory.mktemp("properties")
    journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED_DAY))
    journal.add_treatment(FIXED_DAY - dt.timedelta(days=30), list(AREAS[:3]))
    yield journal
    journal.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=FIXED_DAY),
    area=st.sampled_from(AREAS),
    redness=ratings,
    swelling=ratings,
    spots=ratings,
    checks=st.fixed_dictionaries({}, optional={key: st.booleans() for key in CHECKS}),
    notes=st.text(max_size=200),
)
def test_valid_entries_read_back_equal(shared: Journal, day, area, redness, swelling, spots, checks, notes) -> None:
    entry_id = shared.save_entry(day, area, redness=redness, swelling=swelling, spots=spots, notes=notes, **checks)
    stored = shared.entry_by_id(entry_id)
    assert (stored.day, stored.area) == (day, area)
    assert rated(stored) == (
        redness,
        swelling,
        spots,
    )
    assert stored.notes == notes
    for key in CHECKS:
        expected = None if key not in checks else checks[key]
        assert stored.answer(key) == expected, key


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.one_of(days, anything),
    area=st.one_of(st.sampled_from(AREAS), anything),
    rating=anything,
    sign=st.sampled_from(("redness", "swelling", "spots")),
)
def test_invalid_entries_raise_the_named_error_only(shared: Journal, day, area, rating, sign) -> None:
    valid_day = isinstance(day, dt.date) and day <= FIXED_DAY
    valid_area = area in AREAS
    valid_rating = rating is None or (type(rating) is int and 0 <= rating <= 4)
    before = len(shared.entry_list())
    try:
        shared.save_entry(day, area, **{sign: rating})
    except InvalidEntry as problem:
        assert not (valid_day and valid_area and valid_rating)
        assert str(problem)  # a readable reason
        assert len(shared.entry_list()) == before  # nothing half-saved
    else:
        assert valid_day and valid_area and valid_rating


entry_strategy = st.fixed_dictionaries(
    {
        "offset": st.integers(-5, 40),
        "area": st.sampled_from(AREAS[:2]),
        "redness": ratings,
        "swelling": ratings,
        "spots": ratings,
        **{key: st.one_of(st.none(), st.integers(0, 1)) for key in CHECKS},
    }
)


@settings(max_examples=150, deadline=None)
@given(
    raw=st.lists(entry_strategy, max_size=25),
    fitzpatrick=st.one_of(st.none(), st.integers(1, 6)),
    depth=st.one_of(st.none(), st.floats(0.25, 2.5)),
)
def test_flag_rules_accept_any_journal(raw, fitzpatrick, depth) -> None:
    """Any mix of days, areas and answers yields well-formed flags and nothing else."""
    start = FIXED_DAY - dt.timedelta(days=30)
    treatments = [{"id": 1, "day": start, "areas": list(AREAS[:2]), "needle_depth_mm": depth}]
    seen, entries = set(), []
    for item in raw:
        day = start + dt.timedelta(days=item["offset"])
        if (day, item["area"]) in seen:
            continue
        seen.add((day, item["area"]))
        entry = {k: v for k, v in item.items() if k != "offset"}
        since = item["offset"]
        entries.append(
            {**entry, "day": day, "notes": "", "days_since_treatment": since, "treatment_id": 1 if since >= 0 else None}
        )
    profile = {"fitzpatrick": fitzpatrick, "melasma_history": False, "pih_history": False, "cold_sores": False}
    for flag in evaluate(entries, profile, treatments, FIXED_DAY):
        assert flag.severity in Severity
        assert flag.area in AREAS[:2]
        assert flag.message and flag.source and flag.advice
        assert flag.first_day <= FIXED_DAY
