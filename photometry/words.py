"""Words photometry says to the patient, marked for the catalogue but not translated here.

photometry imports nothing of recovery (tests/test_architecture.py), so it cannot
translate: it marks its messages with `N_` (pybabel reads the call, babel.cfg),
keeps them in English (a photo's card and alignment problems are stored so), and
whoever shows them passes its translator (`recovery.language._`) as `say`.
"""

from __future__ import annotations

from collections.abc import Callable

Say = Callable[[str], str]


def N_(message: str) -> str:
    """Marks a word for the catalogue; the caller translates it where it is shown."""
    return message


def english(message: str) -> str:
    """The translator of a caller that shows English (the messages are their own English)."""
    return message
