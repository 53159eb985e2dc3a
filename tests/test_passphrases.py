"""Backup passphrases that hold against an offline attack, and a strong one offered.

The bar (store.backup.passphrases): zxcvbn's estimate of at least 10^16 guesses, about
thirty years for one graphics card at ten million guesses a second against
WinZip AES. The same check wherever a backup's passphrase is chosen: the
Python API, the command line and the Export & backup page.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import subprocess
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from healing_journal import Journal, Settings, WeakPassphrase
from store.backup import check_new_passphrase, inspect, write_backup_file
from store.backup.passphrases import (
    GENERATED_WORDS,
    MIN_GUESSES_LOG10,
    duration_in_words,
    estimate,
    generate,
    generated_bits,
    word_list,
)
from store.signing_key import KEY_NAME
from tests.test_backup_encryption import seven_zip
from tests.test_cli import run
from ui.widgets import escape_markdown

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
WEAK = {
    "1234567890": "top-100 common password",
    "aaaaaaaaaa": 'Repeats like "aaa" are easy to guess. Avoid repeated words',
    "password1234": "very common password",
    "qwertyuiopas": "",
    "Summer2026!!": "",
    "correct horse": "",  # under 10^16, however strong it looks
    "sunshine sunshine": "",
}
STRONG = [
    "four unrelated words here",  # the README's example
    "velvet canyon orbit ledger mosaic",
    "Grüße aus Köln, čaj 茶",
]


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, today=lambda: TODAY)


@pytest.fixture
def journal_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "journal"
    with Journal.open(folder, settings=_settings(folder)) as journal:
        journal.add_treatment("2026-11-20", ["face"], device="Pen", needle_depth_mm=1.0)
        entry = journal.save_entry("2026-11-21", "face", redness=2)
        journal.add_photo(entry, skin_photo(0.5, seed=2, size=(320, 240)), "a.jpg")
    return folder


# --- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(("passphrase", "words"), list(WEAK.items()))
def test_guessable_passphrases_are_refused_with_the_reason(passphrase: str, words: str) -> None:
    with pytest.raises(WeakPassphrase) as refused:
        check_new_passphrase(passphrase, passphrase)
    message = str(refused.value)
    assert "too easy to guess" in message and "graphics card could find it in" in message
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize("passphrase", STRONG)
def test_strong_passphrases_pass(passphrase: str) -> None:
    assert check_new_passphrase(passphrase, passphrase) == passphrase
    assert estimate(passphrase).guesses_log10 >= MIN_GUESSES_LOG10


def test_the_threshold_means_decades_for_one_graphics_card() -> None:
    assert MIN_GUESSES_LOG10 == 16
    assert duration_in_words(10**16 / 10**7) == "about 32 years"
    assert [duration_in_words(s) for s in (5, 90, 3 * 3600, 10 * 86400, 10**15)] == [
        "less than a minute",
        "about 2 minutes",
        "about 3 hours",
        "about 10 days",
        "more than a million years",
    ]


def test_a_long_passphrase_is_judged_quickly_on_its_start() -> None:
    long = " ".join(secrets.SystemRandom().choices(word_list(), k=150))  # about a thousand characters
    started = time.monotonic()
    assert check_new_passphrase(long[:1000].strip()) and time.monotonic() - started < 2
    with pytest.raises(WeakPassphrase, match="too easy to guess"):
        check_new_passphrase("a" * 100 + " velvet canyon orbit ledger mosaic")


# --- the suggested passphrase --------------------------------------------------------------


def test_the_word_list_gives_over_75_bits() -> None:
    words = word_list()
    assert len(words) == len(set(words)) == 7776
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)?", word) for word in words)
    assert generated_bits() > 77 and GENERATED_WORDS == 6


def test_suggested_passphrases_are_random_words_that_pass() -> None:
    suggested = [generate() for _ in range(100)]
    assert len(set(suggested)) == 100
    known = set(word_list())
    for passphrase in suggested:
        words = passphrase.split(" ")
        assert len(words) == GENERATED_WORDS == len(set(words)) and set(words) <= known
        assert check_new_passphrase(passphrase, passphrase) == passphrase


def test_even_unchecked_draws_clear_the_bar_by_far() -> None:
    """The estimator is not what makes a suggestion strong: raw draws are far above the bar."""
    chooser = secrets.SystemRandom()
    lowest = min(estimate(" ".join(chooser.sample(word_list(), 6))).guesses_log10 for _ in range(200))
    assert lowest > MIN_GUESSES_LOG10 + 6


def test_7zip_opens_a_backup_with_a_suggested_passphrase(journal_folder: Path, tmp_path: Path) -> None:
    tool = seven_zip()
    passphrase = generate()
    path = tmp_path / "backup.zip"
    write_backup_file(journal_folder, path, passphrase=passphrase)
    result = subprocess.run([tool, "t", f"-p{passphrase}", str(path)], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --- every way of choosing one -----------------------------------------------------------------


def test_the_api_refuses_a_weak_passphrase_and_writes_nothing(journal_folder: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in journal_folder.iterdir())
    with Journal.open(journal_folder, settings=_settings(journal_folder)) as journal:
        with pytest.raises(WeakPassphrase, match="too easy to guess"):
            journal.backup(passphrase="1234567890")
        with pytest.raises(WeakPassphrase, match="at least 10"):
            journal.backup(passphrase="")
        assert inspect(journal.backup(passphrase="four unrelated words here")).encrypted
        assert not inspect(journal.backup()).encrypted  # no passphrase: a plain backup, as asked
    with pytest.raises(WeakPassphrase):
        write_backup_file(journal_folder, tmp_path / "b.zip", passphrase="aaaaaaaaaa")
    assert not (tmp_path / "b.zip").exists()
    # No snapshot left; the journal's signing key, made by the first backup that was written, stays.
    assert sorted(p.name for p in journal_folder.iterdir() if p.name != KEY_NAME) == before


def test_the_command_line_refuses_a_weak_passphrase_file(journal_folder: Path, tmp_path: Path) -> None:
    secret = tmp_path / "passphrase.txt"
    secret.write_text("1234567890\n")
    result = run("backup", "--folder", str(journal_folder), "--passphrase-file", str(secret), "-o", str(tmp_path / "b"))
    assert result.returncode == 2
    (line,) = result.stderr.decode().strip().splitlines()
    assert line.startswith("error: This passphrase is too easy to guess") and "top-100" in line
    assert not (tmp_path / "b").exists()


def test_the_command_line_suggests_a_passphrase_that_backs_up(journal_folder: Path, tmp_path: Path) -> None:
    shown = run("passphrase")
    assert shown.returncode == 0
    assert len(shown.stdout.decode().split()) == GENERATED_WORDS
    assert b"nobody can recover it" in shown.stderr
    secret = tmp_path / "passphrase.txt"
    made = run("passphrase", "-o", str(secret))
    assert made.returncode == 0 and made.stdout == b""
    assert secret.stat().st_mode & 0o777 == 0o600  # a secret: readable by the patient only
    assert run("passphrase", "-o", str(secret)).returncode == 2  # never overwritten by mistake
    archive = tmp_path / "backup.zip"
    backup = run("backup", "--folder", str(journal_folder), "--passphrase-file", str(secret), "-o", str(archive))
    assert backup.returncode == 0, backup.stderr
    target = tmp_path / "restored"
    with Journal.restore(
        archive, target, passphrase=secret.read_text().strip(), settings=_settings(target)
    ) as restored:
        assert len(restored.photos()) == 1


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def page(journal_folder: Path, monkeypatch: pytest.MonkeyPatch, navigation_only: None) -> AppTest:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JOURNAL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("JOURNAL_DATA_DIR", str(journal_folder))
    return AppTest.from_file(str(ROOT / "pages" / "export_backup.py"), default_timeout=30).run()


def test_the_page_says_what_a_passphrase_must_withstand(page: AppTest) -> None:
    captions = " ".join(c.value for c in page.caption)
    assert "nobody can recover it" in captions
    assert "ten million a second" in captions and "decades" in captions


def test_the_page_refuses_a_guessable_passphrase_with_the_reason(page: AppTest, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    page.text_input(key="backup_passphrase").input("1234567890")
    page.text_input(key="backup_passphrase_again").input("1234567890")
    page.text_input(key="backup_folder").input(str(folder))
    page.button(key="save_backup").click().run()
    assert not page.exception
    (error,) = [e.value for e in page.error]
    assert escape_markdown("too easy to guess") in error and escape_markdown("top-100 common password") in error
    assert list(folder.iterdir()) == []


def test_the_page_suggests_a_passphrase_to_write_down_and_uses_it(page: AppTest, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    page.button(key="suggest_passphrase").click().run()
    assert not page.exception
    (shown,) = [c.value for c in page.code]
    assert len(shown.split()) == GENERATED_WORDS
    assert any("Write it down now" in i.value for i in page.info)
    assert page.text_input(key="backup_passphrase").value == shown
    assert page.text_input(key="backup_passphrase_again").value == shown
    page.text_input(key="backup_folder").input(str(folder))
    page.button(key="save_backup").click().run()
    assert not page.exception and not page.error, [e.value for e in page.error]
    (saved,) = folder.iterdir()
    target = tmp_path / "restored"
    with Journal.restore(saved, target, passphrase=shown, settings=_settings(target)) as restored:
        assert len(restored.photos()) == 1
    page.button(key="suggest_passphrase").click().run()
    assert [c.value for c in page.code] != [shown], "a new suggestion each time"
    # The fields are a form: what the patient typed arrives with the button.
    page.text_input(key="backup_passphrase").input("my own choice of words here")
    page.text_input(key="backup_passphrase_again").input("my own choice of words here")
    page.button(key="save_backup").click().run()
    assert page.code == [] or not [c.value for c in page.code], "a suggestion not taken is no longer shown"
