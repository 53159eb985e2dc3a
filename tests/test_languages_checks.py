"""The command line, the checks of an export, the share record, the passphrase rules and
the save-conflict panel speak the patient's language (issue 23).

Each is run in Spanish and in Arabic and what it shows is compared with the catalogue
(the words are looked up in it here, never written out), and with English: a
translation must be there. The CLI runs as a real process on a journal whose profile
names the language; the verdicts come from real exports changed byte by byte; the
pages run under AppTest in the journal's language.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from healing_journal import Journal
from recovery.language import _, left_to_right, ngettext, speaking, weekday_date
from recovery.shares import included_words
from store.backup import check_new_passphrase
from store.backup.passphrases import ZXCVBN_FEEDBACK, duration_in_words
from store.errors import WeakPassphrase
from tests import photo_journal
from tests.app_frame import open_framed
from tests.journals import FIXED_DAY as FIXED
from tests.journals import reopen
from tests.test_cli import run_process
from tests.test_home import _readable
from tests.test_pages import assert_clean

TODAY = dt.date(2026, 11, 24)
LANGUAGES = ["es", "ar"]


def said(code: str, message: str, /, **fields: object) -> str:
    """`message` from the catalogue in `code`, its fields filled in; never the English."""
    words = in_language(code, message, **fields)
    assert words != message.format(**fields), f"no {code} translation of {message!r}"
    return words


def in_language(code: str, message: str, /, **fields: object) -> str:
    """`message` from the catalogue in `code` (a frame such as "{photo}, {what}" may read as in English)."""
    with speaking(code):
        return _(message).format(**fields)


@pytest.fixture(scope="module")
def journals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A journal with two photos (face) in each language."""
    made = {}
    for code in LANGUAGES:
        folder = tmp_path_factory.mktemp(f"journal-{code}") / "journal"
        photo_journal.build(folder, TODAY, [photo_journal.photo(0), photo_journal.photo(1)])
        with reopen(folder, TODAY) as journal:
            journal.save_profile(language=code, country="ES")
        made[code] = folder
    return made


