"""python -m healing_journal, the way a patient or a script runs it.

Most tests call the CLI's `main` in this process, with the environment,
working folder and standard streams a command line would give it (the
program's own code is what they test, not Python's start-up); the tests at
`run_process` start `python -m healing_journal` as a real process, through its entry
point, with stdout and stdin as binary pipes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from demo.skin import skin_photo
from healing_journal import Journal
from healing_journal.cli import main
from tests.journals import reopen

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
COMMANDS = ["backup", "restore", "export-csv", "export-fhir", "export-pdf", "export-dicom", "import-folder"]


def _environment(folder: Path | None) -> dict[str, str]:
    env = {**os.environ, "JOURNAL_TODAY": TODAY.isoformat(), "PYTHONPATH": str(REPO)}
    env.pop("JOURNAL_DATA_DIR", None)
    if folder is not None:
        env["JOURNAL_DATA_DIR"] = str(folder)
    return env


def run_process(
    *args: str, folder: Path | None = None, cwd: Path = REPO, stdin: bytes | None = None
) -> subprocess.CompletedProcess:
    """`python -m healing_journal ARGS` as a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "healing_journal", *args],
        cwd=cwd,
        env=_environment(folder),
        input=stdin,
        capture_output=True,
        timeout=120,
    )


@contextlib.contextmanager
def _streams(stdin: bytes) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """Binary-backed stdin, stdout and stderr, as a pipe gives them; yields what is written to stdout and stderr."""
    written, errors = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(written, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(errors, encoding="utf-8", write_through=True)
    given = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with (
        mock.patch.object(sys, "stdout", out),
        mock.patch.object(sys, "stderr", err),
        mock.patch.object(sys, "stdin", given),
    ):
        yield written, errors
    out.detach()  # flushes, and leaves the buffers open to be read
    err.detach()


def run(*args: str, folder: Path | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """`python -m healing_journal ARGS` in this process: the same environment, working folder and streams."""
    with mock.patch.dict(os.environ, _environment(folder), clear=True), contextlib.chdir(cwd):
        with _streams(b"") as (written, errors):
            try:
                status = main(list(args))
            except SystemExit as exc:  # argparse: --help and usage errors
                status = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(
        ["python", "-m", "healing_journal", *args], status, written.getvalue(), errors.getvalue()
    )


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "journal"
    with reopen(folder, TODAY) as journal:
        journal.add_treatment("2026-11-20", "face", device="Dermapen 4", needle_depth_mm=1.0)
        entry = journal.save_entry("2026-11-20", "face", redness=3, swelling=2, spots=0, sunscreen=True)
        journal.add_photo(entry, skin_photo(0.7, seed=3), "day0.jpg")
        journal.save_entry("2026-11-22", "face", redness=1)
    return folder


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert b"--folder" in result.stdout
    if command not in ("restore", "import-folder"):
        assert b"--output" in result.stdout


def test_no_command_is_a_usage_error():
    assert run().returncode == 2
    # The same through the real entry point (store/__main__.py), as a separate process.
    result = run_process()
    assert result.returncode == 2
    assert b"usage: python -m healing_journal" in result.stderr


def test_export_csv_to_stdout_from_the_default_folder(folder):
    result = run("export-csv", folder=folder)
    assert result.returncode == 0, result.stderr
    with reopen(folder, TODAY) as journal:
        assert result.stdout == journal.export_csv()
    assert result.stdout.startswith(b"day (YYYY-MM-DD),area,")


def test_export_csv_to_a_file_with_filters(folder, tmp_path):
    out = tmp_path / "face.csv"
    result = run("export-csv", "--folder", str(folder), "--area", "face", "--start", "2026-11-21", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().splitlines()[1].startswith("2026-11-22,face,2,")
    assert str(out).encode() in result.stdout


def test_existing_output_is_kept_unless_forced(folder, tmp_path):
    out = tmp_path / "entries.csv"
    out.write_text("precious")
    refused = run("export-csv", "--folder", str(folder), "-o", str(out))
    assert refused.returncode == 2
    assert "already exists" in _one_line_error(refused)
    assert out.read_text() == "precious"
    assert run("export-csv", "--folder", str(folder), "-o", str(out), "--force").returncode == 0
    assert out.read_text().startswith("day (YYYY-MM-DD)")


def test_bad_date_is_a_usage_error(folder):
    result = run("export-csv", "--folder", str(folder), "--start", "yesterday")
    assert result.returncode == 2
    assert b"not a date" in result.stderr


def test_missing_journal_is_refused_and_not_created(tmp_path):
    result = run("export-fhir", folder=tmp_path / "nothing-here")
    assert result.returncode == 2
    assert "There is no journal" in _one_line_error(result)
    assert not (tmp_path / "nothing-here").exists()


def test_export_fhir(folder, tmp_path):
    out = tmp_path / "journal.json"
    result = run("export-fhir", "--folder", str(folder), "--include-photos", "-o", str(out))
    assert result.returncode == 0, result.stderr
    bundle = json.loads(out.read_bytes())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Media") == 1 and kinds.count("Procedure") == 1


def test_export_dicom_writes_a_private_zip_with_a_dicomdir(folder, tmp_path):
    out = tmp_path / "photos.zip"
    result = run("export-dicom", "--folder", str(folder), "--patient-name", "A.E.", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600  # health data: readable by the patient's account only
    with zipfile.ZipFile(out) as opened:
        names = opened.namelist()
    assert "DICOMDIR" in names and len(names) == 3  # the directory, the one photo and the signed manifest
    assert "MANIFEST.json" in names
    assert b"DICOM files written to" in result.stdout
    with reopen(folder, TODAY) as journal:
        assert out.read_bytes() == journal.export_dicom(patient_name="A.E.")  # the same UIDs every time


def test_export_dicom_of_an_unknown_photo_or_a_journal_without_photos_is_refused(folder, tmp_path):
    out = tmp_path / "photos.zip"
    unknown = run("export-dicom", "--folder", str(folder), "--photo", "99", "-o", str(out))
    assert unknown.returncode == 2
    assert "There is no photo number 99" in _one_line_error(unknown)
    empty = tmp_path / "empty"
    reopen(empty, TODAY).close()
    nothing = run("export-dicom", "--folder", str(empty), "-o", str(out))
    assert nothing.returncode == 2
    assert "There are no photos to export" in _one_line_error(nothing)
    assert not out.exists()  # nothing half-written


def test_backup_then_restore(folder, tmp_path):
    archive = tmp_path / "backup.zip"
    made = run("backup", "--no-encryption", "-o", str(archive), folder=folder)
    assert made.returncode == 0, made.stderr
    with zipfile.ZipFile(archive) as opened:
        assert "manifest.json" in opened.namelist()
    target = tmp_path / "restored"
    restored = run("restore", str(archive), "--folder", str(target))
    assert restored.returncode == 0, restored.stderr
    assert b"Restored 2 entries and 1 photo into" in restored.stdout
    with reopen(target, TODAY) as journal:
        assert [p.sha256 for p in journal.photos()] != []


def test_backup_default_name_in_the_working_folder(folder, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    result = run("backup", "--no-encryption", "--folder", str(folder), cwd=work)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in work.iterdir()] == [f"healing-journal-backup-{TODAY.isoformat()}.zip"]


def test_restore_refusals_exit_2_and_change_nothing(folder, tmp_path):
    archive = tmp_path / "backup.zip"
    assert run("backup", "--no-encryption", "--folder", str(folder), "-o", str(archive)).returncode == 0
    into_existing = run("restore", str(archive), "--folder", str(folder))
    assert into_existing.returncode == 2
    assert "not empty" in _one_line_error(into_existing)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"definitely not a zip")
    not_zip = run("restore", str(junk), "--folder", str(tmp_path / "new"))
    assert not_zip.returncode == 2
    assert "not a ZIP" in _one_line_error(not_zip)
    assert not (tmp_path / "new").exists()


def test_restore_of_a_missing_file_is_refused_cleanly(tmp_path):
    result = run("restore", str(tmp_path / "absent.zip"), "--folder", str(tmp_path / "new"))
    assert result.returncode == 2
    assert "absent.zip" in _one_line_error(result)
    assert list(tmp_path.iterdir()) == []


PASSPHRASE = "lantern orchard pebble violet"


def _passphrase_file(tmp_path: Path, text: str = PASSPHRASE + "\n", name: str = "passphrase.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_backup_needs_an_explicit_choice_of_protection(folder, tmp_path):
    result = run("backup", "--folder", str(folder), "-o", str(tmp_path / "b.zip"))
    assert result.returncode == 2
    message = _one_line_error(result)
    assert "--passphrase-file" in message and "--no-encryption" in message
    assert not (tmp_path / "b.zip").exists()
    both = run(
        "backup", "--folder", str(folder), "--no-encryption", "--passphrase-file", str(_passphrase_file(tmp_path))
    )
    assert both.returncode == 2 and b"not allowed with" in both.stderr


def test_encrypted_backup_then_restore_with_the_passphrase_file(folder, tmp_path):
    secret = _passphrase_file(tmp_path)
    archive = tmp_path / "backup.zip"
    made = run("backup", "--folder", str(folder), "--passphrase-file", str(secret), "-o", str(archive))
    assert made.returncode == 0, made.stderr
    assert b"encrypted with AES-256" in made.stdout
    with zipfile.ZipFile(archive) as opened:
        assert all(info.flag_bits & 1 for info in opened.infolist())  # every member, manifest included
    target = tmp_path / "restored"
    restored = run("restore", str(archive), "--passphrase-file", str(secret), "--folder", str(target))
    assert restored.returncode == 0, restored.stderr
    assert b"Restored 2 entries and 1 photo into" in restored.stdout


def test_encrypted_restore_without_or_with_a_wrong_passphrase_is_refused(folder, tmp_path):
    archive = tmp_path / "backup.zip"
    secret = _passphrase_file(tmp_path)
    assert run("backup", "--folder", str(folder), "--passphrase-file", str(secret), "-o", str(archive)).returncode == 0
    target = tmp_path / "new" / "journal"
    missing = run("restore", str(archive), "--folder", str(target))
    assert missing.returncode == 2
    assert "protected with a passphrase" in _one_line_error(missing)
    wrong = _passphrase_file(tmp_path, "lantern orchard pebble violeT\n", name="wrong.txt")
    refused = run("restore", str(archive), "--passphrase-file", str(wrong), "--folder", str(target))
    assert refused.returncode == 2
    assert "passphrase is wrong" in _one_line_error(refused)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.zip", "journal", "passphrase.txt", "wrong.txt"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [("short\n", "at least 10"), ("", "is empty"), ("  padded passphrase  \n", "starts or ends with a space")],
)
def test_a_weak_or_empty_passphrase_file_is_refused(folder, tmp_path, text, problem):
    secret = _passphrase_file(tmp_path, text)
    result = run("backup", "--folder", str(folder), "--passphrase-file", str(secret), "-o", str(tmp_path / "b.zip"))
    assert result.returncode == 2
    assert problem in _one_line_error(result)
    assert not (tmp_path / "b.zip").exists()


def test_backup_to_stdout_and_restore_from_stdin(folder, tmp_path):
    secret = _passphrase_file(tmp_path)
    # Real processes: the archive goes through binary pipes, stdout to stdin.
    made = run_process("backup", "--folder", str(folder), "--passphrase-file", str(secret), "-o", "-")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(b"PK\x03\x04")
    assert b"written to stdout" in made.stderr
    target = tmp_path / "from-stdin"
    restored = run_process("restore", "-", "--passphrase-file", str(secret), "--folder", str(target), stdin=made.stdout)
    assert restored.returncode == 0, restored.stderr
    assert b"Restored 2 entries and 1 photo into" in restored.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["from-stdin", "journal", "passphrase.txt"]


def test_export_pdf(folder, tmp_path):
    out = tmp_path / "summary.pdf"
    result = run("export-pdf", "--folder", str(folder), "-o", str(out))
    if hasattr(Journal, "export_pdf"):
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(b"%PDF")
    else:
        assert result.returncode == 1
        assert "PDF export is not available in this version" in _one_line_error(result)
        assert not out.exists()


def _photo_folder(tmp_path: Path) -> Path:
    photos = tmp_path / "phone"
    photos.mkdir()
    noon = dt.datetime(2026, 11, 22, 12, 0).timestamp()
    for index in range(2):
        path = photos / f"IMG_{index}.jpg"
        path.write_bytes(skin_photo(0.3, seed=20 + index))
        os.utime(path, (noon, noon))  # no capture time in these files: the day comes from here
    (photos / "notes.txt").write_text("not a photo")
    return photos


def test_import_folder_places_photos_on_their_file_day(folder, tmp_path):
    photos = _photo_folder(tmp_path)
    result = run("import-folder", str(photos), "--area", "neck", folder=folder)
    assert result.returncode == 0, result.stderr
    assert b"Imported 2 photos into neck" in result.stdout
    with reopen(folder, TODAY) as journal:
        neck = journal.photos(area="neck")
        assert [(p.day, p.source_name) for p in neck] == [(dt.date(2026, 11, 22), f"IMG_{i}.jpg") for i in range(2)]
    again = run("import-folder", str(photos), "--area", "neck", folder=folder)
    assert again.returncode == 0
    assert b"Imported 0 photos into neck; skipped 2" in again.stdout


def test_import_folder_dry_run_stores_nothing(folder, tmp_path):
    result = run("import-folder", str(_photo_folder(tmp_path)), "--dry-run", folder=folder)
    assert result.returncode == 0, result.stderr
    assert b"IMG_0.jpg: 2026-11-22 (file's modified time)" in result.stdout
    with reopen(folder, TODAY) as journal:
        assert len(journal.photos()) == 1


def test_import_folder_without_photos(folder, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import-folder", str(empty), folder=folder)
    assert result.returncode == 2
    assert "no photos" in _one_line_error(result)


def test_import_folder_unknown_area_is_a_usage_error(folder, tmp_path):
    result = run("import-folder", str(tmp_path), "--area", "elbow", folder=folder)
    assert result.returncode == 2
    assert b"invalid choice" in result.stderr


@pytest.mark.skipif(not hasattr(Journal, "export_pdf"), reason="the PDF exporter is not in this version")
def test_export_pdf_passes_its_options(folder, tmp_path):
    out = tmp_path / "face.pdf"
    result = run(
        "export-pdf", "--folder", str(folder), "--area", "face", "--start", "2026-11-20", "--no-photos", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("name", ["card.pdf", "card.png"])
def test_reference_card_is_written_as_pdf_or_png(tmp_path, name):
    from PIL import Image

    result = run("reference-card", "-o", str(tmp_path / name))
    assert result.returncode == 0, result.stderr
    assert b"100 %" in result.stdout
    data = (tmp_path / name).read_bytes()
    if name.endswith(".pdf"):
        assert data.startswith(b"%PDF")
        # A4's width by Letter's height (in points): prints unscaled on either paper.
        assert b"/MediaBox [0 0 595.28 792.00]" in data
    else:
        image = Image.open(tmp_path / name)
        assert image.format == "PNG" and round(image.info["dpi"][0]) == 300
        assert image.size == (round(210 / 25.4 * 300), round(279.4 / 25.4 * 300))
    again = run("reference-card", "-o", str(tmp_path / name))
    assert again.returncode == 2 and b"already exists" in again.stderr


def test_the_older_name_python_m_store_still_runs_the_command_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "store", "--help"],
        cwd=REPO,
        env=_environment(tmp_path),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert b"usage: python -m healing_journal" in result.stdout
