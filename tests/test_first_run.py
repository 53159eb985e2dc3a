"""The first run: readable install progress (setup_env.sh, install_progress.py) and the link at the end.

pip runs for real here, offline: a failing install of a package that exists
nowhere, and a successful one of a small wheel built by the test, both
through the shell function run.sh uses. The whole first run needs the package
index and two minutes; it is tried by hand in a fresh clone.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from install_progress import condense, main, package_of
from tests.browser import LINK_LINE, journal_server

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)

# pip 26's own words from a real first run (abridged), with an index mirror's warnings.
PIP_OUTPUT = """\
Looking in indexes: https://pypi.org/simple, file:///opt/pypi/simple
WARNING: Location 'file:///opt/pypi/simple/streamlit/' is ignored: it is neither a file nor a directory.
Collecting streamlit==1.67.0 (from -r requirements.txt (line 1))
  Downloading streamlit-1.67.0-py3-none-any.whl.metadata (9.8 kB)
  Downloading streamlit-1.67.0-py3-none-any.whl (11.2 MB)
Collecting pillow-heif==1.8.1 (from -r requirements.txt (line 3))
  Downloading pillow_heif-1.8.1-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl (5.7 MB)
Processing /opt/pypi/files/numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl (from -r x)
Collecting click<9,>=7.0 (from streamlit==1.67.0->-r requirements.txt (line 1))
  Using cached click-8.5.1-py3-none-any.whl (126 kB)
Requirement already satisfied: packaging>=20 in ./.venv/lib/python3.11/site-packages (26.4)
Installing collected packages: numpy, click, pillow-heif, streamlit, a, b, c
Successfully installed a-1 b-1 c-1 click-8.5.1 numpy-2.4.6 pillow-heif-1.8.1 streamlit-1.67.0
"""


def test_pip_output_becomes_a_numbered_line_per_package() -> None:
    shown = list(condense(PIP_OUTPUT.splitlines(keepends=True)))
    assert shown == [
        ("out", f"    1  {'streamlit 1.67.0':<40} 11.2 MB"),
        ("out", f"    2  {'pillow-heif 1.8.1':<40} 5.7 MB"),
        ("out", f"    3  {'numpy 2.4.6':<40} from a file on this computer"),
        ("out", f"    4  {'click 8.5.1':<40} from the download cache"),
        ("out", "       installing 7 packages (about a minute)..."),
        ("out", "       installed 7 packages."),
    ]


def test_nothing_to_do_is_said_too() -> None:
    quiet = "Requirement already satisfied: pip in ./.venv/lib/python3.11/site-packages (26.3)\n"
    assert list(condense([quiet])) == [("out", "       already up to date.")]


def test_package_names_from_file_names() -> None:
    wheel = "vl_convert_python-1.9.0.post1-cp37-abi3-manylinux_2_17_x86_64.whl"
    assert package_of(wheel) == "vl-convert-python 1.9.0.post1"
    assert package_of("/somewhere/sqlite-fts4-1.0.3.tar.gz") == "sqlite-fts4 1.0.3"


def test_everything_pip_said_is_logged(tmp_path: Path) -> None:
    log = tmp_path / "install.log"
    shown = io.StringIO()
    assert main(["--log", str(log)], source=io.StringIO(PIP_OUTPUT), out=shown) == 0
    assert log.read_text() == PIP_OUTPUT
    assert "streamlit 1.67.0" in shown.getvalue() and "WARNING" not in shown.getvalue()


# --- real pip through the shell function run.sh uses ----------------------------------------------


def _offline_pip_env() -> dict[str, str]:
    """This machine's pip settings left out: only what the test passes counts."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["INSTALL_PYTHON"] = sys.executable
    return env


def _pip_with_progress(log: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    script = 'source ./setup_env.sh; pip_with_progress "$@"'
    return subprocess.run(
        ["bash", "-c", script, "pip_with_progress", str(log), *arguments],
        cwd=ROOT,
        env=_offline_pip_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _tiny_wheel(folder: Path) -> Path:
    """A pure-Python wheel, written by hand so the test needs no network."""
    files = {
        "hj_tiny/__init__.py": b"VALUE = 1\n",
        "hj_tiny-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: hj-tiny\nVersion: 1.0\n",
        "hj_tiny-1.0.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = "".join(
        f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for name, data in files.items()
    )
    files["hj_tiny-1.0.dist-info/RECORD"] = (record + "hj_tiny-1.0.dist-info/RECORD,,\n").encode()
    folder.mkdir()
    wheel = folder / "hj_tiny-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def test_a_real_install_shows_its_package_and_succeeds(tmp_path: Path) -> None:
    wheels = _tiny_wheel(tmp_path / "wheels").parent
    log = tmp_path / "install.log"
    target = tmp_path / "site"
    result = _pip_with_progress(log, "--no-index", "--find-links", str(wheels), "--target", str(target), "hj-tiny")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["1", "hj-tiny", "1.0", "from", "a", "file", "on", "this", "computer"]
    assert lines[-2:] == ["       installing 1 package...", "       installed 1 package."]
    assert (target / "hj_tiny" / "__init__.py").is_file()
    assert "Successfully installed hj-tiny-1.0" in log.read_text()


def test_a_failing_install_shows_pips_error_and_the_log_and_fails(tmp_path: Path) -> None:
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    log = tmp_path / "install.log"
    result = _pip_with_progress(log, "--no-index", "--find-links", str(empty), "hj-no-such-package")
    assert result.returncode == 1
    assert "ERROR: Could not find a version that satisfies the requirement hj-no-such-package" in result.stderr
    assert f"The setup failed. The installer's last words (all of them are in {log})" in result.stderr
    assert "No matching distribution found" in log.read_text()


# --- the end of the first run: the link ----------------------------------------------------------


def test_the_link_with_its_secret_is_the_last_thing_printed(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with journal_server(tmp_path / "journal", TODAY, log_path=log) as link:
        pass
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    (at,) = [number for number, line in enumerate(lines) if LINK_LINE.fullmatch(line)]
    assert lines[at] == link and "?code=" in link
    assert lines[at - 1] == "Healing Journal is running. Open it with this link:"
    after = lines[at + 1 :]
    assert after[0].startswith("The link opens the journal once, in one browser.")
    assert after[1] == "Stop the journal with Ctrl+C."
    assert not [line for line in after[1:] if "http" in line], "no other address after the link"
