"""Keeping Streamlit's collection after every run cheap.

Streamlit runs a full garbage collection after every script run
(`runner.postScriptGC`, on by default) and the browser only hears that the
run finished once it is over: the collection holds the interpreter lock. A
full collection walks every tracked object, and the journal's imports
(pandas, Altair with its schema, SciPy, OpenCV, fpdf2, ...) leave about three
times as many as Streamlit alone, so every click waited for the walk over
objects that live as long as the process.

`freeze_imports()`, called at the end of each run, moves everything alive into
the collector's permanent generation once new modules have been imported
(the first visit of each page), after one last collection; later collections
walk only what runs create. What is frozen is still freed when its last
reference goes; only reference cycles among frozen objects would wait for
the process to end, and freezing happens a handful of times per process.
"""

from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_frozen = 0


def freeze_imports() -> bool:
    """Freeze what is alive if modules were imported since the last time; True if it did."""
    global _modules_frozen
    with _lock:
        count = len(sys.modules)
        if count == _modules_frozen:
            return False
        gc.collect()
        gc.freeze()
        _modules_frozen = count
        return True
