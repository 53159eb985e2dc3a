#!/usr/bin/env bash
# Linux and macOS: `bash run.sh [options]` is `python3 start.py [options]`, which sets up
# .venv and starts Healing Journal on every system (see README, "Start it").
# Only the case of no Python at all is said here, in start.py's words (tests/test_start.py).
if ! command -v python3 >/dev/null 2>&1; then
  [ -r /etc/os-release ] && . /etc/os-release
  case "$OSTYPE ${ID:-} ${ID_LIKE:-}" in
    linux*debian* | linux*ubuntu*) need="it with: sudo apt install python3 python3-venv" ;;
    linux*fedora* | linux*rhel* | linux*centos*) need="it with: sudo dnf install python3" ;;
    linux*) need="Python 3.11 or newer with your system's package manager" ;;
    *) need="Python 3.12 from https://www.python.org/downloads/" ;;
  esac
  echo "Healing Journal needs Python 3.11 or newer and this computer has no python3. Install $need." >&2
  exit 1
fi
exec python3 "$(dirname "${BASH_SOURCE[0]}")/start.py" "$@"
