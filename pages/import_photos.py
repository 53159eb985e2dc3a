"""Import a folder of phone photos, each placed on the day it was taken."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from healing_journal.workspace import Workspace
from store.photos.imaging import ACCEPTED_EXTENSIONS, MAX_PHOTO_MB
from store.photos.importing import import_photos, plan_import
from ui.session import flash, run_page, show_flashes
from ui.widgets import area_picker


def page(workspace: Workspace) -> None:
    current = workspace.journal
    st.title("Import photos")
    show_flashes()
    st.write(
        "Took your photos with the phone's own camera? Copy them to this computer and add them here. "
        "Each photo goes on the day it was taken, read from the photo itself; you confirm before anything is stored."
    )
    area = area_picker(workspace.snapshot, key="import_area", label="These photos show")
    fallback = st.date_input(
        "Day for photos that do not say when they were taken",
        value=workspace.today,
        max_value=workspace.today,
        key="import_fallback",
    )
    round_ = st.session_state.setdefault("import_round", 0)
    mode = st.radio("Choose", ["Photos", "A whole folder"], horizontal=True, key="import_mode")
    uploads = st.file_uploader(
        "Photos to import",
        type=ACCEPTED_EXTENSIONS,
        accept_multiple_files="directory" if mode == "A whole folder" else True,
        key=f"import-{mode}-{round_}",
        max_upload_size=MAX_PHOTO_MB,
    )
    if not uploads:
        return
    # Browsers do not send a file's modified time, so photos without a
    # capture time fall back to the chosen day.
    candidates = plan_import(current, ((u.name, u.getvalue(), None) for u in uploads), fallback)
    st.dataframe(
        pd.DataFrame(
            {
                "Photo": [c.filename for c in candidates],
                "Day": [c.day for c in candidates],
                "Placed by": [c.day_source for c in candidates],
                "Will be": ["imported" if c.importable else f"skipped: {c.skip_reason}" for c in candidates],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    count = sum(c.importable for c in candidates)
    if st.button(f"Import {count} photo(s) to {area.label}", type="primary", disabled=count == 0):
        report = import_photos(current, candidates, area)
        flash("success", f"Imported {len(report.added)} photo(s); skipped {len(report.skipped)}.")
        for message in report.refused:
            flash("error", f"Not imported: {message}")
        st.session_state["import_round"] += 1
        st.rerun()


run_page(page)
