"""The recovery chart in words and as a table, for screen readers and for anyone
who would rather read than look: the same tables the chart is drawn from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from recovery.language import N_, _, ngettext
from recovery.vocabulary import Sign

if TYPE_CHECKING:
    from charts.course_chart import CourseData

ABOVE = N_("above normal")


def _days(days: list[int]) -> str:
    """[3, 4, 5, 9] -> 'days 3 to 5 and 9'."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    also = _(" and ")
    to = _("{first} to {last}")
    parts = [to.format(first=run[0], last=run[-1]) if len(run) > 2 else also.join(map(str, run)) for run in runs]
    joined = _(", ").join(parts[:-1]) + (also if len(parts) > 1 else "") + parts[-1]
    return ngettext("day {days}", "days {days}", len(days)).format(days=joined)


def _above_normal(sign: Sign, data: CourseData) -> list[int]:
    own = data.of(data.ratings, sign)
    band = dict(zip(data.of(data.bands, sign)["day"], data.of(data.bands, sign)["expected_up_to"]))
    return [int(day) for day, rating in zip(own["day"], own["rating"]) if rating > band.get(day, sign.top)]


def _rated(sign: Sign, data: CourseData) -> list[tuple[int, int]]:
    """(day, rating) of one sign, by day."""
    own = data.of(data.ratings, sign)
    return sorted((int(day), int(rating)) for day, rating in zip(own["day"], own["rating"]))


def describe_sign(sign: Sign, data: CourseData) -> str:
    """'Redness: rated on 9 days; highest moderate on day 1; latest faint on day 9; ...'"""
    rated = _rated(sign, data)
    if not rated:
        return _("{sign}: not rated in this course yet.").format(sign=sign.label)
    names = sign.level_names
    peak_day, peak = max(rated, key=lambda pair: (pair[1], -pair[0]))
    latest_day, latest = rated[-1]
    parts = [
        ngettext("rated on {count} day", "rated on {count} days", len(rated)).format(count=len(rated)),
        _("highest {level} on day {day}").format(level=names[peak], day=peak_day),
        _("latest {level} on day {day}").format(level=names[latest], day=latest_day),
    ]
    above = _above_normal(sign, data)
    parts.append(
        _("above normal on {days}").format(days=_days(above)) if above else _("within the normal range every day")
    )
    flags = data.of(data.flags, sign)
    flagged = _("flag '{severity}' from day {day}")
    parts += [flagged.format(severity=row.severity, day=row.day) for row in flags.itertuples()][::-1]
    return _("{sign}: {details}.").format(sign=sign.label, details=_("; ").join(parts))


def describe_strip(data: CourseData) -> str:
    flags = data.strip_flags
    if not len(flags):
        return _("No warning signs, aftercare lapses or missed days flagged.")
    item = _("{severity} from day {day}: {message}")
    items = [
        item.format(severity=row.severity, day=row.day, message=row.message) for row in flags.iloc[::-1].itertuples()
    ]
    return _("Flags about the whole area: {flags}").format(flags=" ".join(items))


def describe_course(data: CourseData) -> list[str]:
    """Each panel in words, in the order the chart shows them."""
    lines = [describe_sign(sign, data) for sign in data.signs]
    return lines + [describe_strip(data)] if len(data.strip_flags) else lines


def course_table(data: CourseData) -> pd.DataFrame:
    """One row per logged day: each sign's level in words (marked when above the
    normal range of that day) and the flags that started that day."""
    days = sorted(set(int(day) for day in data.ratings["day"]) | set(int(day) for day in data.flags["day"]))
    above = {sign: set(_above_normal(sign, data)) for sign in data.signs}
    # One pass over each table, not a pandas filter per day and sign: for a year-long
    # course that was about 2000 filters, most of a second of every visit of the page.
    # The first row of a day (and of a day and sign) wins, as .iloc[0] did.
    dates: dict[int, str] = {}
    ratings: dict[tuple[int, str], int] = {}
    table = data.ratings
    for day, date, code, rating in zip(table["day"], table["date"], table["sign"], table["rating"]):
        dates.setdefault(int(day), str(date))
        ratings.setdefault((int(day), str(code)), int(rating))
    started: dict[int, list[str]] = {}
    for day, severity in zip(data.flags["day"], data.flags["severity"]):
        started.setdefault(int(day), []).append(str(severity))
    rows = []
    day_column, date_column, flags_column, above_normal = _("Day"), _("Date"), _("Flags from this day"), _(ABOVE)
    for day in days:
        row: dict[str, str | int] = {day_column: day, date_column: dates.get(day, "")}
        for sign in data.signs:
            found = ratings.get((day, sign.value))
            if found is None:
                row[sign.label] = ""
                continue
            mark = f" ({above_normal})" if day in above[sign] else ""
            row[sign.label] = f"{found} {sign.level_names[found]}{mark}"
        # The most serious (drawn last, listed first).
        row[flags_column] = _("; ").join(reversed(started.get(day, [])))
        rows.append(row)
    return pd.DataFrame(rows)
