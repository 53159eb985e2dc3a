"""python -m healing_journal: back up, restore, export and import from the command line.

    python -m healing_journal passphrase -o ~/.journal-passphrase
    python -m healing_journal backup --passphrase-file ~/.journal-passphrase -o journal.zip
    python -m healing_journal backup --no-encryption -o journal.zip
    python -m healing_journal restore journal.zip --passphrase-file ~/.journal-passphrase --folder ~/restored-journal
    python -m healing_journal export-csv --area face -o entries.csv
    python -m healing_journal export-fhir --include-photos -o journal.fhir.json
    python -m healing_journal export-pdf -o summary.pdf
    python -m healing_journal export-dicom --patient-name "A. E." -o photos-dicom.zip
    python -m healing_journal verify summary.pdf
    python -m healing_journal import-folder ~/Pictures/after --area face
    python -m healing_journal app-lock --remove
    python -m healing_journal reference-card -o card.pdf

Every command works on --folder (default: the app's data folder, or
JOURNAL_DATA_DIR). Errors are one line on stderr; exit status 2 means a usage
error or a refusal (nothing was changed), 1 a failure while working.

The help and the messages are in the journal's language (its profile's, issue 23):
the journal of --folder, or of the default folder; English when it has none.
argparse's own few words ("usage:", "options") stay English. What a script reads
(the exported files, JSON, CSV) is the same in every language.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from recovery.language import ENGLISH, LANGUAGES, _, ngettext, speaking
from recovery.vocabulary import AREAS, area_label
from store.atomic import write_atomic
from store.backup.format import WeakPassphrase
from store.errors import InvalidEntry, JournalError, NotFound, PassphraseNeeded, RestoreRefused
from store.settings import Settings

if TYPE_CHECKING:
    from healing_journal.api import Journal
    from healing_journal.workspace import Workspace
    from store.photos.importing import Candidate

EXIT_OK, EXIT_FAILED, EXIT_REFUSED = 0, 1, 2


class CliError(Exception):
    """A problem reported as one line on stderr, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_REFUSED):
        super().__init__(message)
        self.status = status


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    """Run one command; returns the exit status. `settings` default to the environment's."""
    settings = settings or Settings.from_environment()
    with speaking(journal_language(argv, settings)):
        return _main(argv, settings)


def journal_language(argv: Sequence[str] | None, settings: Settings) -> str:
    """The language of the journal the command works on (--folder, or the default
    folder): its profile's, read without opening it; English when there is none."""
    from store.journal import stored_language

    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--folder", type=Path, default=None)
    known, _rest = early.parse_known_args(argv)
    code = stored_language((known.folder or settings.data_dir).expanduser())
    return code if code in LANGUAGES else ENGLISH


def _main(argv: Sequence[str] | None, settings: Settings) -> int:
    args = build_parser().parse_args(argv)
    args.settings = settings
    try:
        return int(args.run(args))
    except CliError as exc:
        return _fail(str(exc), exc.status)
    except PassphraseNeeded:
        return _fail(
            _("This backup is protected with a passphrase: give it with --passphrase-file FILE."), EXIT_REFUSED
        )
    except (RestoreRefused, InvalidEntry, NotFound, WeakPassphrase) as exc:
        return _fail(str(exc), EXIT_REFUSED)  # refused before anything changed
    except JournalError as exc:
        return _fail(str(exc), EXIT_FAILED)
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", EXIT_FAILED)


def _fail(message: str, status: int) -> int:
    print(_("error: {message}").format(message=" ".join(message.split())), file=sys.stderr)
    return status


