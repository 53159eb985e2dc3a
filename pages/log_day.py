"""Log a day: ratings, checklists, notes and photos for one day and area."""

from __future__ import annotations

import datetime as dt

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from recovery.vocabulary import AFTERCARE, RATED_SIGNS, SIGN_LABELS, WARNING_SIGNS
from store import Journal, PhotoRejected
from store.imaging import ACCEPTED_EXTENSIONS, MAX_PHOTO_MB
from ui.session import flash, journal, run_page, show_flashes
from ui.widgets import CAPTURE_GUIDANCE, area_picker, done_or_not, rating_radio, treatment_caption


def page() -> None:
    current = journal()
    st.title("Log a day")
    show_flashes()
    left, right = st.columns(2)
    with left:
        day = st.date_input("Day", value=current.today(), max_value=current.today(), key="log_day")
    with right:
        area = area_picker(current, key="log_area")
    st.caption(treatment_caption(current, day, area))
    existing = current.entry(day, area) or {}
    if existing:
        st.info("This day is already logged; saving updates it.", icon=":material/edit:")
    entry_form(current, day, area, existing)
    if existing:
        delete_controls(current, existing)


def entry_form(current: Journal, day: dt.date, area: str, existing: dict) -> None:
    suffix = f"{day.isoformat()}-{area}"
    with st.form(f"entry-{suffix}"):
        st.subheader("How does the skin look?")
        ratings = {}
        for column, sign in zip(st.columns(len(RATED_SIGNS)), RATED_SIGNS):
            with column:
                ratings[sign] = rating_radio(sign, existing.get(sign), key=f"{sign}-{suffix}")
        checks = {}
        signs, care, warnings = st.columns([1, 2, 2])
        with signs:
            st.markdown("**Also noticed**")
            for key in ("bleeding", "dryness"):
                checks[key] = st.checkbox(SIGN_LABELS[key], value=bool(existing.get(key)), key=f"{key}-{suffix}")
        with care:
            st.markdown("**Aftercare today**")
            for item in AFTERCARE:
                checks[item.key] = done_or_not(item.label, existing.get(item.key), key=f"{item.key}-{suffix}")
        with warnings:
            st.markdown("**Warning signs**: tick any you have")
            for item in WARNING_SIGNS:
                checks[item.key] = st.checkbox(
                    item.label, value=bool(existing.get(item.key)), key=f"{item.key}-{suffix}"
                )
        notes = st.text_area("Notes", value=existing.get("notes", ""), key=f"notes-{suffix}")
        uploads = photo_inputs(current, day, area, suffix)
        if not st.form_submit_button("Save day", type="primary"):
            return
    entry_id = current.save_entry(day, area, notes=notes, **ratings, **checks)
    flash("success", f"Saved {area} for {day:%A %d %B %Y}.")
    store_photos(current, entry_id, uploads)
    st.rerun()


def photo_inputs(current: Journal, day: dt.date, area: str, suffix: str) -> list[UploadedFile]:
    st.subheader("Photos")
    reference = current.previous_photo(area, day)
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


def store_photos(current: Journal, entry_id: int, uploads: list[UploadedFile]) -> None:
    added = 0
    for upload in uploads:
        try:
            current.add_photo(entry_id, upload.getvalue(), filename=upload.name)
            added += 1
        except PhotoRejected as exc:
            # One refused file must not stop the others.
            flash("error", f"Photo not saved: {exc}")
    if added:
        flash("success", f"{added} photo(s) added.")
    st.session_state["upload_round"] += 1


def delete_controls(current: Journal, existing: dict) -> None:
    with st.expander("Delete this day's entry"):
        st.write(f"This removes the ratings, notes and {existing['photo_count']} photo(s) of this day and area.")
        confirmed = st.checkbox("Yes, delete it for good", key=f"confirm-delete-{existing['id']}")
        if st.button("Delete entry", disabled=not confirmed, key=f"delete-{existing['id']}"):
            current.delete_entry(existing["id"])
            flash("success", "The entry was deleted.")
            st.rerun()


run_page(page)
