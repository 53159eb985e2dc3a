"""The patient's language: every word the journal shows goes through one catalogue.

The standard library's gettext reads the catalogues, `locales/<code>/LC_MESSAGES/messages.po`,
compiled in memory on first use by Babel (no compiled .mo file to keep in step,
nothing to build after a fresh clone). English is the source language: its
words are the msgids themselves.

The language of the moment is a context variable, not a process global:
Streamlit runs each session's page runs in their own threads, the phone's
listener serves requests concurrently, and an export may name another language
than the page's. `use(code)` sets it for the rest of a page run; `speaking(code)`
for a block. Domain code asks `_()` / `ngettext()` when it builds a sentence,
so the words come out in the language of whoever asked.

Strings are gettext-friendly: whole sentences with named placeholders
(`_("Day {day}").format(day=...)`), plurals through ngettext, never a sentence
assembled from pieces. `N_()` marks a word kept in a table (for extraction) that
is translated where it is shown. README, "Languages", says how to extract,
update and check the catalogues.

Pure: no Streamlit, no SQLite.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

ENGLISH = "en"
# The shipped languages, each named in its own words (what a chooser lists).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "ar": "العربية"}
RIGHT_TO_LEFT = frozenset({"ar"})
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

_CURRENT: ContextVar[str] = ContextVar("journal_language", default=ENGLISH)


class UnknownLanguage(ValueError):
    """A language code the journal does not ship."""


def checked(code: str) -> str:
    if code not in LANGUAGES:
        shipped = ", ".join(f"'{c}' ({name})" for c, name in LANGUAGES.items())
        raise UnknownLanguage(f"Unknown language {code!r:.20}: the journal speaks {shipped}.")
    return code


def current() -> str:
    """The language of this page run, request or block ("en" unless set)."""
    return _CURRENT.get()


def use(code: str | None) -> None:
    """Speak `code` (None: English) for the rest of this context: a page run's thread."""
    _CURRENT.set(checked(code or ENGLISH))


@contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """Speak `code` (None: the current language) within the block, then as before."""
    token = _CURRENT.set(checked(code or current()))
    try:
        yield current()
    finally:
        _CURRENT.reset(token)


def direction(code: str | None = None) -> str:
    """ "rtl" for a right-to-left language, else "ltr" (the document's dir)."""
    return "rtl" if (code or current()) in RIGHT_TO_LEFT else "ltr"


def left_to_right(text: str) -> str:
    """A path or a command inside a right-to-left sentence, kept reading left to right
    (Unicode's left-to-right isolate): Arabic around it would otherwise turn it about."""
    return f"\u2066{text}\u2069" if direction() == "rtl" else text


def language_of_locale(locale: str | None) -> str | None:
    """The shipped language of a browser's locale ("es-MX" -> "es"), or None."""
    if not locale:
        return None
    code = locale.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def catalogue_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of `code`, compiled in memory from its .po file (English: none)."""
    if code == ENGLISH:
        return gettext.NullTranslations()
    # Babel's catalogue reader and writer; imported here so that English alone costs nothing.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(checked(code)).open("rb") as source:
        catalog = read_po(source, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """`message` (English, the msgid) in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `n` in the current language (Arabic has six)."""
    return translations(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a table's word for the catalogue; `_()` translates it where it is shown."""
    return message


def day_month(day: dt.date) -> str:
    """ "03 Nov" in English, "3 nov" in Spanish: a day in a line of text."""
    return _format_date(day, "%d %b", "MMMd")


def short_date(day: dt.date) -> str:
    """ "03 Nov 2026", "3 nov 2026": a date in a list or a table."""
    return _format_date(day, "%d %b %Y", "yMMMd")


def day_full_month(day: dt.date) -> str:
    """ "03 November", "3 de noviembre", "3 نوفمبر"."""
    return _format_date(day, "%d %B", "MMMMd")


def long_date(day: dt.date) -> str:
    """ "3 November 2026", "3 de noviembre de 2026"."""
    return _format_date(day, "%-d %B %Y", "long")


def full_date(day: dt.date) -> str:
    """ "03 November 2026", "3 de noviembre de 2026"."""
    return _format_date(day, "%d %B %Y", "long")


def weekday_date(day: dt.date) -> str:
    """ "Sunday 06 December 2026", "domingo, 6 de diciembre de 2026": today, in full."""
    return _format_date(day, "%A %d %B %Y", "full")


def weekday_short(day: dt.date) -> str:
    """ "Sun 06 Dec", "dom, 6 dic": a milestone's day."""
    return _format_date(day, "%a %d %b", "MMMEd")


def weekday_name(day: dt.date) -> str:
    """ "Tue", "mar", "الثلاثاء": a day's name beside its date."""
    return _format_date(day, "%a", "EEE")


def decimal(value: float, digits: int = 1, signed: bool = False) -> str:
    """`value` with exactly `digits` decimals and the language's decimal mark ("14.2",
    "14,2"); `signed` writes the sign of a difference ("+2.1")."""
    if current() == ENGLISH:
        return f"{value:{'+' if signed else ''}.{digits}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=f"+{pattern};-{pattern}" if signed else pattern, locale=current()))


def percent(share: float, digits: int = 1) -> str:
    """A share (0..1) as a percentage in the language's way ("12.3%", "12,3 %", "12.3‎%‎")."""
    if current() == ENGLISH:
        return f"{share:.{digits}%}"
    from babel import Locale
    from babel.numbers import format_percent

    # The language's own pattern (its spacing and sign), with `digits` decimals.
    pattern = str(Locale.parse(current()).percent_formats[None].pattern)
    last = pattern.rindex("0") + 1
    pattern = pattern[:last] + ("." + "0" * digits if digits else "") + pattern[last:]
    return str(format_percent(share, format=pattern, locale=current()))


def number(value: float | int, digits: int = 1) -> str:
    """A number with the current language's decimal mark ("1.5", "1,5")."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=current()))


def _format_date(day: dt.date, english: str, form: str) -> str:
    """English as the app always wrote it (strftime's C-locale names: no Babel needed);
    other languages in their own order and words (CLDR, through Babel): `form` is a
    date format's name ("long", "full") or a skeleton ("MMMd")."""
    if current() == ENGLISH:
        # "%-d" (a day without its leading zero) is not portable: said here.
        return f"{day.day} {day:%B %Y}" if english == "%-d %B %Y" else day.strftime(english)
    from babel.dates import format_date, format_skeleton

    if form in ("long", "full"):
        return str(format_date(day, form, locale=current()))
    return str(format_skeleton(form, day, locale=current()))
