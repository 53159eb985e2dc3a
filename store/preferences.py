"""Small choices of the screens, remembered from one visit to the next.

One JSON file in the journal's folder (`PREFERENCES_NAME`, 0600 like the rest
of the folder): name -> yes/no, e.g. whether a phone turns the camera on when
Log a day opens. Not journal data: never in a backup or an export, and a file
that is missing, unreadable or odd means "nothing remembered", never an error.
"""

from __future__ import annotations

import json
from pathlib import Path

from store import privacy

PREFERENCES_NAME = "preferences.json"
_MAX_BYTES = 4096
_MAX_NAME = 64


def _read(folder: Path) -> dict[str, bool]:
    path = folder / PREFERENCES_NAME
    try:
        if path.is_symlink() or path.stat().st_size > _MAX_BYTES:
            return {}
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(kept, dict):
        return {}
    return {str(name): value for name, value in kept.items() if isinstance(value, bool)}


def remembered(folder: Path, name: str) -> bool | None:
    """The choice kept under `name`, None when none is."""
    return _read(folder).get(name)


def remember(folder: Path, name: str, value: bool) -> None:
    """Keep a choice; one that cannot be written is simply not remembered."""
    kept = _read(folder)
    kept[name[:_MAX_NAME]] = bool(value)
    try:
        privacy.write_private(folder / PREFERENCES_NAME, json.dumps(kept, sort_keys=True).encode("utf-8"))
    except OSError:
        pass
