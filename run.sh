#!/usr/bin/env bash
# Set up (first time) and start Healing Journal; it prints the link that opens it,
# http://127.0.0.1:8501/?token=... (a new secret at every start; see README, "Privacy").
# Usage: bash run.sh [--demo]   (--demo opens a separate journal of synthetic data)
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv >/dev/null 2>&1 || true
if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  touch .venv/.installed
fi
if [ "${1:-}" = "--demo" ]; then
  shift
  export JOURNAL_DATA_DIR="${JOURNAL_DEMO_DIR:-$(.venv/bin/python -m demo --print-folder)}"
  .venv/bin/python -m demo --folder "$JOURNAL_DATA_DIR" --if-missing
fi
exec .venv/bin/python launch.py "$@"
