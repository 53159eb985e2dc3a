"""Import a folder of phone photos, each placed on the day it was taken."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from healing_journal.workspace import Workspace
from recovery.language import N_, _, ngettext
from recovery.vocabulary import View, views_of
from store.photos.imaging import ACCEPTED_EXTENSIONS, MAX_PHOTO_MB
from store.photos.importing import import_photos, plan_import
from ui.session import flash, run_page, show_flashes
from ui.widgets import area_picker

FOLDER = N_("A whole folder")


def page(workspace: Workspace) -> None:
    current = workspace.journal
    st.title(_("Import photos"))
    show_flashes()
    st.write(
        _(
            "Took your photos with the phone's own camera? Copy them to this computer and add them here. "
            "Each photo goes on the day it was taken, read from the photo itself; "
            "you confirm before anything is stored."
        )
    )
    area = area_picker(workspace.snapshot, key="import_area", label=N_("These photos show"))
    view = st.selectbox(
        _("Which view are these photos?"),
        (View.UNSPECIFIED, *views_of(area)),
        format_func=lambda choice: choice.label,
        key=f"import_view_{area.value}",
        help=_("Photos are compared, lined up and time-lapsed only with photos of the same view."),
    )
    fallback = st.date_input(
        _("Day for photos that do not say when they were taken"),
        value=workspace.today,
        max_value=workspace.today,
        key="import_fallback",
    )
    round_ = st.session_state.setdefault("import_round", 0)
    # The choices' English words are also the widgets' keys (tests and drafts name them).
    mode = st.radio(
        _("Choose"), [N_("Photos"), FOLDER], format_func=lambda choice: _(choice), horizontal=True, key="import_mode"
    )
    uploads = st.file_uploader(
        _("Photos to import"),
        type=ACCEPTED_EXTENSIONS,
        accept_multiple_files="directory" if mode == FOLDER else True,
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
                _("Photo"): [c.filename for c in candidates],
                _("Day"): [c.day for c in candidates],
                _("Placed by"): [_(c.day_source) for c in candidates],
                _("Will be"): [will_be(c.importable, c.skip_reason) for c in candidates],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    count = sum(c.importable for c in candidates)
    label = ngettext("Import {count} photo to {area}", "Import {count} photos to {area}", count)
    if st.button(label.format(count=count, area=area.label), type="primary", disabled=count == 0):
        report = import_photos(current, candidates, area, view)
        added = len(report.added)
        done = ngettext(
            "Imported {count} photo; skipped {skipped}.", "Imported {count} photos; skipped {skipped}.", added
        )
        flash("success", done.format(count=added, skipped=len(report.skipped)))
        for message in report.refused:
            flash("error", _("Not imported: {reason}").format(reason=message))
        st.session_state["import_round"] += 1
        st.rerun()


def will_be(importable: bool, reason: str | None) -> str:
    """What the import does with a photo; the reason comes from the photo's checks (English for now)."""
    return _("imported") if importable else _("skipped: {reason}").format(reason=reason)


run_page(page)
