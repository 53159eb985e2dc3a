#!/usr/bin/env bash
# Set up (first time) and start Healing Journal; it prints the link that opens it,
# http://127.0.0.1:8501/?token=... (a new secret at every start; see README, "Privacy").
# Usage: bash run.sh [--demo]   (--demo opens a separate journal of synthetic data)
set -euo pipefail
cd "$(dirname "$0")"
source ./setup_env.sh
setup_environment .venv/.installed requirements.txt
if [ "${1:-}" = "--demo" ]; then
  shift
  export JOURNAL_DATA_DIR="${JOURNAL_DEMO_DIR:-$(.venv/bin/python -m demo --print-folder)}"
  .venv/bin/python -m demo --folder "$JOURNAL_DATA_DIR" --if-missing
fi
echo "Starting Healing Journal (a few seconds)..."
exec .venv/bin/python launch.py "$@"
