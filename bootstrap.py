"""The work of start.py: make .venv, install into it with progress, then start the journal or the tests.

Standard library only (it runs before anything is installed), on Windows,
macOS and Linux alike. The choices that differ by system or by state are
plain functions, tested for each system's values (tests/test_start.py):
where the environment's Python lives (`venv_python`), what to install and in
which steps (`install_plan`), and what to say when a piece is missing
(start.py's messages). The rest carries them out.

- Setup: `.venv` is made with the Python running this file, then pip is
  updated and the requirements installed with `-c constraints.txt`, so every
  machine gets the versions the tests ran with. pip's output is condensed by
  install_progress.py to a line per package; all of it goes to
  .venv/install.log. A marker file (.venv/.installed, .installed-dev for the
  tests) newer than every requirements file means nothing is to be done.
- Nothing half-made is left: when a first setup fails or is stopped, .venv is
  removed again (its log is kept as install-failed.log), so the next start
  begins cleanly; pip's download cache makes that second try quick. A failed
  update keeps the working .venv and tries again at the next start.
- Then launch.py runs in .venv's Python, with every option but --demo and
  --folder FOLDER (both choose the journal's folder) as given. On Linux and
  macOS it replaces this process (os.execv), so Ctrl+C and the exit code
  reach the server directly; Windows has no exec, so the server
  is a child process: Ctrl+C reaches both, and this one waits for the server
  to finish stopping instead of leaving it behind.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import install_progress
import start

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
CONSTRAINTS = "constraints.txt"
FAILED_LOG = "install-failed.log"
# pip's own detailed log (--log): the only place it names an index that refused or could not be reached.
DETAILS_LOG = "pip-details.log"
_NOT_FETCHED = re.compile(r"Could not fetch URL (?P<url>\S+): (?P<reason>.+?) - skipping$", re.MULTILINE)
TAIL_LINES = 15
# The tests' system programs (Linux): Debian's Chromium for the browser tests,
# poppler's pdftoppm for the PDF tests, 7-Zip (7zz) for the backup tests,
# dicom3tools' dciodvfy (an independent DICOM validator) for the DICOM export's tests.
CHROMIUM = Path("/usr/bin/chromium")
TEST_PROGRAMS = ("pdftoppm", "7zz", "dciodvfy")
APT_PACKAGES = ("chromium", "poppler-utils", "7zip", "dicom3tools")


@dataclass(frozen=True)
class Requirements:
    """What one use of .venv needs: its marker and requirements files (the first is the one installed)."""

    marker: str
    files: tuple[str, ...]
    size: str

    @property
    def installed(self) -> str:
        return self.files[0]


APP = Requirements(".installed", ("requirements.txt",), "the app's alone: about 260 MB to download")
# requirements-dev.txt includes requirements.txt: a dev setup is an app setup too.
DEV = Requirements(".installed-dev", ("requirements-dev.txt", "requirements.txt"), "with the test tools")


@dataclass(frozen=True)
class Step:
    """One step of a setup: what it says, and the command (through the progress display when `pip`)."""

    says: str
    command: tuple[str, ...]
    pip: bool


# --- choices: plain functions of the system and the state ----------------------------------------


def venv_python(venv: Path, system: str) -> Path:
    """The environment's Python: .venv\\Scripts\\python.exe on Windows, .venv/bin/python elsewhere."""
    if system == "Windows":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def is_current(venv: Path, needs: Requirements, root: Path, system: str) -> bool:
    """True when .venv has its Python and a marker newer than every requirements file and the constraints."""
    marker = venv / needs.marker
    if not (venv_python(venv, system).exists() and marker.is_file()):
        return False  # exists() is False for a link whose Python was uninstalled
    stamped = marker.stat().st_mtime
    return all((root / name).stat().st_mtime <= stamped for name in (*needs.files, CONSTRAINTS))


