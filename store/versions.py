"""Versions of saved records: how a save states what it was based on.

Every save of an entry, a treatment or the profile gives the row a new random
version (16 hex digits). A page remembers the version its form was filled
from and passes it back as `based_on=`; the store refuses (store.errors.Conflict)
a save whose `based_on` is no longer the stored version, unless it would write
exactly what is stored. `NONE` ("") is the version of a record that does not
exist (yet): a form for a day never logged is based on it. Scripts that pass no
`based_on` save as before, unchecked.

Random rather than counted: a day deleted and logged again must never reuse
the version a stale window still holds.
"""

from __future__ import annotations

import re
import secrets

NONE = ""
PATTERN = re.compile(r"^[0-9a-f]{16}$")


def new_version() -> str:
    return secrets.token_hex(8)


def is_version(value: object) -> bool:
    """A stored version: 16 hex digits, or "" for a row written before versions
    (or by a program other than the app)."""
    return value == NONE or (isinstance(value, str) and PATTERN.match(value) is not None)
