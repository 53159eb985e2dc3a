"""Reminders to log, as an iCalendar file (RFC 5545) for any calendar app.

One event per check-in day (recovery.reminders): daily for the first two
weeks after the latest treatment, then weekly to week 6, the day of a
session still to come, and a week before it the antiviral question for
someone who gets cold sores. Each event rings once (a display alarm).

Written here by hand, not with a generator library: the format is small, and
the parts that matter are explicit below: CRLF line ends, lines folded at 75
octets without splitting a character, TEXT escaping, stable UIDs.

Privacy: calendars sync to other companies' servers, so the events say only
that it is time to log and when the next session is. No rating, sign, area,
flag, device or note ever goes into an event: what the journal holds about
the skin stays on this computer. The practitioner's name and contact do go
in (the patient's own address book holds them too), so that a worry has a
number next to it. The reminder a week before a session, for someone who gets
cold sores, only says that Home has a question for a doctor: the question
itself (antiviral tablets) would tell the calendar's company their history.

Times are floating local time (no time zone): a reminder at 19:00 rings at
19:00 wherever the patient is and on both sides of a daylight-saving change,
and the file carries no time zone to give away where they live. The evening
(recovery.reminders.REMINDER_TIME) leaves the whole day to be judged. A session
is an all-day event (the appointment's hour is not recorded).

Re-importing a regenerated file updates the events instead of adding copies:
every UID is made of the treatment's id, the kind of reminder and the day or
week of the course, with a fixed domain, and nothing else (a demo journal's
carry "demo" too, so they never replace a real journal's). Editing a
treatment's date therefore moves its reminders.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence

from export.demo_mark import DEMO_MARK
from recovery.course import Thresholds
from recovery.language import N_, _, day_full_month, ngettext
from recovery.model import JournalSnapshot, Treatment
from recovery.reminders import REMINDER_TIME, NothingToRemind, Reminder, ReminderKind, required_reminders

__all__ = ["NothingToRemind", "calendar_ics", "reminders_ics", "REMINDER_TIME", "UID_DOMAIN"]

REMINDER_MINUTES = 15
# A reserved name (RFC 2606): never anybody's real domain, the same on every computer.
UID_DOMAIN = "reminders.healing-journal.invalid"
PRODUCT = "-//Healing Journal//Reminders 1//EN"
CALENDAR_NAME = N_("Healing Journal reminders")
# A session's all-day event rings at 19:00 the evening before (its start is midnight).
SESSION_ALARM = "-PT5H"
MAX_OCTETS = 75

CHECK_IN_TITLE = N_("Log today in Healing Journal")
SESSION_TITLE = N_("Next session (Healing Journal)")
ANTIVIRAL_TITLE = N_("Before your session: a question for a doctor (Healing Journal)")
_TITLES = {ReminderKind.SESSION: SESSION_TITLE, ReminderKind.ANTIVIRAL: ANTIVIRAL_TITLE}


def calendar_ics(snapshot: JournalSnapshot, thresholds: Thresholds = Thresholds(), *, stamp: dt.datetime) -> bytes:
    """The reminders of the journal as .ics bytes; NothingToRemind (with the reason) when there are none.

    `stamp` is the moment the file is made (DTSTAMP), timezone-aware.
    """
    found = required_reminders(snapshot, thresholds)
    return reminders_ics(found, stamp=stamp, demo=snapshot.is_demo, follow_up_weeks=thresholds.follow_up_weeks)


def reminders_ics(
    reminders: Sequence[Reminder],
    *,
    stamp: dt.datetime,
    demo: bool = False,
    follow_up_weeks: int = Thresholds().follow_up_weeks,
) -> bytes:
    """A VCALENDAR of the given reminders."""
    if stamp.tzinfo is None:
        raise ValueError("The calendar's stamp needs a time zone (DTSTAMP is in UTC).")
    name = f"{_(CALENDAR_NAME)} ({DEMO_MARK})" if demo else _(CALENDAR_NAME)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{_text(name)}",  # RFC 7986
        f"X-WR-CALNAME:{_text(name)}",  # the same, for clients that predate it
    ]
    for reminder in reminders:
        lines += _event(reminder, _utc(stamp), demo, follow_up_weeks)
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) for line in lines)


# --- one event -----------------------------------------------------------------------


def _event(reminder: Reminder, stamp: str, demo: bool, follow_up_weeks: int) -> list[str]:
    title = _(_TITLES.get(reminder.kind, CHECK_IN_TITLE))
    if demo:
        title = _("{title} (demo journal)").format(title=title)
    description = "\n".join(_description(reminder, demo, follow_up_weeks))
    if reminder.kind == ReminderKind.SESSION:
        when = [
            f"DTSTART;VALUE=DATE:{_date(reminder.day)}",
            f"DTEND;VALUE=DATE:{_date(reminder.day + dt.timedelta(days=1))}",
        ]
        trigger = SESSION_ALARM
    else:
        start = dt.datetime.combine(reminder.day, REMINDER_TIME)
        when = [f"DTSTART:{_local(start)}", f"DTEND:{_local(start + dt.timedelta(minutes=REMINDER_MINUTES))}"]
        trigger = "PT0S"
    return [
        "BEGIN:VEVENT",
        f"UID:{'demo-' if demo else ''}{reminder.key}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        *when,
        f"SUMMARY:{_text(title)}",
        f"DESCRIPTION:{_text(description)}",
        "TRANSP:TRANSPARENT",  # a reminder, not a busy hour
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_text(title)}",
        f"TRIGGER:{trigger}",
        "END:VALARM",
        "END:VEVENT",
    ]


def _description(reminder: Reminder, demo: bool, follow_up_weeks: int) -> Iterable[str]:
    # Plain words, and nothing about the skin itself (see the module docstring).
    if demo:
        yield f"{DEMO_MARK}."
    if reminder.kind == ReminderKind.DAILY:
        yield _(
            "Day {day} after your session. Open Healing Journal and add today's entry and photo: it takes a minute."
        ).format(day=reminder.index)
    elif reminder.kind == ReminderKind.WEEKLY:
        yield _(
            "Week {week} after your session. A weekly entry with a photo, until week {last}, shows changes that "
            "come late."
        ).format(week=reminder.index, last=follow_up_weeks)
    elif reminder.kind == ReminderKind.LAST:
        yield ngettext(
            "{count} week after your session: the last weekly entry, with a photo. Late spots or bumps would show "
            "by now.",
            "{count} weeks after your session: the last weekly entry, with a photo. Late spots or bumps would show "
            "by now.",
            reminder.index,
        ).format(count=reminder.index)
    elif reminder.kind == ReminderKind.ANTIVIRAL:
        # Discreet on purpose: the question names the patient's history (see the docstring).
        yield _(
            "Your session is on {date}. Open Healing Journal: Home names a question to ask the clinic's doctor or "
            "your GP now, in time for the session."
        ).format(date=day_full_month(reminder.treatment.day))
    else:
        yield _("Your next session. From tomorrow the journal reminds you to log each day again.")
    yield _whom_to_ask(reminder.treatment)


def _whom_to_ask(treatment: Treatment) -> str:
    who = treatment.practitioner.strip()
    contact = treatment.practitioner_contact.strip()
    if who and contact:
        return _("If something worries you, contact {who} ({contact}).").format(who=who, contact=contact)
    if who or contact:
        return _("If something worries you, contact your practitioner: {who}.").format(who=who or contact)
    return _("If something worries you, contact your practitioner.")


# --- values and lines ---------------------------------------------------------------------


def _date(day: dt.date) -> str:
    return f"{day:%Y%m%d}"


def _local(moment: dt.datetime) -> str:
    """A floating local date-time: no "Z", no TZID."""
    return f"{moment:%Y%m%dT%H%M%S}"


def _utc(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks
    escaped; other control characters, which TEXT may not hold, dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\n\t" or unicodedata.category(c) != "Cc")
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def fold(line: str) -> bytes:
    """One content line as UTF-8 ending in CRLF, folded so that no physical line
    exceeds 75 octets (RFC 5545 3.1); a fold never splits a character."""
    data = line.encode("utf-8")
    pieces: list[bytes] = []
    start, room = 0, MAX_OCTETS
    while len(data) - start > room:
        end = start + room
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back up to the character's start
            end -= 1
        pieces.append(data[start:end])
        start, room = end, MAX_OCTETS - 1  # a continuation line begins with one space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"
