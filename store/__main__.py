"""python -m store: the journal's command line (healing_journal/cli.py).

The program's entry point, like journal_app.py for the app: it sits above
every layer, so it may start the CLI that lives above `store`.
"""

import sys

from healing_journal.cli import main

if __name__ == "__main__":
    sys.exit(main())