def install_plan(venv: Path, needs: Requirements, system: str, *, make_venv: bool, launcher: str) -> list[Step]:
    """The steps of a setup: make .venv (first run only) with `launcher`, update pip, install the requirements."""
    python = str(venv_python(venv, system))
    pip = (python, "-m", "pip", "install", "--progress-bar", "off", "--log", str(venv / DETAILS_LOG))
    name = venv.name
    steps = [Step(f"Making a private Python environment in {name}", (launcher, "-m", "venv", str(venv)), False)]
    steps = steps if make_venv else []
    steps += [
        Step("Updating the installer (pip)", (*pip, "--upgrade", "pip", "-c", CONSTRAINTS), True),
        Step(
            f"Downloading and installing the packages in {needs.installed} ({needs.size})",
            (*pip, "-r", needs.installed, "-c", CONSTRAINTS),
            True,
        ),
    ]
    return [
        Step(f"[{number}/{len(steps)}] {step.says}", step.command, step.pip) for number, step in enumerate(steps, 1)
    ]


def index_problems(details: str) -> list[str]:
    """'URL: reason' for each package index page pip could not read (403, no connection, ...), first three."""
    found = [f"{match['url']}: {match['reason']}" for match in _NOT_FETCHED.finditer(details)]
    return list(dict.fromkeys(found))[:3]


def venv_missing_message(version: Sequence[int], system: str) -> str | None:
    """None when this Python can make a virtual environment with pip in it; else what to install."""
    # Debian and Ubuntu ship `venv` without `ensurepip` (package python3.X-venv),
    # and `python -m venv` then leaves a half-made .venv behind: asked first.
    if importlib.util.find_spec("venv") and importlib.util.find_spec("ensurepip"):
        return None
    return _no_venv(version, system)


def _version() -> tuple[int, int]:
    return sys.version_info.major, sys.version_info.minor


def _no_venv(version: Sequence[int], system: str) -> str:
    release = start.os_release() if system == "Linux" else {}
    return start.no_venv_message(tuple(version), system, release)


def needs_test_programs(system: str) -> bool:
    """True on Linux when Chromium, pdftoppm, 7zz or dciodvfy is missing (the tests need them and fail without)."""
    if system != "Linux":
        return False
    return not CHROMIUM.exists() or not all(shutil.which(name) for name in TEST_PROGRAMS)


def apt_commands(as_root: bool) -> list[list[str]]:
    sudo = [] if as_root else ["sudo"]
    return [
        [*sudo, "apt-get", "update", "-qq"],
        [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", *APT_PACKAGES],
    ]


def lint_commands(python: Path) -> list[tuple[str, list[str]]]:
    """The linters, in order; mypy takes its files from pyproject.toml's [tool.mypy]."""
    return [
        ("ruff check", [str(python), "-m", "ruff", "check", "--quiet", "."]),
        ("ruff format --check", [str(python), "-m", "ruff", "format", "--check", "--quiet", "."]),
        ("mypy", [str(python), "-m", "mypy"]),
    ]


def pytest_command(python: Path, options: Sequence[str]) -> list[str]:
    # Two workers (pytest-xdist), each taking whole test files, so a module's
    # shared journal or server is built once; `-n 0` in the options runs serially.
    # The files go out in the order of the items, longest first (tests/file_order.py),
    # not in xdist's own order (most tests first, which leaves the long browser files to the end).
    return [str(python), "-m", "pytest", "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder", *options]


# --- carrying them out ---------------------------------------------------------------------------


class SetupFailed(Exception):
    """The setup stopped; the message says why and what to do."""


def say(text: str) -> None:
    print(text, flush=True)


def complain(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def pip_with_progress(command: Sequence[str], log: Path, env: dict[str, str] | None = None) -> bool:
    """Run `pip install ...`, showing a line per package and appending all it says to `log`; True if it worked."""
    pip_env = {**(env if env is not None else os.environ), "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        list(command),
        cwd=ROOT,
        env=pip_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        encoding="utf-8",
        errors="replace",
    )
    try:
        assert process.stdout is not None
        install_progress.main(["--log", str(log)], source=process.stdout)
    finally:
        # Also when stopped with Ctrl+C: pip got it as well; it is waited for
        # so that nothing still writes into .venv while it is removed.
        status = process.wait()
    return status == 0


def _tail(log: Path) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-TAIL_LINES:])
    except OSError:
        return "(no log)"


