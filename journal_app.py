"""Healing Journal: the entry point. Page frame and navigation only.

Start it with `bash run.sh` (see README).
"""

from __future__ import annotations

import os

import streamlit as st

LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}
# Serving a health journal to the network is a deliberate choice, never a default.
ALLOW_REMOTE_ENV = "JOURNAL_ALLOW_REMOTE"

# An emoji icon is drawn by the browser; a Material icon name would make the
# frontend fetch the icon from a font server on every page.
st.set_page_config(page_title="Healing Journal", page_icon="🩹", layout="wide")

address = st.get_option("server.address") or "(every interface)"
if address not in LOCAL_ADDRESSES and os.environ.get(ALLOW_REMOTE_ENV) != "1":
    st.error(
        f"Healing Journal is set to listen on {address}, which would let other computers see your photos. "
        f"It only runs on 127.0.0.1 unless you set {ALLOW_REMOTE_ENV}=1 (see README, 'Privacy')."
    )
    st.stop()

from ui import warm_up  # noqa: E402

warm_up.wait()  # the first run takes what the server made ready meanwhile
from recovery.language import _  # noqa: E402
from ui.frame import demo_mark, sidebar_frame  # noqa: E402
from ui.language import language_offer, page_language  # noqa: E402
from ui.lock import app_locked, lock_controls, unlock_screen  # noqa: E402
from ui.session import app_run, run_workspace  # noqa: E402


def navigation_pages() -> list[st.Page]:
    """The pages, their titles in this run's language."""
    return [
        st.Page("pages/home.py", title=_("Home"), icon=":material/home:", default=True),
        st.Page("pages/log_day.py", title=_("Log a day"), icon=":material/edit_note:"),
        st.Page(
            "pages/recovery_chart.py", title=_("Recovery chart"), icon=":material/monitoring:", url_path="recovery"
        ),
        st.Page("pages/gallery.py", title=_("Photos"), icon=":material/photo_library:"),
        st.Page("pages/import_photos.py", title=_("Import photos"), icon=":material/drive_folder_upload:"),
        st.Page("pages/treatments.py", title=_("Profile & treatments"), icon=":material/medical_information:"),
        st.Page("pages/export_backup.py", title=_("Export & backup"), icon=":material/ios_share:", url_path="export"),
    ]


with app_run() as current:
    page_language(run_workspace())  # every word below is in the journal's language
    pages = navigation_pages()
    # With the optional app lock on, nothing (not even the page list) shows before the passphrase.
    locked = app_locked()
    page = st.navigation(pages, position="hidden" if locked else "sidebar")
    if locked:
        unlock_screen()  # stops this run
    sidebar_frame(current)
    demo_mark(current)
    language_offer(run_workspace())
    lock_controls()  # "Lock now" and the idle watch, while the app lock is on
    page.run()
