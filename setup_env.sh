# The first-run setup of .venv, saying what it does; sourced by run.sh and test.sh.
# (Run on its own, `bash setup_env.sh` sets up what the app needs and stops.)
#
# setup_environment MARKER REQUIREMENTS [MORE FILES]
#   Installs REQUIREMENTS into .venv unless MARKER exists and is newer than
#   REQUIREMENTS, every further file (requirements-dev.txt includes
#   requirements.txt, so test.sh names both) and constraints.txt.
#   constraints.txt pins every package pulled in, transitive ones included,
#   so every machine gets the versions the tests ran with (regenerate it with
#   `.venv/bin/python -m tools.pins` after changing a requirements file).
#
# pip's own output is condensed by install_progress.py to a numbered line per
# package with its size; everything pip says is kept in .venv/install.log and
# its last lines are shown if the setup fails.

setup_environment() {
  local marker="$1" requirements="$2" file stale=""
  { [ -x .venv/bin/python ] && [ -f "$marker" ]; } || stale=1
  for file in "${@:2}" constraints.txt; do
    if [ "$file" -nt "$marker" ]; then stale=1; fi
  done
  if [ -z "$stale" ]; then return 0; fi

  if [ -x .venv/bin/python ]; then
    echo "Updating Healing Journal's packages (about a minute)..."
  else
    echo "Setting up Healing Journal (first run, about 2 minutes)..."
  fi
  echo "[1/3] Making a private Python environment in .venv"
  if ! python3 -m venv .venv; then
    echo "The Python environment could not be made. On Debian or Ubuntu: sudo apt install python3-venv" >&2
    return 1
  fi
  local log=.venv/install.log
  : >"$log"
  echo "[2/3] Updating the installer (pip)"
  pip_with_progress "$log" --upgrade pip -c constraints.txt || return 1
  echo "[3/3] Downloading and installing the packages in $requirements (the app's alone: about 260 MB to download)"
  pip_with_progress "$log" -r "$requirements" -c constraints.txt || return 1
  touch "$marker"
  echo "Setup finished."
}

# pip_with_progress LOG PIP-INSTALL-ARGUMENTS...
#   `pip install` with one readable line per package; fails, showing the end of
#   LOG, when pip fails. INSTALL_PYTHON overrides the Python that runs pip.
pip_with_progress() {
  local log="$1" python="${INSTALL_PYTHON:-.venv/bin/python}"
  shift
  # Unbuffered: each line reaches the filter (and the screen) as pip writes it.
  PYTHONUNBUFFERED=1 "$python" -m pip install --progress-bar off "$@" 2>&1 \
    | "$python" install_progress.py --log "$log"
  # Both statuses, whether or not the caller set pipefail.
  local pip_status=${PIPESTATUS[0]} filter_status=${PIPESTATUS[1]}
  if [ "$pip_status" != 0 ] || [ "$filter_status" != 0 ]; then
    echo "The setup failed. The installer's last words (all of them are in $log):" >&2
    tail -n 15 "$log" >&2
    return 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  cd "$(dirname "$0")"
  setup_environment .venv/.installed requirements.txt
fi