# --- arguments ---------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m healing_journal", description=_("Healing Journal: backups, exports and imports.")
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    backup = _command(commands, "backup", _("write the whole journal (database and photos) to one ZIP file"), _backup)
    _output(backup, _("the ZIP file to write ('-' for stdout; default healing-journal-backup-DATE.zip)"))
    protection = backup.add_mutually_exclusive_group()
    protection.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help=_(
            "encrypt the backup (AES-256 ZIP, opens in 7-Zip, Keka, WinZip) with the passphrase on the first "
            "line of FILE; it must be hard to guess (five or six unrelated words; `passphrase` suggests one), and "
            "a lost passphrase cannot be recovered"
        ),
    )
    protection.add_argument(
        "--no-encryption",
        action="store_true",
        help=_("write the backup unprotected: anyone with the file sees it all"),
    )

    words_help = _("suggest a strong passphrase for backups: six random words, to write down")
    words = commands.add_parser("passphrase", help=words_help, description=words_help[0].upper() + words_help[1:] + ".")
    _output(words, _("the file to write it to, readable by you only ('-' for stdout, the default)"), default="-")
    words.set_defaults(run=_suggest_passphrase)

    restore = _command(commands, "restore", _("restore a backup ZIP into an empty or new folder"), _restore)
    restore.add_argument("backup_file", metavar="BACKUP", help=_("the backup ZIP ('-' for stdin)"))
    _passphrase_file(restore)

    csv = _command(
        commands, "export-csv", _("write the daily entries as CSV (units and scales in the header)"), _export_csv
    )
    _area(csv)
    _days(csv)
    _output(csv, _("the CSV file to write ('-' for stdout, the default)"), default="-")

    fhir = _command(commands, "export-fhir", _("write a FHIR R4 Bundle (JSON) of the journal"), _export_fhir)
    _area(fhir)
    fhir.add_argument(
        "--include-photos", action="store_true", help=_("embed the photos (metadata-free JPEGs) as Media")
    )
    _output(fhir, _("the JSON file to write ('-' for stdout, the default)"), default="-")

    pdf = _command(commands, "export-pdf", _("write the summary PDF for a dermatologist"), _export_pdf)
    _area(pdf)
    _days(pdf)
    pdf.add_argument("--no-photos", action="store_true", help=_("leave the photos out of the PDF"))
    _output(pdf, _("the PDF file to write ('-' for stdout; default healing-journal-DATE.pdf)"))

    dicom = _command(
        commands,
        "export-dicom",
        _("write the photos as DICOM files with a DICOMDIR, in one ZIP, for a hospital's image archive"),
        _export_dicom,
    )
    dicom.add_argument(
        "--photo",
        type=int,
        action="append",
        metavar="NUMBER",
        help=_("only this photo (its number, as `Journal.photos()` gives it); repeat for more (default: all photos)"),
    )
    dicom.add_argument(
        "--patient-name",
        metavar="NAME",
        help=_("the name in the files (default: the profile's name); initials or a pseudonym will do"),
    )
    _output(dicom, _("the ZIP file to write ('-' for stdout; default healing-journal-dicom-DATE.zip)"))

    verify_help = _("check that an export (PDF, CSV, FHIR, DICOM ZIP, backup) is unchanged since the journal signed it")
    verify = commands.add_parser("verify", help=verify_help, description=verify_help[0].upper() + verify_help[1:] + ".")
    verify.add_argument("file", metavar="FILE", type=Path, help=_("the exported file"))
    _passphrase_file(verify)
    verify.set_defaults(run=_verify)

    imports = _command(
        commands, "import-folder", _("import the photos of a folder, each on the day it was taken"), _import
    )
    imports.add_argument("directory", metavar="DIR", type=Path, help=_("folder of photos (not searched recursively)"))
    imports.add_argument("--area", choices=AREAS, default="face", help=_("treated area the photos show (default face)"))
    imports.add_argument("--dry-run", action="store_true", help=_("show where each photo would go; store nothing"))

    lock = _command(commands, "app-lock", _("show or remove the app lock (the passphrase the app asks for)"), _app_lock)
    lock.add_argument("--remove", action="store_true", help=_("remove the lock, e.g. after forgetting the passphrase"))
    card_help = _("write the printable reference card (PDF for A4 and Letter at 100 %%, or PNG by the file's ending)")
    card = commands.add_parser("reference-card", help=card_help, description=card_help[0].upper() + card_help[1:] + ".")
    _output(
        card, _("the PDF or PNG file to write ('-' for a PDF on stdout; default healing-journal-reference-card.pdf)")
    )
    card.set_defaults(run=_reference_card)
    return parser


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    command: argparse.ArgumentParser = commands.add_parser(
        name, help=help_text, description=help_text[0].upper() + help_text[1:] + "."
    )
    command.add_argument(
        "--folder",
        type=Path,
        default=None,
        help=_("the journal folder (default: the app's data folder or $JOURNAL_DATA_DIR)"),
    )
    command.set_defaults(run=run)
    return command


