"""The state behind the "Log a day" form: its base version, its draft, its photos.

- Filled from the journal's draft of the day and area if there is one
  (store.drafts), else from the stored entry; what it was filled from is the
  version a save states (`based_on=`).
- Every change of a field keeps the draft (the widgets' on_change), so a day
  change, a page switch, a refresh or a closed tab loses nothing; a photo
  attached is kept with the draft at once.
- Saving stores the entry, then the photos waiting in the draft, then drops
  the draft; a newer version saved elsewhere comes back as a conflict to
  resolve (ui.conflicts), and nothing is written until the patient chooses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from healing_journal import Journal
from recovery.edits import ENTRY_FIELDS, entry_fields, saved_message
from recovery.language import _, ngettext
from recovery.model import Entry
from recovery.vocabulary import RATED_SIGNS, YES_NO_KEYS, Area, View, due_views
from store import preferences, versions
from store.drafts import Draft, DraftPhoto
from store.errors import Conflict, JournalError, PhotoRejected
from ui.edit_state import EditRecord, EditState, ToWidget
from ui.photo_feedback import stored_here
from ui.session import flash

UPLOAD_ROUND = "upload_round"
# Where the form's messages are shown (ui.session.flash): next to the Save button
# and next to the photo inputs, where the patient is looking, not at the page's top.
AT_SAVE = "save"
AT_PHOTOS = "photos"
AT_DAY_PHOTOS = "day_photos"  # next to the photos already on the day (under the form)
# The form (its suffix) whose day was just saved: its save bar shows the day's
# most serious open card until the form is changed again.
JUST_SAVED = "_day_just_saved"
# What that save said ("Saved ...", photos added or not): shown in the save bar on
# every run until the form is changed, not once like a flash. The run that shows a
# flash can be lost with the browser's connection (a blip on a busy computer: the
# browser reconnects and runs the page again), and "did my day save?" must not go
# unanswered.
SAVE_OUTCOME = "_day_save_outcome"
# A phone's or tablet's browser, as its User-Agent says.
_HANDHELD = re.compile(r"Mobi|Android|iPhone|iPad")
# Photos refused when attached, by form: named again in the message after Save, so a
# refused file is never hidden behind "Saved".
REFUSED = "_refused_photos"


class DayForm:
    def __init__(self, journal: Journal, day: dt.date, area: Area, existing: Entry | None, to_widget: ToWidget):
        self.journal, self.day, self.area, self.existing = journal, day, area, existing
        self.suffix = f"{day.isoformat()}-{area}"
        self.state = EditState(f"day-{self.suffix}", ENTRY_FIELDS, self.key, to_widget)
        self.draft: Draft | None = journal.draft(day, area)
        kept = self.draft
        restore = None
        if kept is not None and kept.changed:
            restore = (kept.based_on, kept.base, kept.fields, kept.updated_at)
        self.record: EditRecord = self.state.start(self.stored_version, entry_fields(existing), draft=restore)
        # The photo inputs drawn in this run, by kind, with the view each attaches
        # as: a Save takes what they still hold (see `save`).
        self.inputs: dict[str, View] = {}

    def key(self, name: str) -> str:
        """The widget key of a field (the form's loops name their widgets with it)."""
        return f"{name}-{self.suffix}"

    @property
    def stored_version(self) -> str:
        return self.existing.version if self.existing else versions.NONE

    @property
    def photos(self) -> tuple[DraftPhoto, ...]:
        """Photos attached and waiting for the day to be saved."""
        return self.draft.photos if self.draft else ()

    @property
    def stale(self) -> bool:
        """The entry was saved or deleted elsewhere since this form was filled."""
        return self.stored_version != self.record.based_on

    def upload_key(self, kind: str) -> str:
        return f"{kind}-{self.suffix}-{st.session_state.setdefault(UPLOAD_ROUND, 0)}"

    def photo_input(self, kind: str, view: View) -> str:
        """The key of a photo input drawn in this run, whose photos are of `view`."""
        self.inputs[kind] = view
        return self.upload_key(kind)

    def due_views(self, stored: Iterable[View]) -> tuple[View, ...]:
        """The area's views not yet photographed on the day: neither stored nor waiting in the draft."""
        return due_views(self.area, [*stored, *(photo.view for photo in self.photos)])

    # --- callbacks: keep the draft as the patient types ---------------------------------

    def keep(self) -> None:
        """on_change of every field: keep what is typed as the day's draft."""
        st.session_state.pop(JUST_SAVED, None)
        self._keep(self.state.values(), self.photos)

    @property
    def just_saved(self) -> bool:
        """This day was saved by the last Save, and nothing has been changed since."""
        return st.session_state.get(JUST_SAVED) == self.suffix

    @property
    def save_outcome(self) -> list[tuple[str, str]]:
        """What the last Save said, (kind, message) as for ui.session.say, while `just_saved`."""
        return list(st.session_state.get(SAVE_OUTCOME, [])) if self.just_saved else []

    # --- the camera switch, remembered per kind of device ------------------------------

    @property
    def camera_key(self) -> str:
        return f"camera-on-{self.suffix}"

    def camera_wanted(self) -> bool:
        """The camera switch as the patient last left it on this kind of device (off at first)."""
        return bool(preferences.remembered(self.journal.folder, _camera_preference()))

    def keep_camera_choice(self) -> None:
        """on_change of the camera switch: remember it for the next visit."""
        preferences.remember(self.journal.folder, _camera_preference(), bool(st.session_state.get(self.camera_key)))

    def attach(self, kind: str, view: View = View.UNSPECIFIED) -> None:
        """on_change of the camera and the uploaders: keep the photos, as photos of `view`, with the draft."""
        st.session_state.pop(JUST_SAVED, None)
        self._attach(self.upload_key(kind), view)
        self._empty_inputs()

    def _attach(self, key: str, view: View) -> None:
        held = st.session_state.get(key)
        uploads: list[UploadedFile] = held if isinstance(held, list) else [held] if held is not None else []
        added: list[DraftPhoto] = []
        for upload in uploads:
            try:
                added.append(self.journal.stash_draft_photo(upload.getvalue(), upload.name, view))
            except JournalError as problem:
                flash("error", _("Photo not kept: {problem}").format(problem=problem), place=AT_PHOTOS)
                self.refused.append(str(problem))
        known = {photo.sha256 for photo in self.photos}
        fresh = [photo for photo in added if photo.sha256 not in known]
        if fresh:
            self._keep(self.state.values(), (*self.photos, *fresh))

    @staticmethod
    def _empty_inputs() -> None:
        # New keys give the camera and the uploader fresh, empty widgets.
        st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1

    @property
    def refused(self) -> list[str]:
        """Photos refused since the last save, each "file name: reason"."""
        refused: dict[str, list[str]] = st.session_state.setdefault(REFUSED, {})
        return refused.setdefault(self.suffix, [])

    def remove_photo(self, sha256: str) -> None:
        self._keep(self.state.values(), tuple(p for p in self.photos if p.sha256 != sha256))

    def _keep(self, typed: dict[str, Any], photos: tuple[DraftPhoto, ...]) -> None:
        try:
            self.draft = self.journal.keep_draft(
                self.day,
                self.area,
                fields=typed,
                based_on=self.record.based_on,
                base=self.record.base,
                photos=photos,
            )
        except JournalError as problem:
            flash("warning", _("Your unsaved changes could not be kept as a draft: {problem}").format(problem=problem))

    def discard(self) -> None:
        self.journal.discard_draft(self.day, self.area)
        self.state.reload()

    # --- saving -----------------------------------------------------------------------

    def save(self, values: dict[str, Any] | None = None, based_on: str | None = None) -> bool:
        """Save the day (the form's values, or a resolution's), then its waiting photos.
        False when a newer version was met: the conflict is held for the patient."""
        values = self.state.values() if values is None else values
        # A photo chosen just before Save may not have been attached yet (its upload
        # and the click arrive in the same run): take it now, or it would be left behind.
        pending = {self.upload_key(kind): view for kind, view in self.inputs.items()}
        if any(st.session_state.get(key) for key in pending):
            for key, view in pending.items():
                self._attach(key, view)
            self._empty_inputs()
        fields: dict[str, Any] = {
            **{sign.value: values.get(sign.value) for sign in RATED_SIGNS},
            **{key: values.get(key) for key in YES_NO_KEYS},
        }
        try:
            entry_id = self.journal.save_entry(
                self.day,
                self.area,
                notes=values.get("notes") or "",
                based_on=self.record.based_on if based_on is None else based_on,
                **fields,
            )
        except Conflict as conflict:
            self.state.hold(conflict)
            return False
        outcome = [("success", saved_message(self.area, self.day, values)), *self.store_photos(entry_id)]
        self.journal.discard_draft(self.day, self.area)
        self.state.reload()
        st.session_state[SAVE_OUTCOME] = outcome
        st.session_state[JUST_SAVED] = self.suffix
        return True

    def store_photos(self, entry_id: int) -> list[tuple[str, str]]:
        """Store the photos waiting in the draft; what to say about them, (kind, message)."""
        stored: list[int] = []
        not_saved = self.refused
        for photo in self.photos:
            data = self.journal.draft_photo(photo)
            if data is None:
                not_saved.append(f"{photo.name}: it is no longer on this computer")
                continue
            try:
                # Measured after the answer (ui.photo_waiting shows it meanwhile).
                stored.append(
                    self.journal.add_photo(entry_id, data, filename=photo.name, measure_later=True, view=photo.view)
                )
            except PhotoRejected as exc:
                not_saved.append(str(exc))  # one refused file must not stop the others
        stored_here(stored)  # "Retake?" asks about these on the next run
        said = []
        if stored:
            added = ngettext("{count} photo added.", "{count} photos added.", len(stored)).format(count=len(stored))
            said.append(("success", added))
        if not_saved:
            refused = ngettext(
                "Not saved, {count} photo: {reasons}.", "Not saved, {count} photos: {reasons}.", len(not_saved)
            ).format(count=len(not_saved), reasons=_("; ").join(not_saved))
            said.append(("error", refused))
        not_saved.clear()
        return said

    def keep_theirs(self) -> None:
        """The patient keeps the version saved meanwhile: their fields go, waiting photos stay."""
        conflict = self.state.conflict
        stored = conflict.stored if conflict else None
        if stored is None:
            self.discard()  # they leave the day deleted
            return
        theirs = self.state.normal(entry_fields(stored))
        self.record.based_on, self.record.base = stored.version, theirs
        self._keep(theirs, self.photos)
        self.state.reload()


def _camera_preference() -> str:
    """The preference's name: phones want the camera far more often than computers."""
    agent = st.context.headers.get("User-Agent") or ""
    return f"camera-on-{'phone' if _HANDHELD.search(agent) else 'computer'}"
