"""What a backup file is: its member names, manifest and passphrase rules.

Shared by the writer (store.backup.write) and the reader (store.backup.read).
"""

from __future__ import annotations

import re

from recovery.language import _, ngettext
from store.backup.passphrases import check_strength
from store.errors import WeakPassphrase
from store.settings import APP_NAME

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "journal.sqlite3"  # == store.journal.DB_NAME
DEMO_MEMBER = "DEMO-JOURNAL.txt"  # == store.journal.DEMO_MARKER
# The manifest of a demo journal's backup says so in words (== export.demo_mark.DEMO_MARK).
DEMO_NOTE = "Demo journal: synthetic data"
# Every member carries this timestamp (the ZIP format's earliest): the listing
# of an encrypted backup shows no dates.
MEMBER_TIME = (1980, 1, 1, 0, 0, 0)
PHOTO_MEMBER = re.compile(r"^(photos|thumbs)/([0-9a-f]{2})/([0-9a-f]{64})\.jpg$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# WinZip's AES format derives the key with a fixed, modest PBKDF2 (1,000 rounds of
# SHA-1) that archivers must match, so the passphrase itself has to be strong: long
# enough, and hard enough to guess (store.backup.passphrases).
MIN_PASSPHRASE = 10
MAX_PASSPHRASE = 1000

__all__ = [
    "APP_NAME",
    "DB_MEMBER",
    "DEMO_MEMBER",
    "DEMO_NOTE",
    "FORMAT_VERSION",
    "MANIFEST",
    "MEMBER_TIME",
    "MIN_PASSPHRASE",
    "PHOTO_MEMBER",
    "SHA256",
    "WeakPassphrase",
    "check_new_passphrase",
    "passphrase_bytes",
]


def check_new_passphrase(passphrase: str, repeated: str | None = None) -> str:
    """The passphrase for a new backup, or WeakPassphrase naming the problem: typed
    differently twice, padded with spaces, too short or too long, or too easy to guess.
    Only new backups are checked: an older backup opens with whatever passphrase it has."""
    if repeated is not None and passphrase != repeated:
        raise WeakPassphrase(_("The two passphrases differ; type the same passphrase twice."))
    if passphrase != passphrase.strip():
        raise WeakPassphrase(_("The passphrase starts or ends with a space; remove it (it is easy to forget)."))
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakPassphrase(
            ngettext(
                "The passphrase has {count} character; use at least {least} "
                "(four or five unrelated words are strong and easy to remember).",
                "The passphrase has {count} characters; use at least {least} "
                "(four or five unrelated words are strong and easy to remember).",
                len(passphrase),
            ).format(count=len(passphrase), least=MIN_PASSPHRASE)
        )
    if len(passphrase) > MAX_PASSPHRASE:
        raise WeakPassphrase(_("The passphrase is longer than {count} characters.").format(count=MAX_PASSPHRASE))
    check_strength(passphrase)
    return passphrase


def passphrase_bytes(passphrase: str) -> bytes:
    # UTF-8, as WinZip and 7-Zip encode AES passwords.
    return passphrase.encode("utf-8")


def read_passphrase_file(text: str) -> str:
    """The passphrase in a passphrase file: its first line, without the line ending."""
    lines = text.splitlines()
    return lines[0] if lines else ""
