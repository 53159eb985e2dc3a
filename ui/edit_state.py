"""A form that remembers which saved version it was filled from.

Streamlit keeps a widget's value in the session under its key for as long as
the widget is drawn, whatever the database says meanwhile: a tab left open
shows the record as it was when its form was filled. `EditState` makes that
explicit. When a form's widgets are (re)created it fills them from a stored
record (or a draft) through session state and remembers that record's version
and fields: the *base* a save states (`based_on=`) and a conflict is merged
against (recovery.edits). A form the patient has not touched is refilled when
a newer version is stored; a touched one keeps the patient's input and says
that the record changed meanwhile.

A save the store refuses (store.errors.Conflict) is held here until the
patient resolves it (ui.conflicts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from store.errors import Conflict

ToWidget = Callable[[str, Any], Any]


@dataclass
class EditRecord:
    """What a form was filled from, kept in the session beside its widgets."""

    based_on: str
    base: dict[str, Any]
    restored_at: dt.datetime | None = None  # filled from a draft kept at this time
    conflict: Conflict | None = None
    reload: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class EditState:
    def __init__(
        self,
        scope: str,
        fields: Sequence[str],
        key: Callable[[str], str],
        to_widget: ToWidget = lambda _name, value: value,
    ):
        self.scope = scope
        self.fields = tuple(fields)
        self.key = key
        self.to_widget = to_widget
        self._state_key = f"_edit:{scope}"

    # --- the record ------------------------------------------------------------

    @property
    def record(self) -> EditRecord | None:
        held = st.session_state.get(self._state_key)
        return held if isinstance(held, EditRecord) else None

    def _drawn(self) -> bool:
        return all(self.key(name) in st.session_state for name in self.fields)

    def start(
        self,
        stored_version: str,
        stored: Mapping[str, Any],
        *,
        draft: tuple[str, Mapping[str, Any], Mapping[str, Any], dt.datetime] | None = None,
    ) -> EditRecord:
        """Fill the widgets if they are new (or a reload was asked for) and return the record.

        `draft` is (based_on, base fields, typed fields, kept at): unsaved input to
        restore instead of the stored record.
        """
        record = self.record
        if record is not None and record.conflict is not None and not record.reload:
            return record  # being resolved: its widgets are not drawn meanwhile
        if record is not None and self._drawn() and not record.reload:
            untouched = self.values() == record.base
            if untouched and record.conflict is None and stored_version != record.based_on and draft is None:
                return self.fill(stored_version, stored)  # saved elsewhere meanwhile: show it
            return record
        if draft is not None:
            based_on, base, typed, kept_at = draft
            return self.fill(based_on, base, typed=typed, restored_at=kept_at)
        return self.fill(stored_version, stored)

    def fill(
        self,
        based_on: str,
        base: Mapping[str, Any],
        *,
        typed: Mapping[str, Any] | None = None,
        restored_at: dt.datetime | None = None,
    ) -> EditRecord:
        """Set the widgets (before they are drawn in this run) and remember their base."""
        shown = typed if typed is not None else base
        for name in self.fields:
            st.session_state[self.key(name)] = self.to_widget(name, shown.get(name))
        record = EditRecord(based_on=based_on, base=self.normal(base), restored_at=restored_at)
        st.session_state[self._state_key] = record
        return record

    def reload(self) -> None:
        """Fill the widgets afresh from the stored record on the next run."""
        record = self.record
        if record is not None:
            record.reload = True
            record.conflict = None

    # --- the widgets' values -----------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the widgets hold now (as the fields are named in recovery.edits)."""
        return {name: st.session_state.get(self.key(name)) for name in self.fields}

    def normal(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Fields as the widgets would show them (an unticked box is a "no")."""
        return {name: self.to_widget(name, fields.get(name)) for name in self.fields}

    @property
    def changed(self) -> bool:
        record = self.record
        return record is not None and self.values() != record.base

    # --- conflicts -----------------------------------------------------------------

    def hold(self, conflict: Conflict) -> None:
        record = self.record
        if record is not None:
            record.conflict = conflict

    @property
    def conflict(self) -> Conflict | None:
        record = self.record
        return None if record is None else record.conflict
