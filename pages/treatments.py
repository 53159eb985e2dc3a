"""Profile and treatments: the facts the expected course is measured against."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from healing_journal.workspace import Workspace
from recovery.model import Profile, Treatment
from recovery.vocabulary import (
    AREAS,
    FITZPATRICK,
    PROFILE_QUESTIONS,
    TREATMENT_QUESTIONS,
    Area,
    area_label,
)
from store.imaging import ACCEPTED_EXTENSIONS, MAX_PHOTO_MB
from store.journal import Journal
from ui.lock import lock_settings
from ui.reminders import reminders_download
from ui.session import flash, run_page, show_flashes
from ui.widgets import rating_grid, yes_or_no

NO_SKIN_TYPE = 0  # the radio's "not sure" choice


def page(workspace: Workspace) -> None:
    st.title("Profile & treatments")
    show_flashes()
    profile_form(workspace.journal, workspace.snapshot.profile)
    st.divider()
    treatment_form(workspace)
    treatment_list(workspace.journal, workspace.snapshot.treatments)
    reminders_download(workspace, key="reminders_treatments")
    st.divider()
    lock_settings()


def profile_form(journal: Journal, profile: Profile) -> None:
    with st.form("profile"):
        st.subheader("About your skin")
        name = st.text_input("Name or pseudonym (optional, printed on the summary)", value=profile.name)
        options = [NO_SKIN_TYPE, *FITZPATRICK]
        skin_type = st.radio(
            "Skin type (Fitzpatrick)",
            options,
            index=options.index(profile.fitzpatrick or NO_SKIN_TYPE),
            format_func=lambda value: FITZPATRICK.get(value, "Not sure"),
        )
        melasma = st.checkbox("I have had melasma", value=profile.melasma_history)
        pih = st.checkbox(
            "I have had dark spots after spots, cuts or treatments (post-inflammatory)", value=profile.pih_history
        )
        cold_sores = st.checkbox("I get cold sores", value=profile.cold_sores)
        st.markdown("**Things that change the risks** (answer what you know; printed on the summary)")
        answers = {q.key: yes_or_no(q.label, profile.answer(q.key), f"profile-{q.key}") for q in PROFILE_QUESTIONS}
        if st.form_submit_button("Save profile"):
            journal.save_profile(
                name=name,
                fitzpatrick=skin_type or None,
                melasma_history=melasma,
                pih_history=pih,
                cold_sores=cold_sores,
                **answers,
            )
            flash("success", "Profile saved.")
            st.rerun()


def treatment_form(workspace: Workspace) -> None:
    # A new form key after each added treatment empties the form; a refused one
    # (no area chosen) keeps what the patient typed.
    round_ = st.session_state.setdefault("treatment_round", 0)
    today = workspace.today
    with st.form(f"treatment-{round_}"):
        st.subheader("Add a treatment")
        left, right = st.columns(2)
        with left:
            day = st.date_input("Date", value=today, max_value=today)
            areas: list[Area] = st.multiselect("Treated areas", AREAS, default=[Area.FACE], format_func=area_label)
            depth = st.number_input(
                "Needle depth (mm)",
                min_value=0.1,
                max_value=5.0,
                value=None,
                step=0.25,
                placeholder="e.g. 1.0 (leave empty if unknown)",
            )
        with right:
            device = st.text_input("Device", placeholder="e.g. Dermapen 4")
            practitioner = st.text_input("Practitioner or clinic")
            contact = st.text_input(
                "Their phone number or e-mail", placeholder="shown on cards that ask you to call them"
            )
            serums = st.text_input("Serums applied", placeholder="e.g. hyaluronic acid")
        answers = {q.key: yes_or_no(q.label, None, f"treatment-{q.key}-{round_}") for q in TREATMENT_QUESTIONS}
        notes = st.text_area("Notes")
        usual, photo = usual_skin_step(round_)
        if st.form_submit_button("Add treatment", type="primary"):
            journal = workspace.journal
            journal.add_treatment(
                day,
                areas,
                device=device,
                needle_depth_mm=depth,
                practitioner=practitioner,
                practitioner_contact=contact,
                serums=serums,
                notes=notes,
                **answers,
            )
            flash("success", f"Treatment of {', '.join(areas)} on {day:%d %B %Y} added.")
            upload = (photo.getvalue(), photo.name) if photo is not None else None
            if journal.save_usual_skin(day, areas, usual, upload):
                flash("success", f"Your usual skin is kept as {day - dt.timedelta(days=1):%d %B}, before treatment.")
            st.session_state["treatment_round"] += 1
            st.rerun()


def usual_skin_step(round_: int) -> tuple[dict[str, int | None], UploadedFile | None]:
    """How the skin usually looks, before any treatment: what later days are judged from."""
    with st.expander("How does your skin usually look? (before treatment: recommended for a first session)"):
        st.caption(
            "If you usually have some redness (for example rosacea) or marks you are treated for, say so here: "
            "the journal then judges the weeks after treatment against your own skin, not against clear skin. "
            "It is saved as the day before the treatment."
        )
        usual = rating_grid(lambda sign: None, lambda sign: f"usual-{sign}-{round_}")
        photo = st.file_uploader(
            "A photo of your usual skin", type=ACCEPTED_EXTENSIONS, key=f"usual-photo-{round_}",
            max_upload_size=MAX_PHOTO_MB,
        )  # fmt: skip
    return usual, photo


def treatment_list(journal: Journal, treatments: tuple[Treatment, ...]) -> None:
    st.subheader("Your treatments")
    if not treatments:
        st.info("No treatment recorded yet. Add the first one above: the journal counts days from it.")
        return
    table = pd.DataFrame(
        {
            "Date": [t.day for t in treatments],
            "Areas": [", ".join(t.areas) for t in treatments],
            "Device": [t.device for t in treatments],
            "Needle depth (mm)": [t.needle_depth_mm for t in treatments],
            "Practitioner": [t.practitioner for t in treatments],
            "Contact": [t.practitioner_contact for t in treatments],
            "Serums": [t.serums for t in treatments],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    with st.expander("Remove a treatment"):
        labels = {t.id: f"{t.day:%d %b %Y} · {', '.join(t.areas)}" for t in treatments}
        chosen: int = st.selectbox("Treatment", list(labels), format_func=lambda i: labels[i])
        confirmed = st.checkbox("Yes, remove it (your daily entries stay)")
        if st.button("Remove treatment", disabled=not confirmed):
            journal.delete_treatment(chosen)
            flash("success", "Treatment removed.")
            st.rerun()


run_page(page)
