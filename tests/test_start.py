"""The launcher's choices for each system (start.py, bootstrap.py), as plain functions, and its guards.

Windows, macOS and Linux are told apart by `platform.system()`'s values
("Windows", "Darwin", "Linux") and Linux distributions by /etc/os-release,
so every choice is asked here with each system's values on this machine.
The end-to-end first run through start.py is in tests/test_first_run.py.
"""

from __future__ import annotations

import ast
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

import bootstrap
import start
from ui.start_command import start_command

ROOT = Path(__file__).resolve().parent.parent
DEBIAN = {"ID": "debian", "VERSION_ID": "12"}
UBUNTU = {"ID": "ubuntu", "ID_LIKE": "debian", "VERSION_ID": "22.04"}
MINT = {"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}
FEDORA = {"ID": "fedora", "VERSION_ID": "40"}
ROCKY = {"ID": "rocky", "ID_LIKE": "rhel centos fedora"}
ARCH = {"ID": "arch"}


# --- where the environment's Python lives ----------------------------------------------------------


def test_the_venv_python_is_in_scripts_on_windows_and_in_bin_elsewhere() -> None:
    venv = Path("project") / ".venv"
    assert bootstrap.venv_python(venv, "Windows") == venv / "Scripts" / "python.exe"
    assert PureWindowsPath(bootstrap.venv_python(venv, "Windows")).name == "python.exe"
    assert bootstrap.venv_python(venv, "Darwin") == venv / "bin" / "python"
    assert bootstrap.venv_python(venv, "Linux") == venv / "bin" / "python"


# --- the install plan ------------------------------------------------------------------------------


@pytest.mark.parametrize("system", ["Windows", "Darwin", "Linux"])
def test_a_first_setup_makes_the_venv_then_updates_pip_then_installs(system: str) -> None:
    venv = Path("/somewhere/.venv")
    python = str(bootstrap.venv_python(venv, system))
    steps = bootstrap.install_plan(venv, bootstrap.APP, system, make_venv=True, launcher="/usr/bin/python3")
    assert [step.says.split("]")[0] + "]" for step in steps] == ["[1/3]", "[2/3]", "[3/3]"]
    assert steps[0].command == ("/usr/bin/python3", "-m", "venv", str(venv)) and not steps[0].pip
    pip = (python, "-m", "pip", "install", "--progress-bar", "off", "--log", str(venv / "pip-details.log"))
    assert steps[1].command == (*pip, "--upgrade", "pip", "-c", "constraints.txt")
    assert steps[2].command[-4:] == ("-r", "requirements.txt", "-c", "constraints.txt")
    assert steps[2].command[: len(pip)] == pip and steps[1].pip and steps[2].pip
    assert "260 MB" in steps[2].says


def test_an_update_keeps_the_venv_and_the_tests_install_the_dev_requirements() -> None:
    steps = bootstrap.install_plan(Path(".venv"), bootstrap.DEV, "Linux", make_venv=False, launcher="python3")
    assert [step.says[:5] for step in steps] == ["[1/2]", "[2/2]"]
    assert "venv" not in steps[0].command[1:3]
    assert steps[1].command[-4:] == ("-r", "requirements-dev.txt", "-c", "constraints.txt")


def _stamped(root: Path, system: str, *, marker_age: float, requirements_age: float) -> bool:
    venv = root / ".venv"
    python = bootstrap.venv_python(venv, system)
    python.parent.mkdir(parents=True, exist_ok=True)
    python.write_text("")
    now = 1_800_000_000.0
    for name, age in (
        ("requirements.txt", requirements_age),
        ("constraints.txt", 100.0),
        (".venv/.installed", marker_age),
    ):
        (root / name).write_text("")
        os.utime(root / name, (now - age, now - age))
    return bootstrap.is_current(venv, bootstrap.APP, root, system)


@pytest.mark.parametrize("system", ["Windows", "Darwin", "Linux"])
def test_the_marker_must_be_newer_than_the_requirements_and_the_constraints(tmp_path: Path, system: str) -> None:
    assert _stamped(tmp_path / "a", system, marker_age=10, requirements_age=50)
    assert not _stamped(tmp_path / "b", system, marker_age=60, requirements_age=50)  # requirements changed since
    assert not _stamped(tmp_path / "c", system, marker_age=200, requirements_age=300)  # constraints changed since


def test_no_marker_or_no_python_means_setting_up(tmp_path: Path) -> None:
    for name in ("requirements.txt", "constraints.txt"):
        (tmp_path / name).write_text("")
    venv = tmp_path / ".venv"
    venv.mkdir()
    (venv / ".installed").write_text("")
    assert not bootstrap.is_current(venv, bootstrap.APP, tmp_path, "Linux")  # no .venv/bin/python
    (venv / "bin").mkdir()
    (venv / "bin" / "python").symlink_to(tmp_path / "an-uninstalled-python")
    assert not bootstrap.is_current(venv, bootstrap.APP, tmp_path, "Linux")


def test_the_tests_need_chromium_poppler_7zip_and_dicom3tools_on_linux_only() -> None:
    assert not bootstrap.needs_test_programs("Windows") and not bootstrap.needs_test_programs("Darwin")
    assert bootstrap.apt_commands(as_root=True)[1][-4:] == ["chromium", "poppler-utils", "7zip", "dicom3tools"]
    assert [command[0] for command in bootstrap.apt_commands(as_root=False)] == ["sudo", "sudo"]


def test_the_index_pages_pip_could_not_read_are_named_once() -> None:
    details = (
        "2026-12-06T17:50:25,007 Could not fetch URL http://127.0.0.1:8/simple/pip/: 403 Client Error: Forbidden"
        " for url: http://127.0.0.1:8/simple/pip/ - skipping\n"
        "2026-12-06T17:50:25,330 Could not fetch URL https://pypi.org/simple/numpy/: connection error:"
        " [Errno 111] Connection refused - skipping\n"
    )
    assert bootstrap.index_problems(details + details) == [
        "http://127.0.0.1:8/simple/pip/: 403 Client Error: Forbidden for url: http://127.0.0.1:8/simple/pip/",
        "https://pypi.org/simple/numpy/: connection error: [Errno 111] Connection refused",
    ]
    assert bootstrap.index_problems("Successfully installed hj-tiny-1.0\n") == []


def test_the_linters_run_in_order_before_pytest_on_two_workers() -> None:
    python = Path(".venv/bin/python")
    assert [name for name, _ in bootstrap.lint_commands(python)] == ["ruff check", "ruff format --check", "mypy"]
    assert bootstrap.pytest_command(python, ["-k", "x"])[1:] == [
        "-m",
        "pytest",
        "-n",
        "2",
        "--dist",
        "loadfile",
        "--no-loadscope-reorder",
        "-k",
        "x",
    ]


# --- what to install when a piece is missing -------------------------------------------------------


def test_linux_distributions_by_family() -> None:
    assert [start.linux_family(release) for release in (DEBIAN, UBUNTU, MINT)] == ["debian"] * 3
    assert [start.linux_family(release) for release in (FEDORA, ROCKY)] == ["fedora"] * 2
    assert start.linux_family(ARCH) == start.linux_family({}) == ""


def test_os_release_is_read_with_its_quotes_and_comments(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    release.write_text('# a comment\nNAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n\nVERSION_ID="22.04"\n')
    assert start.os_release(str(release)) == {
        "NAME": "Ubuntu",
        "ID": "ubuntu",
        "ID_LIKE": "debian",
        "VERSION_ID": "22.04",
    }
    assert start.os_release(str(tmp_path / "missing")) == {}


def test_too_old_a_python_is_told_what_to_install_on_each_system() -> None:
    old = (3, 10, 12)
    windows = start.too_old_message(old, "Windows", {})
    assert windows.startswith("This is Python 3.10; Healing Journal needs Python 3.11 or newer.")
    assert "https://www.python.org/downloads/" in windows and "py start.py" in windows
    mac = start.too_old_message((3, 9), "Darwin", {})
    assert "This is Python 3.9" in mac and "macOS installer" in mac and "python3 start.py" in mac
    for release in (DEBIAN, UBUNTU, MINT):
        assert "sudo apt install python3.11 python3.11-venv" in start.too_old_message(old, "Linux", release)
    for release in (FEDORA, ROCKY):
        assert "sudo dnf install python3.11" in start.too_old_message(old, "Linux", release)
    assert "package manager" in start.too_old_message(old, "Linux", ARCH)


def test_a_python_without_venv_is_told_which_package_brings_it() -> None:
    assert "sudo apt install python3.11-venv" in start.no_venv_message((3, 11), "Linux", DEBIAN)
    assert "sudo apt install python3.12-venv" in start.no_venv_message((3, 12, 3), "Linux", UBUNTU)
    assert "sudo dnf install python3.12" in start.no_venv_message((3, 12), "Linux", FEDORA)
    assert "python.org" in start.no_venv_message((3, 12), "Windows", {})
    assert "macOS installer" in start.no_venv_message((3, 12), "Darwin", {})


def test_no_python_at_all_is_told_what_to_install_on_each_system() -> None:
    assert start.no_python_message("Linux", UBUNTU).endswith("Install it with: sudo apt install python3 python3-venv.")
    assert start.no_python_message("Linux", FEDORA).endswith("Install it with: sudo dnf install python3.")
    assert "package manager" in start.no_python_message("Linux", ARCH)
    assert "https://www.python.org/downloads/" in start.no_python_message("Darwin", {})


def test_this_python_can_make_a_venv() -> None:
    assert bootstrap.venv_missing_message((3, 11), platform.system()) is None


# --- the guards, run for real ----------------------------------------------------------------------


def test_start_py_reads_as_python_3_4() -> None:
    """Any Python a patient may have first on the PATH must get as far as the version check."""
    source = (ROOT / "start.py").read_text()
    ast.parse(source, feature_version=(3, 4))
    assert not re.search(r"\bf[\"']", source), "no f-strings: older Pythons cannot read them"


def _old_pythons() -> list[tuple[str, tuple[int, int]]]:
    """Pythons older than 3.11 on this machine (PATH, pyenv) with their versions, to run start.py with."""
    names = [f"python3.{minor}" for minor in range(6, 11)]
    candidates = [path for path in map(shutil.which, names) if path]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += [str(path) for path in sorted(pyenv.glob("3.*/bin/python"))]
    found = []
    for candidate in candidates:
        # Run as start.py will be, without a PATH: a stub (pyenv's shims are scripts) does not count.
        asked = _run([candidate, "-c", "import sys; print('%d %d' % sys.version_info[:2])"], "/nonexistent", ROOT)
        if asked.returncode == 0:
            major, minor = map(int, asked.stdout.split())
            if (major, minor) < (3, 11):
                found.append((candidate, (major, minor)))
    return found


def _run(command: list[str], path: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path, "LANG": "C.UTF-8"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_an_old_python_says_what_to_install_and_makes_nothing(tmp_path: Path) -> None:
    old = _old_pythons()
    if not old:
        pytest.skip("no Python older than 3.11 on this machine to try start.py with")
    empty = tmp_path / "no-programs"
    empty.mkdir()
    for python, version in old:
        result = _run([python, str(ROOT / "start.py"), "--demo"], str(empty), tmp_path)
        assert result.returncode == 1, result.stderr
        expected = start.too_old_message(version, platform.system(), start.os_release())
        assert result.stderr == expected + "\n" and result.stdout == ""
    assert list(tmp_path.iterdir()) == [empty]


def test_an_old_python_hands_over_to_a_newer_one_on_the_path(tmp_path: Path) -> None:
    old = _old_pythons()
    if not old:
        pytest.skip("no Python older than 3.11 on this machine to try start.py with")
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "python3.11").symlink_to(sys.executable)
    result = _run([old[0][0], str(ROOT / "start.py"), "--help"], str(bin_folder), tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.match(r"This is Python 3\.\d+; using .*/bin/python3\.11 instead\.\nusage: start\.py", result.stdout)


def test_run_sh_without_any_python_says_what_to_install() -> None:
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "run.sh"), "--demo"],
        env={"PATH": "/nonexistent"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    # The same words as start.py's, for this system (run.sh repeats them in bash).
    assert result.stderr == start.no_python_message(platform.system(), start.os_release()) + "\n"


def test_the_server_is_a_child_on_windows_and_its_exit_code_is_passed_on() -> None:
    """Windows has no exec: Ctrl+C reaches both processes, and the launcher waits for the server."""
    script = (
        "import os, signal, sys, threading, bootstrap\n"
        "threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "child = [sys.executable, '-c', 'import time; time.sleep(2); raise SystemExit(5)']\n"
        "print(bootstrap.hand_over(child, 'Windows'))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout == "5\n", result.stderr


def test_on_linux_and_macos_the_launcher_becomes_the_server() -> None:
    script = (
        "import os, sys, bootstrap\n"
        "bootstrap.hand_over([sys.executable, '-c', 'import os; print(os.getpid()); raise SystemExit(4)'], 'Linux')\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 4 and out.strip() == str(process.pid)  # the same process: signals reach it


# --- --folder: a journal in another folder (a restored backup) -----------------------------------


def test_the_folder_option_is_taken_out_of_the_launch_options() -> None:
    assert bootstrap.folder_option(["--folder", "/x y", "--server.headless", "true"]) == (
        "/x y",
        ["--server.headless", "true"],
    )
    assert bootstrap.folder_option(["--folder=/a"]) == ("/a", [])
    assert bootstrap.folder_option(["--server.port", "9"]) == (None, ["--server.port", "9"])
    with pytest.raises(bootstrap.SetupFailed, match="--folder needs the journal's folder"):
        bootstrap.folder_option(["--folder"])


@pytest.mark.parametrize(
    ("platform", "folder", "expected"),
    [
        ("linux", "/home/ann/restored journal", "python3 start.py --folder '/home/ann/restored journal'"),
        ("darwin", "/Users/ann/j", "python3 start.py --folder /Users/ann/j"),
        ("win32", r"C:\Users\Ann\restored journal", r'py start.py --folder "C:\Users\Ann\restored journal"'),
    ],
)
def test_the_restore_page_names_the_start_command_of_this_system(platform: str, folder: str, expected: str) -> None:
    assert start_command(Path(folder), platform) == expected
