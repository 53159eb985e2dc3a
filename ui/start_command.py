"""The command that starts the journal on a given folder, as this computer's system writes it."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path


def start_command(folder: Path, platform: str = sys.platform) -> str:
    """`python3 start.py --folder …` (`py start.py …` on Windows), the folder quoted for that system's shell."""
    if platform == "win32":
        return f"py start.py --folder {subprocess.list2cmdline([str(folder)])}"
    return f"python3 start.py --folder {shlex.quote(str(folder))}"
