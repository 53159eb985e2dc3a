"""Set up and start Healing Journal, the same way on Windows, macOS and Linux.

    py start.py [--demo | --folder FOLDER] [launch options]        (Windows; or double-click start.py)
    python3 start.py [--demo | --folder FOLDER] [launch options]   (macOS and Linux; `bash run.sh` is the same)
    python3 start.py --test [pytest options]     (linters and tests; `bash test.sh` is the same)

The first start makes a private Python environment in .venv and installs the
app's packages into it, showing each package as it arrives; every later start
goes straight to the journal and prints the link that opens it. `--folder`
opens the journal in FOLDER (a restored backup, say) instead of the per-user
data folder. Other options go to launch.py unchanged (`--server.headless true`, ...).

This file only checks that the Python running it is new enough, and says what
to install when it is not: it is written so that any Python 3 (and 2.7) can
read it, because a patient's computer may have an old one first on its PATH.
The work is done by bootstrap.py, with the standard library alone.
"""

import os
import sys

MINIMUM = (3, 11)
PYTHON_ORG = "https://www.python.org/downloads/"
NEWER_PYTHONS = ("python3.14", "python3.13", "python3.12", "python3.11")


def os_release(path="/etc/os-release"):
    # type: (str) -> dict[str, str]
    """The Linux distribution's KEY=value pairs (ID, ID_LIKE, ...); empty when unknown."""
    values = {}
    try:
        with open(path) as lines:
            for line in lines:
                key, sep, value = line.strip().partition("=")
                if sep and key and not key.startswith("#"):
                    values[key] = value.strip().strip("\"'")
    except (IOError, OSError):
        pass
    return values


def linux_family(release):
    # type: (dict[str, str]) -> str
    """'debian' (Debian, Ubuntu, Mint, ...), 'fedora' (Fedora, RHEL, ...) or '' for another or unknown one."""
    names = (release.get("ID", "") + " " + release.get("ID_LIKE", "")).lower().split()
    if "debian" in names or "ubuntu" in names:
        return "debian"
    if "fedora" in names or "rhel" in names or "centos" in names:
        return "fedora"
    return ""


def _installer(system):
    # type: (str) -> str
    if system == "Windows":
        return (
            "Install Python 3.12 from " + PYTHON_ORG + " (the Windows installer; it brings the `py` command), "
            "then run `py start.py` again."
        )
    return "Install Python 3.12 from " + PYTHON_ORG + " (the macOS installer), then run `python3 start.py` again."


def no_python_message(system, release):
    # type: (str, dict[str, str]) -> str
    """What to do on a computer without any Python 3 (said by run.sh, whose text must stay the same)."""
    family = linux_family(release) if system == "Linux" else ""
    if family == "debian":
        need = "it with: sudo apt install python3 python3-venv"
    elif family == "fedora":
        need = "it with: sudo dnf install python3"
    elif system == "Linux":
        need = "Python 3.11 or newer with your system's package manager"
    else:
        need = "Python 3.12 from " + PYTHON_ORG
    return "Healing Journal needs Python 3.11 or newer and this computer has no python3. Install " + need + "."


def too_old_message(version, system, release):
    # type: (tuple[int, ...], str, dict[str, str]) -> str
    """What to do when the Python running this file is older than MINIMUM."""
    found = "This is Python %d.%d; Healing Journal needs Python 3.11 or newer. " % (version[0], version[1])
    family = linux_family(release) if system == "Linux" else ""
    if family == "debian":
        return found + (
            "Install it with: sudo apt install python3.11 python3.11-venv, then run `python3 start.py` again "
            "(it finds python3.11 by itself). If apt knows no python3.11, this system is too old for it: "
            "Debian 12 and Ubuntu 22.04 have it."
        )
    if family == "fedora":
        return found + "Install it with: sudo dnf install python3.11, then run `python3 start.py` again."
    if system == "Linux":
        return found + "Install Python 3.11 or newer with your system's package manager, then run this again."
    return found + _installer(system)


def no_venv_message(version, system, release):
    # type: (tuple[int, ...], str, dict[str, str]) -> str
    """What to do when this Python cannot make a virtual environment (Debian splits `venv` off)."""
    python = "python%d.%d" % (version[0], version[1])
    found = "This Python (%s) cannot make the private environment Healing Journal installs into. " % python
    family = linux_family(release) if system == "Linux" else ""
    if family == "debian":
        return found + "Install its venv module with: sudo apt install " + python + "-venv, then run this again."
    if family == "fedora":
        return found + "Install it whole with: sudo dnf install " + python + ", then run this again."
    if system == "Linux":
        return found + "Install the venv module for " + python + " with your system's package manager."
    return found + _installer(system)


def _platform_system():
    # type: () -> str
    import platform

    return platform.system()


def _newer_python():
    # type: () -> str | None
    """A newer python3.X on the PATH (Linux, macOS: installed beside an older python3); None if none."""
    if os.name == "nt":
        return None  # `py` already picks the newest Python installed
    import shutil
    import subprocess

    which = getattr(shutil, "which", None)  # Python 3.3 and newer
    # Each is asked to run, since a name on the PATH can be a stub that refuses (pyenv's shims).
    new_enough = "import sys; sys.exit(sys.version_info < %r)" % (MINIMUM,)
    for name in NEWER_PYTHONS:
        found = which(name) if which else None
        if not found:
            continue
        with open(os.devnull, "w") as quiet:  # subprocess.DEVNULL is newer than some of these Pythons
            if subprocess.call([found, "-c", new_enough], stdout=quiet, stderr=quiet) == 0:
                return str(found)
    return None


def main(argv):
    # type: (list[str]) -> int
    script = os.path.abspath(__file__)
    version = (sys.version_info[0], sys.version_info[1])
    if version < MINIMUM:
        newer = _newer_python()
        if newer:
            sys.stdout.write("This is Python %d.%d; using %s instead.\n" % (version[0], version[1], newer))
            sys.stdout.flush()
            os.execv(newer, [newer, script] + list(argv))
        sys.stderr.write(too_old_message(version, _platform_system(), os_release()) + "\n")
        return 1
    sys.path.insert(0, os.path.dirname(script))
    import bootstrap

    return bootstrap.main(list(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
