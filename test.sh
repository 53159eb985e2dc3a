#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, browser tests included.
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
exec .venv/bin/python -m pytest "$@"
