"""Programs from Debian packages that some tests run (test.sh installs them with apt-get)."""

from __future__ import annotations

import os
import shutil

import pytest


def find_program(*names: str, package: str) -> str:
    """The path of the first of `names` on the PATH. Missing: the test fails in CI (a check
    that did not run must not pass) and is skipped on a developer's machine."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{names[0]} (Debian package {package}) is not installed; test.sh installs it"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def require_programs(*names: str, package: str) -> None:
    """Fail, never skip, unless every one of `names` is on the PATH."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: apt-get install {package} (test.sh does).", pytrace=False)