def _passphrase_file(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help=_("the passphrase of an encrypted backup, on its first line"),
    )


def _output(command: argparse.ArgumentParser, help_text: str, default: str | None = None) -> None:
    command.add_argument("-o", "--output", default=default, help=help_text)
    command.add_argument("--force", action="store_true", help=_("overwrite the output file if it exists"))


def _area(command: argparse.ArgumentParser) -> None:
    command.add_argument("--area", choices=AREAS, default=None, help=_("only this area (default: all areas)"))


def _days(command: argparse.ArgumentParser) -> None:
    command.add_argument("--start", type=_date, help=_("first day to include (YYYY-MM-DD)"))
    command.add_argument("--end", type=_date, help=_("last day to include (YYYY-MM-DD)"))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("'{text}' is not a date (use YYYY-MM-DD)").format(text=text)) from None


# --- commands ----------------------------------------------------------------


def _backup(args: argparse.Namespace) -> int:
    from store.backup import check_new_passphrase, write_backup, write_backup_file

    if args.passphrase_file is None and not args.no_encryption:
        raise CliError(
            _(
                "Choose how to protect the backup: --passphrase-file FILE to encrypt it (recommended: it holds "
                "your health photos), or --no-encryption to write it unprotected."
            )
        )
    passphrase = check_new_passphrase(_passphrase(args.passphrase_file)) if args.passphrase_file else None
    output = args.output or f"healing-journal-backup-{_today(args)}.zip"
    with _open(args) as journal:
        if output == "-":
            summary = write_backup(journal.folder, sys.stdout.buffer, passphrase=passphrase)
            sys.stdout.buffer.flush()
            where = "stdout"
        else:
            target = Path(output).expanduser()
            if target.exists() and not args.force:
                raise CliError(_exists(target))
            summary = write_backup_file(journal.folder, target, passphrase=passphrase, overwrite=args.force)
            where = str(target)
    for path in summary.left_out:
        print(_("left out: {path} (the file is missing or damaged on disk)").format(path=path), file=sys.stderr)
    if summary.encrypted:
        done = ngettext(
            "Backup of {count} photo written to {where} (encrypted with AES-256).",
            "Backup of {count} photos written to {where} (encrypted with AES-256).",
            summary.photos,
        )
    else:
        done = ngettext(
            "Backup of {count} photo written to {where} (not encrypted).",
            "Backup of {count} photos written to {where} (not encrypted).",
            summary.photos,
        )
    _say(done.format(count=summary.photos, where=_where(where)), where)
    return EXIT_OK


def _suggest_passphrase(args: argparse.Namespace) -> int:
    from store.backup.passphrases import generate

    where = _write(f"{generate()}\n".encode(), args.output, args.force)  # a file is created 0600
    said = [_("Write this passphrase down and keep it apart from your backups: if it is lost, nobody can recover it.")]
    if where != "stdout":
        said.append(_("It is in {where}; use it with backup --passphrase-file {where}.").format(where=where))
    print(" ".join(said), file=sys.stderr)
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from healing_journal.api import Journal
    from store.backup import restore
    from store.leftovers import restore_in_progress

    passphrase = _passphrase(args.passphrase_file) if args.passphrase_file else None
    folder = _folder(args).absolute()
    today = args.settings.today()
    if args.backup_file == "-":
        # A ZIP is read from its end: spool the stream beside the target, never into memory.
        folder.parent.mkdir(parents=True, exist_ok=True)
        with restore_in_progress(folder.parent) as spool:
            incoming = spool / "incoming.zip"
            stdin = cast(io.BufferedReader, sys.stdin.buffer)
            with open(incoming, "xb") as out:
                while chunk := stdin.read1(1024 * 1024):  # what has arrived, without waiting for a full chunk
                    out.write(chunk)
            summary = restore(incoming, folder, passphrase=passphrase, today=today)
    else:
        summary = restore(Path(args.backup_file), folder, passphrase=passphrase, today=today)
    Journal.open(folder, settings=args.settings.for_folder(folder)).close()  # migrated, tidied, made private
    photos = ngettext("{count} photo", "{count} photos", summary.photos).format(count=summary.photos)
    restored = ngettext(
        "Restored {count} entry and {photos} into {folder}.",
        "Restored {count} entries and {photos} into {folder}.",
        summary.entries,
    )
    print(restored.format(count=summary.entries, photos=photos, folder=folder))
    return EXIT_OK


