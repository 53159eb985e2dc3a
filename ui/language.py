"""The language of each page run, the first run's offer, and the mirrored layout.

Every run speaks the journal's language (its profile), English until one is
chosen; the access gate sets the served document's lang and dir from the same
profile (access.document). Until the patient chooses, a browser in another
language the journal speaks (st.context.locale) is offered it at the top of
every page, in its own words, kept with one click.

Right to left (Arabic): the contents of the main area, the sidebar and the bottom
bar (the save bar) run right to left, so the text, the cards and the forms mirror;
the sidebar's own frame stays on the left, where Streamlit slides it; charts keep their axes
left to right (a time axis reads from day 0 on the left, as on paper in Arabic
medical charts too), and numbers and codes stay in their own direction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from healing_journal import Journal
from healing_journal.workspace import Workspace
from recovery.edits import profile_fields
from recovery.language import ENGLISH, LANGUAGES, N_, _, current, direction, language_of_locale, speaking, use
from store.errors import Conflict

# The offer, said in every language at once: whoever opens the journal can read one of them.
P = ParamSpec("P")
R = TypeVar("R")

OFFER_LABEL = "Language · Idioma · اللغة"
KEEP = N_("Use this language")

# The contents of the main area, the sidebar and the bottom bar run right to left. Streamlit's
# own frame is built for left to right (a collapsed sidebar slides out to the left): it keeps
# that direction even under <html dir="rtl">, or the folded sidebar would stay in view.
_RIGHT_TO_LEFT_CSS = """
<style>
.stApp { direction: ltr; }
[data-testid="stMain"], [data-testid="stSidebarContent"], [data-testid="stBottomBlockContainer"] { direction: rtl; }
[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"], .stVegaLiteChart,
[data-testid="stImage"], [data-testid="stCode"], code, pre { direction: ltr; }
input[type="number"], input[type="date"], [data-baseweb="input"] input { direction: ltr; text-align: right; }
[data-testid="stMain"] :is(h1, h2, h3, h4, h5, h6) { text-align: start; }
[data-testid="stMain"] [data-testid="stElementContainer"] { text-align: start; }
</style>
"""


def page_language(workspace: Workspace) -> str:
    """Speak this run's language (and return it): the journal's, English until one is chosen."""
    code = workspace.snapshot.profile.language or ENGLISH
    use(code)
    if direction(code) == "rtl":
        st.html(_RIGHT_TO_LEFT_CSS)
    return code


def in_page_language(callback: Callable[P, R]) -> Callable[P, R]:
    """`callback` run in the language of the page run that made the widget.

    Streamlit runs a widget's callback at the start of the next run, before the
    page sets the journal's language (page_language): a refused photo, a recorded
    share or a saved answer would otherwise be worded in English."""
    code = current()

    @functools.wraps(callback)
    def spoken(*args: P.args, **kwargs: P.kwargs) -> R:
        with speaking(code):
            return callback(*args, **kwargs)

    return spoken


def language_offer(workspace: Workspace) -> None:
    """While no language is chosen and the browser's is another one the journal speaks:
    the languages, the browser's first, and a button in the chosen one that keeps it."""
    offered = language_of_locale(st.context.locale)
    if offered in (None, ENGLISH) or workspace.snapshot.profile.language is not None:
        return
    with st.container(border=True, key="language-offer"):
        chosen = st.selectbox(
            OFFER_LABEL,
            list(LANGUAGES),
            index=list(LANGUAGES).index(offered),
            format_func=LANGUAGES.__getitem__,
            key="language-offered",
        )
        with speaking(chosen):
            keep = st.button(_(KEEP), key="language-keep")
        if keep:
            keep_language(workspace.journal, chosen)
            st.rerun()


def keep_language(current: Journal, code: str) -> None:
    """Store `code` in the profile, every other answer kept."""
    profile = current.profile()
    fields = profile_fields(profile) | {"language": code}
    try:
        current.save_profile(based_on=profile.version or None, **fields)
    except Conflict:  # changed meanwhile in another window: keep theirs, with this language
        profile = current.profile()
        current.save_profile(**(profile_fields(profile) | {"language": code}))
