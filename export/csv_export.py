"""The daily entries as CSV: one row per day and area, units and scales in the header.

A spreadsheet drops any legend, so every column name carries its own unit or
scale. The bytes are deterministic (fixed column order, UTF-8, "\\n" line
endings, no timestamps) so the same journal always exports the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from export.demo_mark import DEMO_MARK
from recovery.language import ENGLISH, _, speaking
from recovery.model import Entry, ProductUse, Treatment, within
from recovery.view import RecoveryView
from recovery.vocabulary import QUESTIONS, RATED_SIGNS, RATING_MAX, RATING_MIN, SIGN_INFO, Sign, level_words


def _rating_header(sign: Sign) -> str:
    """e.g. "redness (0-4 CEA-based: 0 clear .. 4 severe)", from the app's own scale words."""
    low, high = (level_words(sign, level) for level in (RATING_MIN, RATING_MAX))
    basis = f" {SIGN_INFO[sign].basis}" if SIGN_INFO[sign].basis else ""
    return f"{sign.value} ({RATING_MIN}-{RATING_MAX}{basis}: {RATING_MIN} {low} .. {RATING_MAX} {high})"


def _named(key: str, unit: str) -> str:
    """A column's name: its key, stable in every language (what a script reads up to " ("),
    then its unit or scale in the export's language."""
    return f"{key} ({unit})"


# Column header -> the value of one entry, as the cell shows it.
def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _text(value: str) -> str:
    # One line-ending convention inside quoted cells too, for stable bytes.
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if _starts_a_formula(text) else text


# A cell starting with one of these is run as a formula by spreadsheet apps
# (CSV injection); the export goes to other people's computers. Full-width
# forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) count: some spreadsheets fold them to
# ASCII before reading the cell.
_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# What a spreadsheet skips before it looks for the "=": spaces of any kind, a
# byte-order mark and zero-width characters.
_INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u2060\u180e\u00ad")


def _starts_a_formula(text: str) -> bool:
    for char in text:
        if char in _FORMULA_START:
            return True
        if not (char.isspace() or char in _INVISIBLE or unicodedata.category(char) == "Cf"):
            return False
    return False


def columns() -> tuple[tuple[str, Callable[[Entry], str]], ...]:
    """The columns in the current language (recovery.language): the keys stay, the units,
    scales and yes/no words are translated (README, "Languages")."""
    return (
        ("day (YYYY-MM-DD)", lambda e: _day(e.day)),
        ("area", lambda e: e.area.value),
        (_named("days_since_treatment", _("days")), lambda e: _plain(e.days_since_treatment)),
        ("treatment_day (YYYY-MM-DD)", lambda e: _day(e.treatment_day)),
        *((_rating_header(sign), lambda e, sign=sign: _plain(e.rating(sign))) for sign in RATED_SIGNS),
        *((_named(q.key, _("yes/no")), lambda e, key=q.key: _yes_no(e.answer(key))) for q in QUESTIONS),
        (_named("photo_count", _("photos")), lambda e: str(e.photo_count)),
        ("notes", lambda e: _text(e.notes)),
    )


# The English columns: the names the README and scripts rely on (an English export).
with speaking(ENGLISH):
    COLUMNS = columns()


# A demo journal's CSV starts with this column, the mark in every row: a line
# above the header would be taken for the header by spreadsheet imports and
# CSV readers, and a column stays beside each row when rows are sorted,
# filtered or copied elsewhere.
DEMO_COLUMN = f"journal ({DEMO_MARK.lower()})"


@dataclass(frozen=True)
class Story:
    """What the dermatologist asks first, beside the daily rows (docs/clinical-basis.md,
    "What the dermatologist asks first"): the treatments (for their reason), products and
    medicines from a day, and what the patient did about flags that started on a day."""

    treatments: Sequence[Treatment] = ()
    products: Sequence[ProductUse] = ()
    # (area value, day) -> "See a doctor today: Warning sign ...; patient did: Seen by a doctor"
    flag_actions: Mapping[tuple[str, dt.date], str] = field(default_factory=dict)