def remove_tree(path: Path) -> None:
    """Remove a folder, also where Windows marks a file read-only."""

    def writable_again(function: Callable[..., object], name: str, *_: object) -> None:
        os.chmod(name, stat.S_IWRITE)  # on Windows a read-only file cannot be deleted
        function(name)

    if not path.exists():
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=writable_again)
    else:
        shutil.rmtree(path, onerror=writable_again)


def set_up(needs: Requirements, system: str) -> None:
    """Make or update .venv for `needs` unless it is current; raises SetupFailed with the reason."""
    if is_current(VENV, needs, ROOT, system):
        return
    python = venv_python(VENV, system)
    fresh = not _venv_works(python)
    if fresh:
        problem = venv_missing_message(_version(), system)
        if problem:
            raise SetupFailed(problem)  # asked before anything is made
        remove_tree(VENV)  # a .venv whose Python is gone or broken is made again
        say("Setting up Healing Journal (first run, about 2 minutes)...")
    else:
        say("Updating Healing Journal's packages (about a minute)...")
    try:
        _carry_out(install_plan(VENV, needs, system, make_venv=fresh, launcher=sys.executable), system)
    except SetupFailed as failure:
        where = _undo_first_setup() if fresh else VENV / "install.log"
        raise SetupFailed(f"{failure}\n{_kept(where, fresh)}") from None
    except KeyboardInterrupt:
        if fresh:
            complain(_kept(_undo_first_setup(), fresh))
        raise
    (VENV / needs.marker).touch()
    if needs is DEV:
        (VENV / APP.marker).touch()
    (ROOT / FAILED_LOG).unlink(missing_ok=True)
    say("Setup finished.")


def _venv_works(python: Path) -> bool:
    if not python.exists():
        return False
    check = subprocess.run([str(python), "-c", "import pip"], capture_output=True, stdin=subprocess.DEVNULL)
    return check.returncode == 0


def _carry_out(steps: Sequence[Step], system: str) -> None:
    log = VENV / "install.log"
    _start_logs()
    for step in steps:
        say(step.says)
        if not step.pip:
            made = subprocess.run(step.command, cwd=ROOT, stdin=subprocess.DEVNULL)
            if made.returncode != 0:
                raise SetupFailed(_no_venv(_version(), system))  # venv said why, above
            _start_logs()
            continue
        if not pip_with_progress(step.command, log):
            raise SetupFailed(_failure(log))


def _start_logs() -> None:
    """Empty logs in .venv, once it exists: a failure is explained by this setup's words alone."""
    if VENV.is_dir():
        (VENV / "install.log").write_text("", encoding="utf-8")
        (VENV / DETAILS_LOG).unlink(missing_ok=True)


