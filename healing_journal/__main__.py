"""python -m healing_journal: the journal's command line (healing_journal/cli.py)."""

import sys

from healing_journal.cli import main

if __name__ == "__main__":
    sys.exit(main())