# --- 1. the command line -------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_cli_says_what_it_did_in_the_journals_language(code: str, journals: dict[str, Path], tmp_path: Path):
    target = tmp_path / "entries.csv"
    result = run_process("export-csv", "-o", str(target), folder=journals[code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == said(code, "Entries written to {where}.", where=target)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_cli_help_and_its_refusals_are_in_the_journals_language(code: str, journals: dict[str, Path]):
    helped = run_process("backup", "--help", folder=journals[code])
    assert helped.returncode == 0
    shown = " ".join(helped.stdout.decode().split())  # argparse wraps the help at the terminal's width
    assert said(code, "write the backup unprotected: anyone with the file sees it all") in shown
    refused = run_process("backup", "-o", "-", folder=journals[code])
    assert refused.returncode == 2
    with speaking(code):
        problem = _(
            "Choose how to protect the backup: --passphrase-file FILE to encrypt it (recommended: it holds "
            "your health photos), or --no-encryption to write it unprotected."
        )
    assert refused.stderr.decode().strip() == in_language(code, "error: {message}", message=problem)


def test_a_journal_without_a_language_keeps_the_cli_in_english(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        journal.save_entry(TODAY, "face", redness=1)
    result = run_process("export-csv", "-o", str(tmp_path / "e.csv"), folder=folder)
    assert result.stdout.decode().strip() == f"Entries written to {tmp_path / 'e.csv'}."


# --- 2. checking an export -----------------------------------------------------------------


def _changed_photo(data: bytes) -> bytes:
    """A DICOM ZIP with one byte of its first photo's file changed (its stored bytes)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = next(i for i in archive.infolist() if i.filename not in ("DICOMDIR", "MANIFEST.json"))
    header = info.header_offset
    start = header + 30 + int.from_bytes(data[header + 26 : header + 28], "little")
    start += int.from_bytes(data[header + 28 : header + 30], "little")
    changed = bytearray(data)
    changed[start + info.compress_size // 2] ^= 0x04
    return bytes(changed)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_changed_photo_is_named_in_the_patients_language(code: str, journals: dict[str, Path]) -> None:
    with reopen(journals[code], TODAY) as journal:
        exported = journal.export_dicom()
        days = {p.day.isoformat() for p in journal.photos()}
    with speaking(code):
        verdict = Journal.verify_export(_changed_photo(exported))
        area = _("Face").lower()
        days = {left_to_right(day) for day in days}  # an ISO day in Arabic keeps reading left to right
    assert not verdict.ok
    assert ("\u2066" in verdict.message) == (code == "ar")
    (changed,) = verdict.changed
    named = [
        in_language(
            code, "{photo}, {what}", photo=said(code, "the photo of {day} ({area})", day=day, area=area), what=what
        )
        for day in days
        for what in [said(code, "its DICOM file")]
    ]
    assert changed in named
    assert verdict.message == said(code, "Changed since it was signed: {changes}.", changes=changed)


@pytest.mark.parametrize("code", LANGUAGES)
def test_verify_on_the_command_line_names_the_change_in_the_journals_language(
    code: str, journals: dict[str, Path], tmp_path: Path
) -> None:
    with reopen(journals[code], TODAY) as journal:
        exported = journal.export_dicom()
    with speaking(code):
        expected = Journal.verify_export(_changed_photo(exported)).message
    (tmp_path / "photos.zip").write_bytes(_changed_photo(exported))
    result = run_process("verify", str(tmp_path / "photos.zip"), folder=journals[code])
    assert result.returncode == 1
    assert result.stderr.decode().splitlines()[0] == expected
    assert expected.startswith(said(code, "Changed since it was signed: {changes}.", changes="").removesuffix("."))


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_file_that_is_no_export_says_so_in_the_patients_language(code: str) -> None:
    with speaking(code):
        verdict = Journal.verify_export(b"PK\x03\x04 not really a zip")
    why = said(code, "a damaged ZIP")
    message = "This is not a Healing Journal export: it holds no signed manifest ({why})."
    assert verdict.message == said(code, message, why=why)


@pytest.fixture
def page_folder(app_folder: Path, navigation_only: None) -> Path:
    return app_folder  # tests/app_frame.py


@pytest.mark.parametrize("code", LANGUAGES)
def test_check_an_export_on_the_page_gives_its_verdict_in_the_patients_language(page_folder: Path, code: str):
    from tests.photo_journal import photo

    with reopen(page_folder, FIXED) as journal:
        journal.save_profile(language=code)
        journal.add_photo(journal.save_entry(FIXED, "face", redness=2), photo(0), filename="day.jpg")
        exported = journal.export_csv()
        fingerprint = journal.signing_fingerprint()
    at = open_framed("export_backup.py")
    at.file_uploader(key="check_file").set_value([("entries.csv", exported, "text/csv")])
    with speaking(code):
        at.run()
    assert_clean(at)
    (verdict,) = [s.value for s in at.success if fingerprint in s.value]
    with speaking(code):
        isolated = left_to_right(fingerprint)
    what = said(code, "CSV table")
    untouched = said(code, "Untouched since it was signed: this {what} matches its signed manifest.", what=what)
    signed = said(
        code,
        "Signed by the journal with key {fingerprint}; compare this fingerprint with the one the patient "
        "gives you (printed at the end of the PDF, shown under Profile & treatments).",
        fingerprint=isolated,
    )
    assert verdict == f"{untouched} {signed}"


# --- 3. the share record -------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_what_a_share_held_is_said_in_the_patients_language(code: str) -> None:
    days = [dt.date(2026, 12, 6), dt.date(2026, 11, 2)]
    with speaking(code):
        words = included_words(["neck", "face"], days, 42)
        photos = ngettext("{count} photo", "{count} photos", 42).format(count=42)
        areas = f"{_('Face')}, {_('Neck').lower()}"
    assert words.split(" · ")[0] == areas and words.split(" · ")[2] == photos
    assert photos != "42 photos" and "Dec" not in words
    with speaking(code):
        assert included_words([], [], None) == f"{_('no area')} · {_('no days logged')} · {_('selected photos')}"
    assert said(code, "no area")


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_downloaded_file_is_listed_on_the_profile_in_the_patients_language(page_folder: Path, code: str):

    with reopen(page_folder, FIXED) as journal:
        journal.save_profile(language=code)
        journal.save_entry(FIXED, "face", redness=2)
    at = open_framed("export_backup.py")
    with speaking(code):
        at.button(key="prepare_csv").click().run()
        at.download_button(key="download_csv").click().run()
    assert_clean(at)
    with speaking(code):
        expected = included_words(["face"], [FIXED], 0)
    assert expected.endswith(said(code, "no photos"))
    with reopen(page_folder, FIXED) as journal:
        (share,) = journal.snapshot().shares
    assert share.included == expected
    profile = open_framed("treatments.py")
    assert_clean(profile)
    assert [m.value for m in profile.markdown if expected in m.value]


# --- 4. the passphrase rules ---------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_guessable_passphrase_is_refused_in_the_patients_language(code: str) -> None:
    with speaking(code), pytest.raises(WeakPassphrase) as refused:
        check_new_passphrase("password123", "password123")
    message = str(refused.value)
    with speaking(code):
        time = duration_in_words(1)
        advice = [_(tip) for tip in ZXCVBN_FEEDBACK if _(tip) in message]
    first = (
        "This passphrase is too easy to guess: someone with the backup file and one graphics card "
        "could find it in {time}."
    )
    assert message.startswith(said(code, first, time=time))
    assert message.endswith(said(code, "Use five or six unrelated words, or the passphrase the app suggests."))
    assert advice, "zxcvbn's advice is said from the catalogue"
    assert not [tip for tip in ZXCVBN_FEEDBACK if tip in message], "no English sentence of zxcvbn is left"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_cli_refuses_a_short_passphrase_in_the_journals_language(
    code: str, journals: dict[str, Path], tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("short\n")
    result = run_process(
        "backup", "--passphrase-file", str(secret), "-o", str(tmp_path / "b.zip"), folder=journals[code]
    )
    assert result.returncode == 2
    with speaking(code):
        rule = ngettext(
            "The passphrase has {count} character; use at least {least} "
            "(four or five unrelated words are strong and easy to remember).",
            "The passphrase has {count} characters; use at least {least} "
            "(four or five unrelated words are strong and easy to remember).",
            5,
        ).format(count=5, least=10)
    assert result.stderr.decode().strip() == in_language(code, "error: {message}", message=rule)
    assert not (tmp_path / "b.zip").exists()


@pytest.mark.parametrize("code", LANGUAGES)
def test_how_long_a_guess_takes_is_said_in_the_patients_language(code: str) -> None:
    with speaking(code):
        assert duration_in_words(5) == _("less than a minute") != "less than a minute"
        years = duration_in_words(10**9)
        assert years == ngettext("about {count} year", "about {count} years", 32).format(count="32")
    assert years != "about 32 years"


# --- 5. the save-conflict panel ------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_conflict_panel_speaks_the_patients_language(page_folder: Path, code: str) -> None:

    with reopen(page_folder, FIXED) as journal:
        journal.save_profile(language=code)
        journal.save_entry(FIXED, "face", notes="start")
    key = f"notes-{FIXED.isoformat()}-face"
    first, second = open_framed("log_day.py"), open_framed("log_day.py")
    save = said(code, "Save day")
    first.text_area(key=key).input("mine")
    with speaking(code):
        [b for b in first.button if b.label == save][0].click().run()
        second.text_area(key=key).input("theirs")
        [b for b in second.button if b.label == save][0].click().run()
    assert_clean(second)
    buttons = [b.label for b in second.button]
    for words in ("Save the merged version", "Keep mine for every field", "Keep the version saved meanwhile"):
        assert said(code, words) in buttons
    captions = [c.value for c in second.caption]
    assert said(code, "Yours") in captions and said(code, "Saved meanwhile") in captions
    with speaking(code):
        day = weekday_date(FIXED)
        area = _("Face").lower()
    message = (
        "The {area} entry of {day} was changed in another window or on another device after you opened it, "
        "so nothing was saved: compare the two versions and choose what to keep."
    )
    warned = [_readable(w.value) for w in second.warning]
    assert said(code, message, area=area, day=day) in warned, warned
    options = [o for r in second.radio for o in r.options]
    assert said(code, "Keep both texts") in options


@pytest.mark.parametrize("code", LANGUAGES)
def test_why_a_backup_cannot_be_opened_is_said_in_the_patients_language(code: str, tmp_path: Path) -> None:
    from store.backup import inspect
    from store.errors import RestoreRefused

    with speaking(code), pytest.raises(RestoreRefused) as refused:
        inspect(tmp_path / "missing.zip")
    assert str(refused.value) == said(code, "There is no backup file {path}.", path=tmp_path / "missing.zip")
    with speaking(code), pytest.raises(RestoreRefused) as damaged:
        inspect(b"not a zip at all")
    message = "This file cannot be read as a backup: it is not a ZIP file, or it was cut short or damaged."
    assert str(damaged.value) == said(code, message)


def test_an_empty_word_in_a_signed_manifest_is_not_looked_up() -> None:
    """gettext answers "" with the catalogue's header; a part that says nothing of itself is named."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from signing.manifest import Signer, check

    manifest = Signer(Ed25519PrivateKey.generate()).sign("csv", [], {"table": {"sha256": "0" * 64, "what": ""}})
    with speaking("es"):
        verdict = check(manifest, {"table": "1" * 64})
    assert verdict.changed == ("table",)
