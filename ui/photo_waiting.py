"""Photos saved but still being lined up and measured (store.photos.later), on Log a day.

Save answers once the photo is stored; the card, the alignment and the
measurements follow in the background. While any photo waits, the page says
so in plain words and looks again every second; when none is left it runs
again, so the photo's numbers and its "Retake?" question (ui.photo_feedback)
show as soon as they are ready, and never before.
"""

from __future__ import annotations

import streamlit as st

from healing_journal import Journal
from recovery.language import _, ngettext
from recovery.model import JournalSnapshot

CHECK_EVERY_S = 1.0


def waiting_notice(journal: Journal, snapshot: JournalSnapshot) -> None:
    """The notice while photos are measured; the page runs again when they are done."""
    waiting = sum(photo.measuring for photo in snapshot.photos)
    if not waiting:
        return
    journal.start_photo_work()  # left by another process, or by a stop before it was done
    _watch(journal, waiting)


@st.fragment(run_every=CHECK_EVERY_S)
def _watch(journal: Journal, waiting: int) -> None:
    try:
        still = journal.waiting_photos()
        if still:
            journal.start_photo_work()  # running already, or stopped by a busy disk: looked at again
    finally:
        journal.release_thread()  # a fragment's run ends without the page's own tidying
    if still < waiting:
        st.rerun(scope="app")  # one is measured: show its numbers (and ask "Retake?" if needed)
    saved = ngettext(
        "{count} photo saved and being lined up with your first photo and measured.",
        "{count} photos saved and being lined up with your first photo and measured.",
        waiting,
    ).format(count=waiting)
    soon = _("The numbers, and whether a retake would compare better, show here in a moment.")
    st.info(f"{saved} {soon}", icon=":material/hourglass_top:")
