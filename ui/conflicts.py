"""A save that met a newer version: both versions side by side, and the patient's choice.

Fields changed on one side only are taken without asking (and listed); fields
changed on both sides are shown side by side with a choice each (text can
also be kept from both). Nothing is lost without a choice: the patient keeps
theirs, keeps the saved one, or saves the merge. Every value the patient or a
file wrote is shown with st.text, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import streamlit as st

from recovery.edits import Side, differing, field_label, merge, shown
from recovery.language import N_, _


class Choice(StrEnum):
    MERGED = "merged"
    MINE = "mine"
    THEIRS = "theirs"


@dataclass(frozen=True)
class Resolution:
    choice: Choice
    values: dict[str, Any] | None  # what to save; None: keep the saved version (or the deletion)


_SIDES = {Side.MINE: N_("Keep yours"), Side.THEIRS: N_("Keep the other"), Side.BOTH: N_("Keep both texts")}


def conflict_panel(
    key: str,
    message: str,
    *,
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any] | None,
    show: Callable[[str, Any], str] = shown,
) -> Resolution | None:
    """Draw the conflict; returns the patient's resolution once they click one."""
    st.warning(_plain(message), icon=":material/call_split:")
    if theirs is None:
        return _deleted(key, mine, base, show)
    comparison = merge(base, mine, theirs)
    automatic = comparison.automatic
    if automatic:
        st.markdown(_("**Taken without asking** (changed on one side only):"))
        for name, side in automatic.items():
            if mine.get(name) == theirs.get(name):
                source = _("the same in both")
            else:
                source = _("yours") if side is Side.MINE else _("saved meanwhile")
            value = show(name, comparison.result()[name])
            st.text(_("{field}: {value}  ({source})").format(field=field_label(name), value=value, source=source))
    choices: dict[str, Side] = {}
    if comparison.clashes:
        st.markdown(_("**Changed on both sides**: choose for each."))
    for name in comparison.clashes:
        st.markdown(f"**{_plain(field_label(name))}**")
        yours, other = st.columns(2)
        with yours:
            st.caption(_("Yours"))
            st.text(show(name, mine.get(name)))
        with other:
            st.caption(_("Saved meanwhile"))
            st.text(show(name, theirs.get(name)))
        sides = [Side.MINE, Side.THEIRS]
        if isinstance(mine.get(name), str) and isinstance(theirs.get(name), str):
            sides.append(Side.BOTH)
        choices[name] = st.radio(
            _("Which {field}?").format(field=field_label(name).lower()),
            sides,
            format_func=lambda side: _(_SIDES[side]),
            horizontal=True,
            key=f"{key}-choice-{name}",
            label_visibility="collapsed",
        )
    left, middle, right = st.columns(3)
    if left.button(_("Save the merged version"), type="primary", key=f"{key}-merged"):
        return Resolution(Choice.MERGED, comparison.result(choices))
    if middle.button(_("Keep mine for every field"), key=f"{key}-mine"):
        return Resolution(Choice.MINE, dict(mine))
    if right.button(_("Keep the version saved meanwhile"), key=f"{key}-theirs"):
        return Resolution(Choice.THEIRS, None)
    return None


def _deleted(
    key: str, mine: Mapping[str, Any], base: Mapping[str, Any], show: Callable[[str, Any], str]
) -> Resolution | None:
    changed = differing(base, mine) or tuple(name for name in mine if mine.get(name) not in (None, "", False))
    if changed:
        st.markdown(_("**What you were saving:**"))
        for name in changed:
            st.text(_("{field}: {value}").format(field=field_label(name), value=show(name, mine.get(name))))
    left, right = st.columns(2)
    if left.button(_("Save mine again"), type="primary", key=f"{key}-again"):
        return Resolution(Choice.MINE, dict(mine))
    if right.button(_("Leave it deleted"), key=f"{key}-deleted"):
        return Resolution(Choice.THEIRS, None)
    return None


def _plain(text: str) -> str:
    from ui.widgets import escape_markdown

    return escape_markdown(text)
