"""The quality gate right after an upload on Log a day: "Retake?" with the reasons.

Called once per run of the page, for the day and area on screen. The photos
this session's Save just stored (ui.day_form records their ids with
`stored_here`; a photo another window added is not this patient's question
here) are each judged against the
area's first photo (store.photos.analysed.retake_reasons: blurred, burnt out or
dark, card missing when the area uses one, light differing, framed far from
the first photo or not lined up with it), with the note that its light could
not be checked when nothing neutral is in view. A photo with reasons gets a message
naming them, in a dialog over the page; the patient keeps it (the default:
closing the dialog keeps it too) or deletes it with one click.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from healing_journal import Journal
from healing_journal.photo_check import RetakeQuestion, question
from healing_journal.workspace import Workspace
from recovery.language import _, day_full_month
from recovery.model import JournalSnapshot, Photo
from recovery.vocabulary import Area
from store.errors import NotFound
from ui.photo_text import photo_alt
from ui.session import flash
from ui.widgets import escape_markdown

JUST_STORED = "_retake_just_stored"  # ids of the photos this session's last saves stored
PENDING = "_retake_pending"  # the questions still open, oldest first


def stored_here(photo_ids: list[int]) -> None:
    """Remember photos this session just stored, to be asked about on the next run."""
    st.session_state.setdefault(JUST_STORED, []).extend(photo_ids)


def just_stored(snapshot: JournalSnapshot, day: dt.date, area: Area, waiting: list[int]) -> list[Photo]:
    """The photos of (day, area) this session just stored (taken out of `waiting`)."""
    entry = snapshot.entry(day, area)
    photos = snapshot.photos_of(area, entry_id=entry.id) if entry is not None else ()
    # A photo still being measured cannot be judged yet: it stays waiting for a later run.
    mine = [photo for photo in photos if photo.id in waiting and not photo.measuring]
    asked = {photo.id for photo in mine}
    waiting[:] = [photo_id for photo_id in waiting if photo_id not in asked]
    return mine


def retake_prompts(workspace: Workspace, day: dt.date, area: Area) -> None:
    """Ask about the photos just stored for (day, area): a dialog over the page, so it is
    seen wherever the page was scrolled to when Save was pressed."""
    snapshot = workspace.snapshot
    pending: list[RetakeQuestion] = st.session_state.setdefault(PENDING, [])
    for photo in just_stored(snapshot, day, area, st.session_state.setdefault(JUST_STORED, [])):
        asked = question(snapshot, photo)
        if asked is not None:
            pending.append(asked)
    stored = {photo.id: photo for photo in snapshot.photos}
    # A photo deleted in the meantime (with its entry, or elsewhere) needs no answer.
    pending[:] = [asked for asked in pending if asked.photo_id in stored]
    if pending:
        # The dialog's title in the language of this run: decorated here, not at import.
        ask = st.dialog(_("Retake?"), width="large", on_dismiss=_keep_all, icon=":material/photo_camera:")(_ask)
        ask(workspace.journal, [(asked, stored[asked.photo_id]) for asked in pending])


def _keep_all() -> None:
    """Closing the dialog keeps the photos: keeping is the default."""
    st.session_state[PENDING] = []


def _ask(journal: Journal, questions: list[tuple[RetakeQuestion, Photo]]) -> None:
    for asked, photo in questions:
        with st.container(border=True):
            picture, words = st.columns([1, 3])
            picture.image(str(photo.thumb_path), alt=photo_alt(photo))
            with words:
                reasons = "\n".join(f"- {reason}" for reason in asked.reasons)
                said = _(
                    "Your photo “{name}” of {date} ({area}) is saved, but it may not compare well with your "
                    "other photos:"
                ).format(name=escape_markdown(asked.name), date=day_full_month(asked.day), area=asked.area.label)
                st.warning(f"{said}\n{reasons}")
                keep, delete = st.columns(2)
                if keep.button(_("Keep it"), key=f"retake-keep-{asked.photo_id}", type="primary"):
                    _answered(asked)
                    st.rerun()
                if delete.button(_("Delete it and retake"), key=f"retake-delete-{asked.photo_id}"):
                    _answered(asked)
                    try:
                        journal.delete_photo(asked.photo_id)
                    except NotFound:
                        pass  # already gone
                    flash(
                        "success",
                        _("The photo “{name}” was deleted. Take a new one and save the day again.").format(
                            name=asked.name
                        ),
                    )
                    st.rerun()


def _answered(asked: RetakeQuestion) -> None:
    pending: list[RetakeQuestion] = st.session_state.get(PENDING, [])
    st.session_state[PENDING] = [other for other in pending if other.photo_id != asked.photo_id]
