"""Home as today's page: what to do today and how the recovery is going.

AppTest runs the real app frame (journal_app.py) on a real journal folder;
the recovery rules judge what is stored, nothing is stubbed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from demo.skin import skin_photo
from recovery.course import expected_band
from recovery.model import Treatment
from recovery.today import PHOTO_DAYS, logged_around, milestones, normal_now, still_normal
from recovery.usual_skin import UsualSkin
from recovery.vocabulary import Area, Depth, Sign
from tests.app_frame import open_framed
from tests.journals import reopen
from tests.test_pages import assert_clean
from ui.home_today import CALM

FIXED = dt.date(2026, 11, 24)


@pytest.fixture
def empty_folder(app_folder: Path, navigation_only: None) -> Path:
    return app_folder  # tests/app_frame.py


def _shown(at) -> str:  # type: ignore[no-untyped-def]
    text = " ".join(m.value for m in (*at.markdown, *at.success, *at.info, *at.warning, *at.error))
    return _readable(text)


def _readable(text: str) -> str:
    """As the patient reads it: without Markdown escapes and invisible word joiners."""
    return text.replace("\u2060", "").replace("\\", "")


def test_day_0_asks_for_the_entry_and_its_photo_and_reassures_nobody(empty_folder: Path) -> None:
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(FIXED, ["face"], needle_depth_mm=1.0)
    at = open_framed("home.py")
    assert_clean(at)
    assert [h.value for h in at.header] == ["Face: day 0 after your treatment"]
    (log,) = [b for b in at.button if b.label == "Log today and take a photo"]
    assert log.proto.type == "primary", "today's task is a clear button, not a small link"
    shown = _shown(at)
    assert CALM not in shown and "On track" not in shown
    assert "Nothing logged since the treatment yet" in shown
    assert expected_band(Sign.REDNESS, 0, Depth.MEDIUM).reason in shown


def test_a_flagged_course_shows_its_cards_trend_and_milestones(empty_folder: Path) -> None:
    start = FIXED - dt.timedelta(days=9)
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(start, ["face"], needle_depth_mm=1.0, practitioner="Dr Example")
        for day, redness in enumerate([4, 3, 2, 1, 1, 1, 2, 3, 3, 3]):
            journal.save_entry(start + dt.timedelta(days=day), "face", redness=redness, swelling=0, warmth=day == 9)
    at = open_framed("home.py")
    assert_clean(at)
    shown = _shown(at)
    assert "Logged today ✓ (0 photos)" in shown
    assert CALM not in shown
    errors = [_readable(e.value) for e in at.error]
    assert any("Warning sign: The area feels warm or hot" in e and "Dr Example" in e for e in errors), errors
    assert any("Redness" in e and "Contact your practitioner" in e for e in errors), errors
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3, "the key, and a small trend of redness and of swelling"
    milestone_text = " ".join(m.value for m in at.markdown if "Two-week check" in m.value)
    assert f"✓ Day 3, {start + dt.timedelta(days=3):%a %d %b}" in milestone_text
    assert f"**Two-week check, {start + dt.timedelta(days=14):%a %d %b}:**" in milestone_text


def test_a_calm_course_says_so_once_something_is_logged(empty_folder: Path) -> None:
    start = FIXED - dt.timedelta(days=2)
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(start, ["face"], needle_depth_mm=1.0)
        for day, redness in enumerate([3, 2, 1]):
            journal.save_entry(start + dt.timedelta(days=day), "face", redness=redness, swelling=0)
    at = open_framed("home.py")
    assert_clean(at)
    assert CALM in [s.value for s in at.success]


def test_the_latest_photo_sits_beside_the_first_with_words_for_screen_readers(empty_folder: Path) -> None:
    start = FIXED - dt.timedelta(days=3)
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(start, ["face"], needle_depth_mm=1.0)
        for day in (0, 3):
            entry = journal.save_entry(start + dt.timedelta(days=day), "face", redness=3 - day)
            journal.add_photo(entry, skin_photo(0.7 - day / 10, seed=day, size=(640, 480)), filename=f"d{day}.jpg")
    at = open_framed("home.py")
    assert_clean(at)
    alts = [img.proto.imgs[0].alt for img in at.image]
    assert alts == [
        f"Photo of the face, day 0, {start:%d %B %Y}",
        f"Photo of the face, day 3, {FIXED:%d %B %Y}",
    ]
    assert "Latest: day 3" in _shown(at)


# --- the domain behind it ----------------------------------------------------------------


def _treatment(depth_mm: float = 1.0) -> Treatment:
    return Treatment(1, FIXED, (Area.FACE,), needle_depth_mm=depth_mm)


def test_what_is_normal_today_is_the_course_itself() -> None:
    for day in range(0, 20):
        assert normal_now(day, _treatment()).startswith(expected_band(Sign.REDNESS, day, Depth.MEDIUM).reason)
    assert "peeling" in normal_now(3, _treatment())
    assert "peeling" not in normal_now(10, _treatment())
    usual = UsualSkin(Area.FACE, {Sign.REDNESS: 1}, days=3)
    assert still_normal(20, _treatment(), usual) == "Still normal today: redness up to faint."
    assert still_normal(20, _treatment(), UsualSkin(Area.FACE)).startswith("No sign of the treatment")
    assert "redness up to severe" in still_normal(0, _treatment(), UsualSkin(Area.FACE))


def test_photo_days_are_those_a_dermatologist_compares() -> None:
    assert PHOTO_DAYS[:6] == (0, 1, 3, 7, 14, 21)
    assert 30 in PHOTO_DAYS and 42 in PHOTO_DAYS and 2 not in PHOTO_DAYS


def test_milestones_fall_on_their_days() -> None:
    days = {m.title: m.date for m in milestones(FIXED)}
    assert days["Day 3"] == FIXED + dt.timedelta(days=3)
    assert days["Two-week check"] == FIXED + dt.timedelta(days=14)
    assert days["Week 6"] == FIXED + dt.timedelta(days=42)
    assert not milestones(FIXED)[0].passed(FIXED + dt.timedelta(days=3))


def test_nothing_to_do_on_a_day_between_follow_ups(empty_folder: Path) -> None:
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(FIXED - dt.timedelta(days=17), ["face"], needle_depth_mm=1.0)
    at = open_framed("home.py")
    assert_clean(at)
    assert "No entry is due today" in _shown(at)
    assert "Log today anyway" in [link.label for link in at.page_link]


def test_todays_task_button_opens_log_a_day(empty_folder: Path) -> None:
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(FIXED - dt.timedelta(days=1), ["face"], needle_depth_mm=1.0)
    at = open_framed("home.py")
    (log,) = [b for b in at.button if b.label == "Log today and take a photo"]
    log.click().run()
    assert_clean(at)
    assert at.title[0].value == "Log a day"


def test_adding_the_first_treatment_offers_the_next_step(empty_folder: Path) -> None:
    at = open_framed("treatments.py")
    (add,) = [b for b in at.button if b.label == "Add treatment"]
    add.click().run()
    assert_clean(at)
    (first,) = [b for b in at.button if b.label == "Log your first day"]
    assert first.proto.type == "primary"
    first.click().run()
    assert_clean(at)
    assert at.title[0].value == "Log a day"


def test_a_milestone_is_ticked_only_when_a_day_was_logged_around_it() -> None:
    day_3 = milestones(FIXED)[0]
    near = [FIXED + dt.timedelta(days=d) for d in (1, 5)]  # two days either side still count
    assert logged_around(day_3, [FIXED + dt.timedelta(days=5)]) and logged_around(day_3, near[:1])
    assert not logged_around(day_3, [FIXED, FIXED + dt.timedelta(days=6)])
    assert not logged_around(day_3, [])


def test_home_ticks_the_milestones_logged_around_and_says_which_were_not(empty_folder: Path) -> None:
    start = FIXED - dt.timedelta(days=9)
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(start, ["face"], needle_depth_mm=1.0)
        journal.save_entry(start, "face", redness=3, swelling=1)
        journal.save_entry(start + dt.timedelta(days=8), "face", redness=0, swelling=0)  # near day 7, far from day 3
    at = open_framed("home.py")
    assert_clean(at)
    text = _readable(" ".join(m.value for m in at.markdown if "Two-week check" in m.value))
    assert f"✓ Day 7, {start + dt.timedelta(days=7):%a %d %b}" in text
    assert "✓ Day 3" not in text
    assert f"Day 3, {start + dt.timedelta(days=3):%a %d %b}: nothing logged around then" in text


def test_the_day_3_milestone_names_the_first_photo_and_asks_for_none_once_taken(empty_folder: Path) -> None:
    start = FIXED - dt.timedelta(days=3)
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(start, ["face"], needle_depth_mm=1.0)
        for day in (2, 3):  # no photo on day 0
            entry = journal.save_entry(start + dt.timedelta(days=day), "face", redness=1)
            journal.add_photo(entry, skin_photo(0.5, seed=day, size=(640, 480)), filename=f"d{day}.jpg")
    at = open_framed("home.py")
    assert_clean(at)
    (today,) = [line for m in at.markdown for line in _readable(m.value).splitlines() if "Today · Day 3" in line]
    assert "day 0" not in today and "Take a photo" not in today, today
    assert "day 2" in today, today
    assert "First: day 2" in _shown(at) and "Latest: day 3" in _shown(at)


def test_a_single_photo_is_shown_once_as_the_first(empty_folder: Path) -> None:
    start = FIXED - dt.timedelta(days=3)
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(start, ["face"], needle_depth_mm=1.0)
        entry = journal.save_entry(start + dt.timedelta(days=2), "face", redness=1)
        # Two shots of one moment are still one photo day: nothing to compare yet.
        for seed in (1, 2):
            journal.add_photo(entry, skin_photo(0.5, seed=seed, size=(640, 480)), filename=f"d2-{seed}.jpg")
    at = open_framed("home.py")
    assert_clean(at)
    shown = _shown(at)
    assert len(at.image) == 1, "shown once"
    assert "Your first photo" in [h.value for h in at.subheader], "not 'beside the first'"
    assert "Latest:" not in shown and "First:" not in shown, shown
    assert "next photo" in shown, shown
    (today,) = [line for m in at.markdown for line in _readable(m.value).splitlines() if "Today · Day 3" in line]
    assert "Take a photo in the same light to compare with your first photo (day 2, " in today, today
