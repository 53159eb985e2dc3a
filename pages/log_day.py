"""Log a day: ratings, checklists, notes and photos for one day and area."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from healing_journal.workspace import Workspace
from recovery.model import Entry
from recovery.vocabulary import AFTERCARE, PRESENCE_SIGNS, RATED_SIGNS, WARNING_SIGNS, Area
from store import PhotoRejected
from store.imaging import ACCEPTED_EXTENSIONS, MAX_PHOTO_MB
from store.journal import Journal
from ui.photo_feedback import retake_prompts
from ui.session import flash, run_page, show_flashes
from ui.widgets import CAPTURE_GUIDANCE, area_picker, done_or_not, rating_radio, treatment_caption


def page(workspace: Workspace) -> None:
    snapshot = workspace.snapshot
    st.title("Log a day")
    show_flashes()
    left, right = st.columns(2)
    with left:
        day = st.date_input("Day", value=snapshot.today, max_value=snapshot.today, key="log_day")
    with right:
        area = area_picker(snapshot, key="log_area")
    st.caption(treatment_caption(snapshot, day, area))
    retake_prompts(workspace, day, area)  # "Retake?" for the photos the last Save stored
    existing = snapshot.entry(day, area)
    if existing:
        st.info("This day is already logged; saving updates it.", icon=":material/edit:")
    entry_form(workspace, day, area, existing)
    if existing:
        delete_controls(workspace.journal, existing)


def entry_form(workspace: Workspace, day: dt.date, area: Area, existing: Entry | None) -> None:
    suffix = f"{day.isoformat()}-{area}"

    def answered(key: str) -> bool | None:
        return existing.answer(key) if existing else None

    with st.form(f"entry-{suffix}"):
        st.subheader("How does the skin look?")
        ratings = {}
        for column, sign in zip(st.columns(len(RATED_SIGNS)), RATED_SIGNS):
            with column:
                ratings[sign.value] = rating_radio(
                    sign, existing.rating(sign) if existing else None, f"{sign}-{suffix}"
                )
        answers: dict[str, bool | None] = {}
        signs, care, warnings = st.columns([1, 2, 2])
        with signs:
            st.markdown("**Also noticed**")
            for sign in PRESENCE_SIGNS:
                answers[sign.value] = st.checkbox(sign.label, value=bool(answered(sign.value)), key=f"{sign}-{suffix}")
        with care:
            st.markdown("**Aftercare today**")
            for question in AFTERCARE:
                answers[question.key] = done_or_not(question.label, answered(question.key), f"{question.key}-{suffix}")
        with warnings:
            st.markdown("**Warning signs**: tick any you have")
            for question in WARNING_SIGNS:
                ticked = bool(answered(question.key))
                answers[question.key] = st.checkbox(question.label, value=ticked, key=f"{question.key}-{suffix}")
        notes = st.text_area("Notes", value=existing.notes if existing else "", key=f"notes-{suffix}")
        uploads = photo_inputs(workspace, day, area, suffix)
        if not st.form_submit_button("Save day", type="primary"):
            return
    journal = workspace.journal
    entry_id = journal.save_entry(day, area, notes=notes, **ratings, **answers)
    flash("success", f"Saved {area} for {day:%A %d %B %Y}.")
    store_photos(journal, entry_id, uploads)
    st.rerun()


def photo_inputs(workspace: Workspace, day: dt.date, area: Area, suffix: str) -> list[UploadedFile]:
    st.subheader("Photos")
    earlier = [p for p in workspace.snapshot.photos_of(area) if p.day < day]
    reference = earlier[-1] if earlier else None
    guide, capture = st.columns([1, 2])
    with guide:
        st.caption(CAPTURE_GUIDANCE)
        if reference is not None:
            st.image(
                str(reference.thumb_path),
                caption=f"Last photo: {reference.day:%d %b} ({reference.day_label}). Frame today's the same way.",
            )
    # A new key after each save empties the inputs, so a photo is never sent twice.
    round_ = st.session_state.setdefault("upload_round", 0)
    with capture:
        camera = st.camera_input("Take a photo", key=f"camera-{suffix}-{round_}")
        files = st.file_uploader(
            "Or upload photos",
            type=ACCEPTED_EXTENSIONS,
            accept_multiple_files=True,
            key=f"files-{suffix}-{round_}",
            max_upload_size=MAX_PHOTO_MB,
        )
    return ([camera] if camera is not None else []) + list(files or [])


def store_photos(journal: Journal, entry_id: int, uploads: list[UploadedFile]) -> None:
    added = 0
    for upload in uploads:
        try:
            journal.add_photo(entry_id, upload.getvalue(), filename=upload.name)
            added += 1
        except PhotoRejected as exc:
            # One refused file must not stop the others.
            flash("error", f"Photo not saved: {exc}")
    if added:
        flash("success", f"{added} photo(s) added.")
    st.session_state["upload_round"] += 1


def delete_controls(journal: Journal, existing: Entry) -> None:
    with st.expander("Delete this day's entry"):
        st.write(f"This removes the ratings, notes and {existing.photo_count} photo(s) of this day and area.")
        confirmed = st.checkbox("Yes, delete it for good", key=f"confirm-delete-{existing.id}")
        if st.button("Delete entry", disabled=not confirmed, key=f"delete-{existing.id}"):
            journal.delete_entry(existing.id)
            flash("success", "The entry was deleted.")
            st.rerun()


run_page(page)