def story_headers() -> tuple[str, ...]:
    return (
        "treatment_reason",
        _named("products_from_this_day", _("name; ...")),
        _named("medicines_from_this_day", _("kind: name; ...")),
        _named("flags_from_this_day", _("what to do: flag; patient did")),
    )


with speaking(ENGLISH):
    STORY_HEADERS = story_headers()


def story_of(view: RecoveryView, start: dt.date | None = None, end: dt.date | None = None) -> Story:
    """The story columns' data from the judged journal: each card on the day it started;
    the products and medicines started from `start` to `end` (both included, None: open)."""
    actions: dict[tuple[str, dt.date], list[str]] = {}
    for card in view.cards:
        response = view.snapshot.response(card.key)
        did = (
            response.action.label + (f" ({response.note})" if response.note else "") if response else _("not recorded")
        )
        actions.setdefault((card.area.value, card.since), []).append(
            _("{advice}: {flag}; patient did: {did}").format(advice=card.word, flag=card.title, did=did)
        )
    return Story(
        view.snapshot.treatments,
        [p for p in view.snapshot.products if within(p.day, start, end)],
        {key: " | ".join(texts) for key, texts in actions.items()},
    )


def _story_cells(entry: Entry, story: Story) -> list[str]:
    reason = next((t.reason for t in story.treatments if t.id == entry.treatment_id), "")
    products, medicines = _started_on(entry.day, story)
    actions = story.flag_actions.get((entry.area.value, entry.day), "")
    return [_text(reason), _text(products), _text(medicines), _text(actions)]


def _started_on(day: dt.date, story: Story) -> tuple[str, str]:
    """The products, and the medicines, started on `day`, as the two cells show them."""
    started = [p for p in story.products if p.day == day]
    products = "; ".join(p.name for p in started if not p.is_medicine)
    medicines = "; ".join(f"{p.kind.value}: {p.name}" for p in started if p.is_medicine)
    return products, medicines


def entries_csv(entries: Iterable[Entry], *, demo: bool = False, story: Story | None = None) -> bytes:
    """CSV bytes of entries, in the given order; `demo` adds the demo mark as a first column,
    `story` the columns of the reason for treatment, products, medicines and flag actions.

    Empty cells mean "not rated / not answered"; yes/no items are "yes" or "no".
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    mark, mark_header = ([DEMO_MARK], [DEMO_COLUMN]) if demo else ([], [])
    extra = list(story_headers()) if story is not None else []
    table = columns()
    writer.writerow(mark_header + [header for header, _cell in table] + extra)
    rows = list(entries)
    alone = _product_only_days(rows, story)
    for entry in rows:
        while alone and alone[0] < entry.day:
            writer.writerow(mark + _product_row(alone.pop(0), story))
        cells = _story_cells(entry, story) if story is not None else []
        writer.writerow(mark + [cell(entry) for _header, cell in table] + cells)
    for day in alone:
        writer.writerow(mark + _product_row(day, story))
    return buffer.getvalue().encode("utf-8")


def _product_only_days(entries: Sequence[Entry], story: Story | None) -> list[dt.date]:
    """Days a product or medicine was started with no entry logged: each gets a row of its
    own, so the list the dermatologist reads has every product, not only those of logged days."""
    if story is None:
        return []
    logged = {entry.day for entry in entries}
    return sorted({p.day for p in story.products} - logged)


def _product_row(day: dt.date, story: Story | None) -> list[str]:
    """A row with only the day and the products and medicines started on it (no area, no ratings)."""
    assert story is not None
    products, medicines = _started_on(day, story)
    return [_day(day)] + [""] * (len(COLUMNS) - 1) + ["", _text(products), _text(medicines), ""]