def _passphrase(path: Path) -> str:
    from store.backup.format import read_passphrase_file

    try:
        passphrase = read_passphrase_file(path.expanduser().read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CliError(_("There is no passphrase file {path}.").format(path=path)) from None
    except UnicodeDecodeError:
        raise CliError(_("The passphrase file {path} is not UTF-8 text.").format(path=path)) from None
    if not passphrase:
        raise CliError(
            _("The passphrase file {path} is empty; put the passphrase on its first line.").format(path=path)
        )
    return passphrase


def _export_csv(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        data = workspace.csv(args.area, args.start, args.end)
    _say(_("Entries written to {where}.").format(where=_where(_write(data, args.output, args.force))), args.output)
    return EXIT_OK


def _export_fhir(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        data = workspace.fhir(args.area, include_photos=args.include_photos)
    _say(_("FHIR bundle written to {where}.").format(where=_where(_write(data, args.output, args.force))), args.output)
    return EXIT_OK


def _export_pdf(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        data = workspace.pdf(args.area, args.start, args.end, include_photos=not args.no_photos)
    where = _write(data, args.output or f"healing-journal-{_today(args)}.pdf", args.force)
    _say(_("PDF summary written to {where}.").format(where=_where(where)), where)
    return EXIT_OK


def _export_dicom(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        data = workspace.dicom(args.photo, patient_name=args.patient_name)
    where = _write(data, args.output or f"healing-journal-dicom-{_today(args)}.zip", args.force)
    _say(_("DICOM files written to {where}.").format(where=_where(where)), where)
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    """Exit 0 when untouched; 1 when something changed (named); 2 when the file is not a
    signed export or cannot be opened (an encrypted backup without its passphrase)."""
    from healing_journal.verify import verify_export

    passphrase = _passphrase(args.passphrase_file) if args.passphrase_file else None
    try:
        data = Path(args.file).expanduser().read_bytes()
    except FileNotFoundError:
        raise CliError(_("There is no file {path}.").format(path=args.file)) from None
    verdict = verify_export(data, passphrase=passphrase)
    if verdict.ok:
        print(verdict.message)
        print(
            _("Key: Ed25519 {key} (fingerprint {fingerprint})").format(
                key=verdict.public_key, fingerprint=verdict.fingerprint
            )
        )
        return EXIT_OK
    print(verdict.message, file=sys.stderr)
    if verdict.fingerprint:
        print(_("Signed with key fingerprint {fingerprint}.").format(fingerprint=verdict.fingerprint), file=sys.stderr)
    return EXIT_FAILED if verdict.changed else EXIT_REFUSED


def _app_lock(args: argparse.Namespace) -> int:
    from store import app_lock

    folder = _folder(args)
    if not args.remove:
        if app_lock.is_set(folder):
            print(_("The app lock is on for the journal in {folder}.").format(folder=folder))
        else:
            print(_("The app lock is off for the journal in {folder}.").format(folder=folder))
    elif app_lock.remove(folder):
        print(
            _("The app lock of the journal in {folder} is removed; the app opens without a passphrase.").format(
                folder=folder
            )
        )
    else:
        print(_("The journal in {folder} had no app lock.").format(folder=folder))
    return EXIT_OK


def _reference_card(args: argparse.Namespace) -> int:
    from photometry.card import reference_card

    output = args.output or "healing-journal-reference-card.pdf"
    where = _write(reference_card(output), output, args.force)
    _say(_("Reference card written to {where}; print it at 100 % (actual size).").format(where=_where(where)), where)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from store.photos.importing import plan_import

    files = _photo_files(args.directory)
    with _open(args) as journal:
        plan = plan_import(journal, ((p.name, p.read_bytes(), p.stat().st_mtime) for p in files), journal.today())
        if args.dry_run:
            for c in plan:
                line = _("{file}: {day} ({source})").format(
                    file=c.filename, day=c.day.isoformat(), source=_(c.day_source)
                )
                print(_("{line}, skipped: {reason}").format(line=line, reason=c.skip_reason) if c.skip_reason else line)
            return EXIT_OK
        return _store_plan(journal, plan, args.area)


def _store_plan(journal: Journal, plan: list[Candidate], area: str) -> int:
    from store.photos.importing import import_photos

    report = import_photos(journal, plan, area)
    for name in report.added:
        print(_("added: {file}").format(file=name))
    for name, reason in report.skipped:
        print(_("skipped: {file}: {reason}").format(file=name, reason=reason))
    for message in report.refused:
        print(_("refused: {problem}").format(problem=message), file=sys.stderr)
    added, skipped, refused = len(report.added), len(report.skipped), len(report.refused)
    done = ngettext(
        "Imported {count} photo into {area}; skipped {skipped}, refused {refused}.",
        "Imported {count} photos into {area}; skipped {skipped}, refused {refused}.",
        added,
    )
    print(done.format(count=added, area=area_label(area).lower(), skipped=skipped, refused=refused))
    return EXIT_FAILED if report.refused else EXIT_OK


# --- helpers -----------------------------------------------------------------


def _folder(args: argparse.Namespace) -> Path:
    folder: Path = args.folder or args.settings.data_dir
    return folder.expanduser()


def _open(args: argparse.Namespace) -> Journal:
    """The existing journal in the folder; never creates an empty one by mistake."""
    from healing_journal.api import Journal
    from store.journal import DB_NAME

    folder = _folder(args)
    if not (folder / DB_NAME).is_file():
        raise CliError(
            _("There is no journal in {folder} (use --folder or set JOURNAL_DATA_DIR).").format(folder=folder)
        )
    return Journal.open(folder, settings=args.settings.for_folder(folder))


@contextmanager
def _workspace(args: argparse.Namespace) -> Iterator[Workspace]:
    """The journal read and judged once for this command."""
    from healing_journal.workspace import Workspace

    with _open(args) as journal:
        yield Workspace(journal)


def _today(args: argparse.Namespace) -> str:
    today: dt.date = args.settings.today()
    return today.isoformat()


def _photo_files(directory: Path) -> list[Path]:
    from store.photos.imaging import ACCEPTED_EXTENSIONS  # Pillow loads only for this command

    suffixes = {f".{extension}" for extension in ACCEPTED_EXTENSIONS}
    if not directory.is_dir():
        raise CliError(_("{path} is not a folder.").format(path=directory))
    files = sorted(
        p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(".")
    )
    if not files:
        looked = ", ".join(sorted(suffixes))
        raise CliError(
            _("There are no photos in {path} (looked for {endings}).").format(path=directory, endings=looked)
        )
    return files


def _write(data: bytes, output: str, force: bool) -> str:
    """Write to the file (atomically) or to stdout; returns where it went."""
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return "stdout"
    target = Path(output).expanduser()
    if target.exists() and not force:
        raise CliError(_exists(target))
    write_atomic(target, data)  # an interrupted export never leaves half a file
    return str(target)


def _exists(target: Path) -> str:
    return _("{path} already exists; choose another name or add --force to overwrite it.").format(path=target)


def _where(where: str) -> str:
    """A file's path, or the standard output in words."""
    return _("stdout") if where == "stdout" else where


def _say(message: str, output: str) -> None:
    # With the data on stdout, the confirmation goes to stderr to keep it clean.
    print(message, file=sys.stderr if output in ("-", "stdout") else sys.stdout)
