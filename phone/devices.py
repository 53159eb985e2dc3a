"""The paired phones: a name, when each was paired and last used, and the SHA-256 of its credential.

The credential itself (256 random bits) lives only in the phone's cookie: the
journal folder keeps its hash, so a copy of the folder opens no phone page.
Every request of a phone is checked here, reading the 0600 file afresh, so
"Remove" (ui.phone_access, in the computer's page) cuts a phone off at its
very next request. "Last used" is written at most once a minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from recovery.language import N_
from store.privacy import write_private

FILE_NAME = "paired-phones.json"
CREDENTIAL_BYTES = 32
TOUCH_EVERY = dt.timedelta(minutes=1)
MAX_PHONES = 20


@dataclass(frozen=True)
class Phone:
    id: str
    name: str
    credential_sha256: str
    paired_at: str  # ISO, UTC
    last_used: str

    @property
    def paired(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.paired_at)

    @property
    def used(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.last_used)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8", "replace")).hexdigest()


def phone_name(user_agent: str) -> str:
    """What the paired-phones list calls a phone, from its browser's User-Agent (kept in
    English in the file, translated where it is listed)."""
    for pattern, name in (
        (r"iPhone", "iPhone"),
        (r"iPad", "iPad"),
        (r"Android.*Mobile", N_("Android phone")),
        (r"Android", N_("Android tablet")),
    ):
        if re.search(pattern, user_agent):
            return name
    return N_("Phone or tablet")


class PairedPhones:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._guard = threading.Lock()

    def all(self) -> list[Phone]:
        with self._guard:
            return self._read()

    def add(self, user_agent: str, now: dt.datetime | None = None) -> tuple[Phone, str]:
        """A new paired phone and its credential (to be given to the phone once, never kept)."""
        credential = secrets.token_urlsafe(CREDENTIAL_BYTES)
        moment = (now or _now()).isoformat(timespec="seconds")
        with self._guard:
            phones = self._read()
            phone = Phone(secrets.token_hex(8), phone_name(user_agent), _hash(credential), moment, moment)
            # The oldest go first past the limit: a file that grows with every pairing is no use to anyone.
            self._write([*phones, phone][-MAX_PHONES:])
        return phone, credential

    def check(self, credential: str | None, now: dt.datetime | None = None) -> Phone | None:
        """The paired phone this credential belongs to (its last use noted), or None."""
        if not credential or len(credential) > 256:
            return None
        digest = _hash(credential)
        moment = now or _now()
        with self._guard:
            phones = self._read()
            for index, phone in enumerate(phones):
                if secrets.compare_digest(phone.credential_sha256, digest):
                    if moment - phone.used >= TOUCH_EVERY:
                        phone = Phone(**{**asdict(phone), "last_used": moment.isoformat(timespec="seconds")})
                        phones[index] = phone
                        self._write(phones)
                    return phone
        return None

    def remove(self, phone_id: str) -> bool:
        with self._guard:
            phones = self._read()
            kept = [phone for phone in phones if phone.id != phone_id]
            if len(kept) == len(phones):
                return False
            self._write(kept)
            return True

    def _read(self) -> list[Phone]:
        try:
            records = json.loads(self.path.read_text(encoding="utf-8"))["phones"]
            return [Phone(**{key: str(record[key]) for key in Phone.__dataclass_fields__}) for record in records]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError):
            return []  # a damaged file pairs nobody: phones pair again

    def _write(self, phones: list[Phone]) -> None:
        data = json.dumps({"phones": [asdict(phone) for phone in phones]}, indent=1)
        write_private(self.path, data.encode("utf-8"))
