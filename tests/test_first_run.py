"""The first run: readable install progress (bootstrap.py, install_progress.py) and the link at the end.

pip runs for real here: offline, a failing install of a package that exists
nowhere and a successful one of a small wheel built by the test, through the
launcher's progress display; a first run against a package index that
refuses, which must leave no .venv behind and say why; and the whole first
run of a fresh clone through start.py with an empty home folder, from the
package index this machine's pip is set up with (its download cache is
shared, so only the first run on a machine downloads), ending in Chromium on
the printed link. `bash run.sh` is checked as its wrapper on the same clone.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.server
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import bootstrap
from install_progress import condense, main, package_of
from tests.browser import LINK_LINE, base_of, free_port, health, journal_server, printed_link

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


# --- real pip through the launcher's progress display ---------------------------------------------


def _offline_pip_env() -> dict[str, str]:
    """This machine's pip settings left out: only what the test passes counts."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _pip_with_progress(log: Path, *arguments: str) -> bool:
    command = [sys.executable, "-m", "pip", "install", "--progress-bar", "off", *arguments]
    return bootstrap.pip_with_progress(command, log, _offline_pip_env())


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


def test_a_real_install_shows_its_package_and_succeeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheels = _tiny_wheel(tmp_path / "wheels").parent
    log = tmp_path / "install.log"
    target = tmp_path / "site"
    assert _pip_with_progress(log, "--no-index", "--find-links", str(wheels), "--target", str(target), "hj-tiny")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["1", "hj-tiny", "1.0", "from", "a", "file", "on", "this", "computer"]
    assert lines[-2:] == ["       installing 1 package...", "       installed 1 package."]
    assert (target / "hj_tiny" / "__init__.py").is_file()
    assert "Successfully installed hj-tiny-1.0" in log.read_text()


def test_a_failing_install_shows_pips_error_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    log = tmp_path / "install.log"
    assert not _pip_with_progress(log, "--no-index", "--find-links", str(empty), "hj-no-such-package")
    error = capsys.readouterr().err
    assert "ERROR: Could not find a version that satisfies the requirement hj-no-such-package" in error
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


# --- a first run through start.py ------------------------------------------------------------------

# The files a first run needs, as a fresh clone has them (git's list, the work tree's contents).
CLONE_TIMEOUT_S = 420


def _fresh_clone(target: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _patient_env(home: Path, **pip: str) -> dict[str, str]:
    """An empty home folder and no journal settings: where a patient starts."""
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "PIP_CERT", "SSL_CERT_FILE")
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(HOME=str(home), PYTHONUNBUFFERED="1", **pip)
    return env


class _RefusingIndex(http.server.BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self) -> None:
        _RefusingIndex.asked.append(self.path)
        self.send_error(403, "Forbidden")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_index() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RefusingIndex)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple"
    finally:
        server.shutdown()
        server.server_close()


def test_a_refusing_package_index_leaves_no_venv_and_says_why(tmp_path: Path, refusing_index: str) -> None:
    clone = _fresh_clone(tmp_path / "clone")
    (tmp_path / "home").mkdir()
    env = _patient_env(
        tmp_path / "home",
        PIP_CONFIG_FILE=os.devnull,  # this machine's mirrors and wheel folders left out
        PIP_INDEX_URL=refusing_index,
        PIP_CACHE_DIR=str(tmp_path / "pip-cache"),
        PIP_RETRIES="0",
        PIP_TIMEOUT="10",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    result = subprocess.run(
        [sys.executable, "start.py"], cwd=clone, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert _RefusingIndex.asked, "pip never asked the index"
    assert "[1/3] Making a private Python environment in .venv" in result.stdout
    assert "Setup finished." not in result.stdout and "Starting" not in result.stdout
    assert "The setup failed. The package index could not be read (is this computer online?):\n" in result.stderr
    assert f"{refusing_index}/pip/: 403 Client Error: Forbidden" in result.stderr  # why, in pip's words
    assert "The installer's last words:\n" in result.stderr
    assert result.stderr.endswith(
        "Nothing was left half-made: .venv is removed, and the next start begins afresh. "
        f"The full log: {clone / 'install-failed.log'}\n"
    )
    assert not (clone / ".venv").exists()
    assert "403" in (clone / "install-failed.log").read_text()
    assert not (tmp_path / "home" / ".local").exists(), "no journal folder before the journal starts"


def _start(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )


def _wait_for_link(process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        output = log.read_text(errors="replace")
        link = printed_link(output)
        if link and health(base_of(link)) == "ok":
            return link
        assert process.poll() is None, f"exited with {process.returncode}:\n{output[-4000:]}"
        time.sleep(0.5)
    raise AssertionError(f"no working link within {timeout_s} s:\n{log.read_text(errors='replace')[-4000:]}")


def _ctrl_c(process: subprocess.Popen[bytes]) -> int:
    """Ctrl+C as a terminal sends it (SIGINT to the foreground group); the exit status."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise AssertionError("Ctrl+C did not stop the journal within 30 s") from None


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh clone, started for the first time through start.py; yields (clone, env) once it has stopped."""
    folder = tmp_path_factory.mktemp("first-run")
    clone = _fresh_clone(folder / "clone")
    home = folder / "home"
    home.mkdir()
    # This machine's pip settings and download cache: the index the patient's pip would use.
    cache = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    pip = {key: value for key, value in os.environ.items() if key.startswith("PIP_")}
    env = _patient_env(home, **{**pip, "PIP_CACHE_DIR": cache})
    yield clone, env


def test_a_fresh_clone_starts_through_start_py_and_opens_in_chromium(first_run, chromium) -> None:
    clone, env = first_run
    log = clone.parent / "first-run.log"
    port = free_port()
    process = _start(
        [sys.executable, "start.py", "--server.port", str(port), "--server.headless", "true"], clone, env, log
    )
    try:
        link = _wait_for_link(process, log, CLONE_TIMEOUT_S)
        output = log.read_text()
        assert output.startswith("Setting up Healing Journal (first run, about 2 minutes)...\n")
        assert "Setup finished.\nStarting Healing Journal (a few seconds)...\n" in output
        assert (clone / ".venv" / "install.log").is_file() and (clone / ".venv" / ".installed").is_file()
        folder = Path(env["HOME"]) / ".local" / "share" / "HealingJournal"  # the per-user data folder (Linux)
        assert f"Healing Journal keeps this journal in {folder}" in output
        page = chromium.new_page()
        try:
            page.goto(link)
            page.get_by_role("heading", name="Healing Journal", exact=True).wait_for(timeout=60_000)
        finally:
            page.close()
    finally:
        status = _ctrl_c(process)
    assert status in (0, 1, -signal.SIGINT), log.read_text()[-2000:]
    assert health(base_of(link)) is None, "the server still answers after Ctrl+C"
    assert not (folder / ".journal-server.json").exists(), "the server's link file outlived it"


def test_bash_run_sh_starts_the_same_way_without_setting_up_again(first_run) -> None:
    clone, env = first_run
    if not (clone / ".venv" / ".installed").is_file():
        pytest.fail("the first run through start.py did not finish its setup", pytrace=False)
    log = clone.parent / "run-sh.log"
    process = _start(
        ["bash", "run.sh", "--server.headless", "true", "--server.port", str(free_port())], clone, env, log
    )
    try:
        link = _wait_for_link(process, log, 120)
    finally:
        _ctrl_c(process)
    output = log.read_text()
    assert output.startswith("Starting Healing Journal (a few seconds)...\n") and link in output
