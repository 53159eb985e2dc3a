"""The catalogue: every word the journal marks for translation has one in every
shipped language, with the same placeholders, and the catalogues compile.

The messages are extracted from the sources here, as `pybabel extract` does with
babel.cfg (README, "Languages"), so a new `_()` without a translation fails CI.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from recovery import language
from recovery.language import LANGUAGES, catalogue_path, speaking, translations

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = sorted(set(LANGUAGES) - {language.ENGLISH})
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
_FIELD = re.compile(r"\{([^{}]*)\}")
COUNT = "count"  # the number a plural form is chosen by


@lru_cache(maxsize=1)
def extracted() -> Catalog:
    catalog = Catalog()
    method_map = [(line[len("[python: ") : -1], "python") for line in _config_sections()]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _config_sections() -> list[str]:
    return [line.strip() for line in (ROOT / "babel.cfg").read_text().splitlines() if line.startswith("[python:")]


def shipped(code: str) -> Catalog:
    with catalogue_path(code).open("rb") as source:
        return read_po(source, locale=code)


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_the_sources_mark_words_for_the_catalogue() -> None:
    ids = {message.id for message in extracted() if message.id}
    # The safety words above all: the emergency advice and a warning sign.
    assert any("Call emergency services now ({numbers})" in str(i) for i in ids)
    assert "Trouble breathing or swallowing" in ids


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_has_a_translation(code: str) -> None:
    catalogue = shipped(code)
    missing = []
    for message in extracted():
        if not message.id:
            continue
        found = catalogue.get(message.id)
        if found is None or found.fuzzy or not all(_strings(found)):
            missing.append(message.id)
    assert not missing, f"{len(missing)} messages without a {code} translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_translation_is_left_over_from_words_the_sources_no_longer_have(code: str) -> None:
    wanted = {message.id for message in extracted() if message.id}
    stale = [message.id for message in shipped(code) if message.id and message.id not in wanted]
    assert not stale, f"remove with pybabel update: {stale[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_translation_keeps_the_placeholders_of_its_message(code: str) -> None:
    wrong = []
    for message in shipped(code):
        if not message.id:
            continue
        fields = set(_FIELD.findall(_ids(message)[-1]))
        for string in _strings(message):
            used = set(_FIELD.findall(string))
            # A plural form may say its number in words (Arabic: "صورتان", two photos) and drop {count}.
            dropped = fields - used if message.pluralizable else set()
            if used - fields or (fields - used) - ({COUNT} & dropped):
                wrong.append((message.id, string))
    assert not wrong, wrong


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_has_the_languages_plural_forms(code: str) -> None:
    catalogue = shipped(code)
    assert catalogue.num_plurals == Catalog(locale=code).num_plurals  # Arabic: six
    for message in catalogue:
        if message.id and message.pluralizable:
            assert len(_strings(message)) == catalogue.num_plurals, message.id


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_compiles_with_gnu_msgfmt_and_in_memory(code: str, tmp_path: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "messages.mo"), str(catalogue_path(code))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    translations.cache_clear()
    with speaking(code):
        assert language._("Call emergency services now") != "Call emergency services now"


def test_arabic_says_each_of_its_six_plural_forms() -> None:
    with speaking("ar"):
        forms = {language.ngettext("Warning sign: {signs}", "Warning signs: {signs}", n) for n in (1, 2, 3)}
    assert len(forms) == 3  # one, two and few differ in Arabic


def test_the_documented_extract_command_works(tmp_path: Path) -> None:
    """README, "Languages": the same extraction from the command line."""
    out = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    result = subprocess.run(
        [str(pybabel), "extract", "-F", "babel.cfg", "-k", "N_", "--no-location", "-o", str(out), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Trouble breathing or swallowing" in out.read_text()
