"""python -m store: the command line's older name, kept working for scripts that use it.

The command line belongs to the layer above (`python -m healing_journal`); this
hands the run over by name, so that store never imports the layer above it.
"""

import runpy

if __name__ == "__main__":
    runpy.run_module("healing_journal", run_name="__main__", alter_sys=True)