def _failure(log: Path) -> str:
    """Why the install failed: the index pages pip could not read, if any, then pip's last words."""
    try:
        problems = index_problems((VENV / DETAILS_LOG).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        problems = []
    why = ""
    if problems:
        why = "The package index could not be read (is this computer online?):\n" + "\n".join(
            f"  {problem}" for problem in problems
        )
        why += "\n"
    return f"The setup failed. {why}The installer's last words:\n{_tail(log)}"


def _undo_first_setup() -> Path:
    """Remove the half-made .venv, keeping its logs in one file beside start.py; that file."""
    logs = [VENV / "install.log", VENV / DETAILS_LOG]
    said = "".join(path.read_text(encoding="utf-8", errors="replace") for path in logs if path.is_file())
    (ROOT / FAILED_LOG).write_text(said, encoding="utf-8")
    remove_tree(VENV)
    return ROOT / FAILED_LOG


def _kept(log: Path, fresh: bool) -> str:
    if fresh:
        return f"Nothing was left half-made: .venv is removed, and the next start begins afresh. The full log: {log}"
    return f"The journal's packages are as before; the next start tries again. The full log: {log}"


def hand_over(command: Sequence[str], system: str, env: dict[str, str] | None = None) -> int:
    """Run `command` in place of this process and return its exit code (on POSIX it never returns)."""
    sys.stdout.flush()
    sys.stderr.flush()
    if system != "Windows":
        _exec(command, env)
    process = subprocess.Popen(list(command), cwd=ROOT, env=env)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            continue  # the server got the same Ctrl+C and is stopping: wait for it


def _exec(command: Sequence[str], env: dict[str, str] | None) -> NoReturn:
    if env is None:
        os.execv(command[0], list(command))
    os.execve(command[0], list(command), env)


def demo_environment(python: Path) -> dict[str, str]:
    """The environment for `--demo`: JOURNAL_DATA_DIR on the demo journal, made if missing."""
    folder = (
        os.environ.get("JOURNAL_DEMO_DIR")
        or subprocess.run(
            [str(python), "-m", "demo", "--print-folder"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    made = subprocess.run([str(python), "-m", "demo", "--folder", folder, "--if-missing"], cwd=ROOT)
    if made.returncode != 0:
        raise SetupFailed("The demo journal could not be made; the reason is above.")
    return {**os.environ, "JOURNAL_DATA_DIR": folder}


def folder_option(options: Sequence[str]) -> tuple[str | None, list[str]]:
    """(the FOLDER of `--folder FOLDER` or `--folder=FOLDER`, the other options)."""
    folder, rest = None, []
    taking = False
    for option in options:
        if taking:
            folder, taking = option, False
        elif option == "--folder":
            taking = True
        elif option.startswith("--folder="):
            folder = option.split("=", 1)[1]
        else:
            rest.append(option)
    if taking:
        raise SetupFailed("--folder needs the journal's folder after it, e.g. --folder ~/restored-journal")
    return folder, rest


def start_journal(options: list[str], system: str) -> int:
    folder, options = folder_option(options)
    set_up(APP, system)
    python = venv_python(VENV, system)
    env = None
    if "--demo" in options:
        options = [option for option in options if option != "--demo"]
        env = demo_environment(python)
    elif folder is not None:
        env = {**os.environ, "JOURNAL_DATA_DIR": str(Path(folder).expanduser().absolute())}
    say("Starting Healing Journal (a few seconds)...")
    return hand_over([str(python), str(ROOT / "launch.py"), *options], system, env)


def run_tests(options: list[str], system: str) -> int:
    set_up(DEV, system)
    if needs_test_programs(system):
        _install_test_programs()
    python = venv_python(VENV, system)
    # The linters first: any finding stops the run before the tests.
    for name, command in lint_commands(python):
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            complain(f"start.py --test: {name} failed (its findings are above); the tests did not run.")
            return 1
    return hand_over(pytest_command(python, options), system)


def _install_test_programs() -> None:
    say("Installing Chromium, poppler-utils, 7-Zip and dicom3tools for the tests (apt-get, a minute or two)...")
    for command in apt_commands(as_root=os.geteuid() == 0):
        if subprocess.run(command, stdout=subprocess.DEVNULL).returncode != 0:
            raise SetupFailed(
                f"`{' '.join(command)}` failed; the browser, PDF, backup and DICOM tests need these programs."
            )


def _arguments(argv: list[str]) -> tuple[bool, list[str]]:
    """(tests?, the options passed on): `--test` first runs the tests, `-h` shows the usage."""
    if argv[:1] in (["-h"], ["--help"]):
        argparse.ArgumentParser(
            prog="start.py", description=start.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        ).print_help()
        raise SystemExit(0)
    if argv[:1] == ["--test"]:
        return True, argv[1:]
    return False, argv


def main(argv: list[str]) -> int:
    system = platform.system()
    testing, options = _arguments(argv)
    os.chdir(ROOT)  # launch.py, the linters and pytest work from this folder
    try:
        return run_tests(options, system) if testing else start_journal(options, system)
    except SetupFailed as failure:
        complain(str(failure))
        return 1
    except KeyboardInterrupt:
        complain("Stopped.")
        return 130
