#!/usr/bin/env bash
# Set up (first time), run the linters and the whole test suite, browser tests included.
# Usage: bash test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")"
source ./setup_env.sh
setup_environment .venv/.installed-dev requirements-dev.txt requirements.txt
# The browser tests drive Debian's Chromium (never a downloaded browser), the
# PDF tests read pages back with poppler's pdftoppm, and the backup tests open
# encrypted backups with 7-Zip (7zz), an implementation independent of ours.
if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null || ! command -v 7zz >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "Installing Chromium, poppler-utils and 7-Zip for the tests (apt-get, a minute or two)..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils 7zip >/dev/null
fi
# The linters first: any finding stops the run before the tests (mypy takes
# its files from pyproject.toml's [tool.mypy]).
check() {
  local name="$1"
  shift
  if ! "$@"; then
    echo "test.sh: $name failed (its findings are above); the tests did not run." >&2
    exit 1
  fi
}
check "ruff check" .venv/bin/ruff check --quiet .
check "ruff format --check" .venv/bin/ruff format --check --quiet .
check "mypy" .venv/bin/mypy
# Two workers (pytest-xdist), each taking whole test files, so a module's
# shared journal or server is built once; `-n 0` in the options runs serially.
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
