"""Reminders as an iCalendar file: read back with an independent parser (icalendar).

The file is written by our own code (export/calendar.py); every test here
parses it with the `icalendar` package and checks what a calendar app would
show: how many events, on which days and at what time, their alarms and
texts, UIDs that stay the same when the file is made again, and the raw
format (CRLF, lines of at most 75 octets, escaping).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import icalendar
import pytest

from export.calendar import ANTIVIRAL_TITLE, CHECK_IN_TITLE, SESSION_TITLE, calendar_ics, fold, reminders_ics
from healing_journal import Journal, Settings
from recovery.course import Thresholds
from recovery.flags import RuleId
from recovery.model import JournalSnapshot
from recovery.reminders import REMINDER_TIME, NothingToRemind, ReminderKind, check_ins, reminders
from recovery.view import judge
from tests import builders

TODAY = dt.date(2026, 11, 24)
STAMP = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
# What a real clinic name may look like once typed into the form, and worse.
AWKWARD = 'Dr. Ann Lee, MD; "Skin & Co" \\ Clinic\nSecond line 😀 Zażółć'


def parse(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert not calendar.errors, calendar.errors
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    return calendar


def events(data: bytes) -> list[icalendar.Event]:
    return list(parse(data).walk("VEVENT"))


def starts(data: bytes) -> list[dt.date | dt.datetime]:
    return [event.decoded("DTSTART") for event in events(data)]


def uids(data: bytes) -> list[str]:
    return [str(event["UID"]) for event in events(data)]


def one_treatment(day: dt.date = TODAY, today: dt.date = TODAY, **fields: object) -> JournalSnapshot:
    return builders.snapshot([], [{"id": 7, "day": day, **fields}], today=today)


@pytest.fixture
def open_at(tmp_path) -> Callable[[dt.date], Journal]:
    """Opens the same journal folder with "today" pinned to a given day."""
    folder = tmp_path / "journal"
    opened: list[Journal] = []

    def _open(today: dt.date) -> Journal:
        journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today))
        opened.append(journal)
        return journal

    yield _open
    for journal in opened:
        journal.close()


# --- what the calendar holds ------------------------------------------------------------


def test_daily_for_two_weeks_then_weekly_to_the_last_entry_of_week_six(open_at) -> None:
    journal = open_at(TODAY)
    journal.add_treatment(TODAY, ["face"], practitioner="Dr. Lee", practitioner_contact="020 7946 0000")
    data = journal.workspace().calendar_ics()

    found = events(data)
    days = [(event.decoded("DTSTART").date() - TODAY).days for event in found]
    # The last on day 42: the "last weekly entry" Home's milestones and the photo days name.
    assert days == [*range(1, 15), 15, 21, 28, 35, 42]
    for event in found:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.time() == REMINDER_TIME and start.tzinfo is None, "floating local time"
        assert end - start == dt.timedelta(minutes=15)
        assert str(event["SUMMARY"]) == CHECK_IN_TITLE
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event.decoded("DTSTAMP") == STAMP, "DTSTAMP from the settings' today"
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"]) == CHECK_IN_TITLE
        assert alarm.decoded("TRIGGER") == dt.timedelta(0)
        assert "contact Dr. Lee (020 7946 0000)" in str(event["DESCRIPTION"])
    assert "Day 3 after your session" in str(found[2]["DESCRIPTION"])
    assert "Week 4 after your session" in str(found[15]["DESCRIPTION"])
    assert "6 weeks after your session: the last weekly entry" in str(found[-1]["DESCRIPTION"])
    assert str(parse(data)["X-WR-CALNAME"]) == "Healing Journal reminders"


def test_the_weeks_come_from_the_thresholds_not_a_second_six() -> None:
    longer = Thresholds(follow_up_weeks=8, gap_window_days=10)
    schedule = check_ins(longer)
    assert [c.days_since_treatment for c in schedule if c.kind == ReminderKind.DAILY] == list(range(1, 11))
    weekly = [(c.index, c.days_since_treatment) for c in schedule if c.kind == ReminderKind.WEEKLY]
    assert weekly == [(2, 11), (3, 14), (4, 21), (5, 28), (6, 35), (7, 42), (8, 49)]
    (last,) = [c for c in schedule if c.kind == ReminderKind.LAST]
    assert (last.index, last.days_since_treatment) == (8, 56)
    data = calendar_ics(one_treatment(), longer, stamp=STAMP)
    assert "until week 8" in str(events(data)[-2]["DESCRIPTION"])
    assert "8 weeks after your session: the last weekly entry" in str(events(data)[-1]["DESCRIPTION"])


def test_following_the_reminders_raises_no_gap_flag_and_skipping_one_does() -> None:
    """The reminders and the gap rule (recovery.flags) share their windows."""
    start = dt.date(2026, 9, 1)
    reminder_days = [start + dt.timedelta(days=c.days_since_treatment) for c in check_ins()]
    week_six_over = start + dt.timedelta(days=6 * 7)

    def gaps(days: list[dt.date]) -> list[str]:
        rows = [{"day": start, "redness": 2}, *({"day": day, "redness": 0} for day in days)]
        snapshot = builders.snapshot(rows, [{"id": 1, "day": start}], today=week_six_over)
        return [flag.message for flag in judge(snapshot, Thresholds()).flags if flag.rule_id == RuleId.GAP]

    assert gaps(reminder_days) == []
    assert len(gaps([day for day in reminder_days if day != start + dt.timedelta(days=28)])) == 1


def test_only_reminders_from_today_on_with_the_same_uids_and_times(open_at) -> None:
    treated = TODAY - dt.timedelta(days=10)
    first = open_at(TODAY)
    first.add_treatment(treated, ["face"])
    early = first.workspace().calendar_ics()
    later = open_at(TODAY + dt.timedelta(days=5)).workspace().calendar_ics()

    assert min(starts(early)).date() == TODAY and min(starts(later)).date() == TODAY + dt.timedelta(days=5)
    assert len(set(uids(early))) == len(uids(early)), "UIDs are unique"
    # The events still ahead carry the same UID and time: re-importing updates them.
    assert set(zip(uids(later), starts(later))) <= set(zip(uids(early), starts(early)))
    assert early == open_at(TODAY).workspace().calendar_ics(), "the same journal on the same day: the same bytes"


def test_editing_a_treatment_moves_its_reminders_under_the_same_uids() -> None:
    before = one_treatment(day=TODAY - dt.timedelta(days=2))
    moved = replace(before, treatments=(replace(before.treatments[0], day=TODAY - dt.timedelta(days=1)),))
    old, new = (calendar_ics(s, stamp=STAMP) for s in (before, moved))
    assert old != new
    old_by_uid = dict(zip(uids(old), starts(old)))
    for uid, start in zip(uids(new), starts(new)):
        if uid in old_by_uid:
            assert start == old_by_uid[uid] + dt.timedelta(days=1)
    # Today is day 2 of the old course and day 1 of the moved one.
    assert uids(old)[0].startswith("t7-daily-2@") and uids(new)[0].startswith("t7-daily-1@")


def test_a_new_treatment_in_the_journal_changes_the_file(open_at) -> None:
    journal = open_at(TODAY)
    journal.add_treatment(TODAY - dt.timedelta(days=20), ["face"], practitioner="First clinic")
    before = journal.workspace().calendar_ics()
    second = journal.add_treatment(TODAY - dt.timedelta(days=1), ["face"], practitioner="Second clinic")
    after = journal.workspace().calendar_ics()

    assert [(s.date() - TODAY).days for s in starts(before)] == [1, 8, 15, 22]
    assert all(f"t{second}-" in uid for uid in uids(after))
    assert starts(after)[0].date() == TODAY and len(starts(after)) == 14 + 5
    assert "Second clinic" in str(events(after)[0]["DESCRIPTION"])


def test_a_session_booked_ahead_gets_its_day_and_ends_the_current_course() -> None:
    # The store only takes past treatment days today; the calendar is ready for
    # a booked session (a treatment dated later) all the same.
    snapshot = builders.snapshot(
        [],
        [
            {"id": 1, "day": TODAY - dt.timedelta(days=3), "practitioner": "Dr. Lee"},
            {"id": 2, "day": TODAY + dt.timedelta(days=6), "practitioner": "Dr. Lee"},
        ],
        today=TODAY,
    )
    found = events(calendar_ics(snapshot, stamp=STAMP))
    (session,) = [e for e in found if str(e["SUMMARY"]) == SESSION_TITLE]
    assert session.decoded("DTSTART") == TODAY + dt.timedelta(days=6), "an all-day event"
    assert session.decoded("DTEND") == TODAY + dt.timedelta(days=7)
    assert session.walk("VALARM")[0].decoded("TRIGGER") == -dt.timedelta(hours=5), "19:00 the evening before"
    check_in_days = [e.decoded("DTSTART").date() for e in found if e is not session]
    first_course = [d for d in check_in_days if d < session.decoded("DTSTART")]
    assert first_course == [TODAY + dt.timedelta(days=n) for n in range(6)], "stops at the next session"
    assert check_in_days[len(first_course)] == TODAY + dt.timedelta(days=7), "day 1 of the next course"
    assert str(found[0]["UID"]).startswith("t1-daily-3@") and str(session["UID"]).startswith("t2-session-0@")


@pytest.mark.parametrize(("days_ahead", "asks_on"), [(20, 13), (4, 0)])
def test_someone_who_gets_cold_sores_is_reminded_to_ask_about_antivirals_before_a_booked_session(
    days_ahead: int, asks_on: int
) -> None:
    treatments = [
        {"id": 1, "day": TODAY - dt.timedelta(days=30)},
        {"id": 2, "day": TODAY + dt.timedelta(days=days_ahead)},
    ]
    with_history = builders.snapshot([], treatments, today=TODAY, profile_row={"cold_sores": 1})
    found = events(calendar_ics(with_history, stamp=STAMP))
    (ask,) = [e for e in found if str(e["SUMMARY"]) == ANTIVIRAL_TITLE]
    # A week ahead leaves time to see a doctor; a session sooner than that: today.
    assert ask.decoded("DTSTART") == dt.datetime.combine(TODAY + dt.timedelta(days=asks_on), REMINDER_TIME)
    description = str(ask["DESCRIPTION"])
    assert "question to ask the clinic's doctor or your GP" in description
    # The calendar's company learns nothing of the history: the question stays in the journal.
    for private in ("antiviral", "cold sore", "herpes", "flare"):
        assert private not in (description + str(ask["SUMMARY"])).lower(), private
    assert str(ask["UID"]).startswith(f"t2-antiviral-{days_ahead - asks_on}@")
    without = builders.snapshot([], treatments, today=TODAY)
    assert ANTIVIRAL_TITLE not in {str(e["SUMMARY"]) for e in events(calendar_ics(without, stamp=STAMP))}


# --- nothing to remind ---------------------------------------------------------------------


def test_no_treatment_is_refused_with_the_reason(open_at) -> None:
    with pytest.raises(NothingToRemind, match="no treatment in your journal yet"):
        open_at(TODAY).workspace().calendar_ics()


def test_a_course_behind_the_patient_is_refused_with_its_date() -> None:
    snapshot = one_treatment(day=dt.date(2026, 9, 1))
    assert reminders(snapshot) == ()
    with pytest.raises(NothingToRemind, match="01 September 2026.*Add your next treatment"):
        calendar_ics(snapshot, stamp=STAMP)


# --- privacy and demo ----------------------------------------------------------------------


def test_events_say_nothing_about_the_skin(open_at) -> None:
    journal = open_at(TODAY)
    journal.add_treatment(
        TODAY - dt.timedelta(days=2), ["neck"], device="SecretPen", serums="SecretSerum", notes="SecretNote"
    )
    journal.save_entry(TODAY, "neck", redness=4, swelling=3, pus=True, notes="SecretDay")
    data = journal.workspace().calendar_ics()
    text = data.decode()
    for private in ("Secret", "neck", "redness", "pus", "4/4", "rating"):
        assert private.lower() not in text.lower(), private
    assert {str(e["SUMMARY"]) for e in events(data)} == {CHECK_IN_TITLE}


def test_the_reminders_speak_the_profiles_language_and_stay_discreet(open_at) -> None:
    journal = open_at(TODAY)
    journal.add_treatment(TODAY - dt.timedelta(days=2), ["neck"], practitioner="Dr Lima", notes="SecretNote")
    journal.save_entry(TODAY, "neck", redness=4, pus=True)
    journal.save_profile(language="es")
    data = journal.workspace().calendar_ics()
    assert str(parse(data)["X-WR-CALNAME"]) == "Recordatorios de Healing Journal"
    (first, *_later) = events(data)
    assert str(first["SUMMARY"]) == "Registre el día de hoy en Healing Journal" != CHECK_IN_TITLE
    assert str(first["DESCRIPTION"]).endswith("Si algo le preocupa, contacte con su profesional: Dr Lima.")
    for private in ("Secret", "neck", "cuello", "enrojecimiento", "pus"):
        assert private.lower() not in data.decode().lower(), private
    english = journal.workspace("en").calendar_ics()
    assert {str(e["SUMMARY"]) for e in events(english)} == {CHECK_IN_TITLE}


def test_a_demo_journal_marks_its_calendar_and_keeps_its_own_uids() -> None:
    snapshot = replace(one_treatment(), is_demo=True)
    data = calendar_ics(snapshot, stamp=STAMP)
    assert "Demo journal: synthetic data" in str(parse(data)["X-WR-CALNAME"])
    for event in events(data):
        assert "(demo journal)" in str(event["SUMMARY"])
        assert str(event["DESCRIPTION"]).startswith("Demo journal: synthetic data.")
        assert str(event["UID"]).startswith("demo-t7-")


# --- the format ------------------------------------------------------------------------------


def test_text_with_commas_semicolons_newlines_and_emoji_reads_back_exactly() -> None:
    data = calendar_ics(one_treatment(practitioner=AWKWARD, practitioner_contact="a@b.example; ext. 5"), stamp=STAMP)
    description = str(events(data)[0]["DESCRIPTION"])
    assert f"contact {AWKWARD} (a@b.example; ext. 5)." in description
    unfolded = data.replace(b"\r\n ", b"").decode()
    assert 'Dr. Ann Lee\\, MD\\; "Skin & Co" \\\\ Clinic\\nSecond line 😀' in unfolded


def test_control_characters_are_dropped_not_written() -> None:
    data = calendar_ics(one_treatment(practitioner="Dr.\x07 Lee\x00\x1b"), stamp=STAMP)
    assert b"\x07" not in data and b"\x00" not in data and b"\x1b" not in data
    assert "contact your practitioner: Dr. Lee." in str(events(data)[0]["DESCRIPTION"])


def test_lines_end_in_crlf_and_fold_at_75_octets_between_characters() -> None:
    data = calendar_ics(one_treatment(practitioner="😀 Zażółć gęślą jaźń " * 12), stamp=STAMP)
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines), "no bare line ends"
    assert max(len(line) for line in lines) <= 75
    assert sum(line.startswith(b" ") for line in lines) > 20, "long descriptions were folded"
    for line in lines:
        line.decode("utf-8")  # no character split across a fold
    assert ("😀 Zażółć gęślą jaźń " * 12).strip() in str(events(data)[0]["DESCRIPTION"])


@pytest.mark.parametrize("text", ["", "a" * 75, "a" * 76, "é" * 40, "😀" * 30, "a" + "😀" * 30, "x" * 300])
def test_folding_round_trips(text: str) -> None:
    folded = fold(f"X:{text}")
    physical = folded.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert folded.replace(b"\r\n ", b"").decode() == f"X:{text}\r\n"


def test_a_stamp_without_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        reminders_ics(reminders(one_treatment()), stamp=dt.datetime(2026, 11, 24))
