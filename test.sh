#!/usr/bin/env bash
# `bash test.sh [pytest options]` is `python3 start.py --test [pytest options]` (see README, "Run the tests").
exec bash "$(dirname "${BASH_SOURCE[0]}")/run.sh" --test "$@"
