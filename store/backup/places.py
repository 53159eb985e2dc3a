"""Where the page proposes to save a backup, and under which name.

The app runs on the patient's own computer, so a backup can be written
straight into one of their folders instead of passing through the browser.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

# The browser download holds the whole file in the app's memory: Streamlit keeps
# a download button's data in its in-memory media store for the session, beside
# the prepared bytes. Up to this size that stays well within the 300 MB the app
# allows itself for a backup (benchmarks/backup.py); larger backups are saved
# into a folder only. Uploads hit the same wall (Streamlit holds them in memory):
# server.maxUploadSize in .streamlit/config.toml is this limit in MB, and larger
# backups are restored from a file path.
DOWNLOAD_LIMIT = 100 * 1024 * 1024


def default_backup_folder() -> Path:
    """The patient's Documents folder when there is one, else their home folder."""
    import platformdirs

    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()


def new_backup_path(folder: Path, today: dt.date) -> Path:
    """A file name in `folder` that does not exist yet: healing-journal-backup-DATE.zip, -2, -3..."""
    base = f"healing-journal-backup-{today.isoformat()}"
    candidate, number = folder / f"{base}.zip", 2
    while candidate.exists():
        candidate = folder / f"{base}-{number}.zip"
        number += 1
    return candidate


def fits_download(size: int) -> bool:
    return size <= DOWNLOAD_LIMIT
