"""Profile and treatments: the facts the expected course is measured against."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from healing_journal import Journal
from healing_journal.workspace import Workspace
from recovery.countries import COUNTRY_NAMES, country_name, country_of_locale
from recovery.edits import (
    COUNTRY_LABEL,
    LANGUAGE_LABEL,
    PROFILE_FIELDS,
    REASON_HINT,
    REASON_LABEL,
    TREATMENT_FIELDS,
    profile_fields,
    shown,
    treatment_fields,
)
from recovery.emergency_numbers import emergency_calls
from recovery.language import LANGUAGES, N_, _, day_full_month, full_date, short_date
from recovery.language import current as current_language
from recovery.model import Profile, Share, Treatment
from recovery.vocabulary import (
    AREAS,
    FITZPATRICK,
    NOT_SAID,
    PROFILE_QUESTION_KEYS,
    PROFILE_QUESTIONS,
    TREATMENT_QUESTIONS,
    Area,
    area_label,
)
from store.errors import Conflict
from store.photos.imaging import ACCEPTED_EXTENSIONS, MAX_PHOTO_MB
from store.validate import MAX_DAYS_AHEAD, MAX_NOTES
from ui.conflicts import conflict_panel
from ui.edit_state import EditState
from ui.lock import lock_settings
from ui.phone_access import paired_phones
from ui.reminders_download import reminders_download
from ui.session import flash, run_page, show_flashes
from ui.widgets import escape_markdown, next_step, rating_grid, yes_or_no

NO_SKIN_TYPE = 0  # the radio's "not sure" choice
NOT_SURE = N_("Not sure")
CONTACT_LABEL = N_("Their phone number or e-mail")


def page(workspace: Workspace) -> None:
    st.title(_("Profile & treatments"))
    show_flashes()
    treatments = workspace.snapshot.treatments
    removed_while_edited(workspace.journal, treatments)
    first_day_step(workspace)
    # A first visit comes here to add the treatment (Home's first task): its form
    # comes first; later the treatments, which are what changes, lead.
    if treatments:
        treatment_list(workspace.journal, treatments)
    treatment_form(workspace, first=not treatments)
    reminders_download(workspace, key="reminders_treatments")
    st.divider()
    profile_form(workspace.journal, workspace.snapshot.profile)
    st.divider()
    shares_list(workspace.snapshot.shares)
    signing_key_note(workspace.journal.existing_signing_fingerprint())
    st.divider()
    paired_phones(workspace.journal)
    st.divider()
    lock_settings()


def first_day_step(workspace: Workspace) -> None:
    """Once a treatment is in and nothing is logged after it yet, the next step is the first day."""
    snapshot = workspace.snapshot
    started = [t for t in snapshot.treatments if t.day <= snapshot.today]
    if started and not any(workspace.view.has_logged(area) for area in snapshot.treated_areas()):
        st.markdown(_("**Next:** log how your skin looks today, with a photo."))
        next_step(_("Log your first day"), "pages/log_day.py", key="first-day")


# The countries by name, for the profile's choice.
COUNTRIES_BY_NAME = sorted(COUNTRY_NAMES, key=lambda code: COUNTRY_NAMES[code])


def profile_form(journal: Journal, profile: Profile) -> None:
    # A country not set yet is offered from the browser's language ("es-MX": Mexico);
    # the patient sees it chosen in the form and confirms it by saving.
    suggested = country_of_locale(st.context.locale) if profile.country is None else None

    def to_widget(name: str, value: Any) -> Any:
        if name == "language":  # not chosen yet: the language the app speaks now (ui.language)
            return value or current_language()
        return (value or suggested) if name == "country" else _profile_widget(name, value)

    state = EditState("profile", PROFILE_FIELDS, lambda name: f"profile-{name}", to_widget)
    record = state.start(profile.version, profile_fields(profile))
    if record.conflict is not None:
        resolve_profile(journal, state, record.conflict)
        return
    with st.form("profile"):
        st.header(_("About your skin"))
        st.text_input(_("Name or pseudonym (optional, printed on the summary)"), key=state.key("name"))
        st.selectbox(
            LANGUAGE_LABEL,
            list(LANGUAGES),
            format_func=LANGUAGES.__getitem__,
            key=state.key("language"),
            help=_("The journal, the phone page and the exports speak this language."),
        )
        st.selectbox(
            _(COUNTRY_LABEL),
            COUNTRIES_BY_NAME,
            index=None,
            format_func=country_name,
            placeholder=_("Not set: the cards name 112, 999 and 911"),
            key=state.key("country"),
            help=_("Emergency and urgent cards name this country's emergency number."),
        )
        if suggested is not None:
            st.caption(_("Suggested from your browser's language: check it, then save the profile."))
        st.radio(
            _("Skin type (Fitzpatrick)"),
            [NO_SKIN_TYPE, *FITZPATRICK],
            format_func=lambda value: _(FITZPATRICK[value]) if value in FITZPATRICK else _(NOT_SURE),
            key=state.key("fitzpatrick"),
        )
        st.checkbox(_("I have had melasma"), key=state.key("melasma_history"))
        st.checkbox(
            _("I have had dark spots after spots, cuts or treatments (post-inflammatory)"), key=state.key("pih_history")
        )
        st.checkbox(_("I get cold sores"), key=state.key("cold_sores"))
        st.markdown(_("**Things that change the risks** (answer what you know; printed on the summary)"))
        for question in PROFILE_QUESTIONS:
            yes_or_no(_(question.label), None, state.key(question.key))
        if st.form_submit_button(_("Save profile")):
            save_profile(journal, state, state.values(), record.based_on)
    calls = emergency_calls(profile.country)
    if profile.country and not calls.country:
        st.caption(
            _(
                "The journal does not hold the emergency number of {country}: the cards name {numbers}. "
                "Find your local number and keep it at hand."
            ).format(country=country_name(profile.country), numbers=calls.words)
        )
    else:
        st.caption(_("Emergency number on the cards: {numbers}.").format(numbers=calls.words))


def _profile_widget(name: str, value: Any) -> Any:
    if name == "fitzpatrick":
        return value or NO_SKIN_TYPE
    if name == "name":
        return value or ""
    if name in PROFILE_QUESTION_KEYS:
        return value  # None: not answered, never "no"
    return bool(value)


def save_profile(journal: Journal, state: EditState, values: dict[str, Any], based_on: str) -> None:
    details = {name: values[name] for name in PROFILE_FIELDS} | {"fitzpatrick": values["fitzpatrick"] or None}
    saved_or_held(state, lambda: journal.save_profile(based_on=based_on, **details), _("Profile saved."))


def saved_or_held(state: EditState, save: Callable[[], object], done: str) -> None:
    """Run a save; a newer version met on the way is held for the patient to resolve."""
    try:
        save()
    except Conflict as conflict:
        state.hold(conflict)
        st.rerun()
    state.reload()
    flash("success", done)
    st.rerun()


def resolve_profile(journal: Journal, state: EditState, conflict: Conflict) -> None:
    stored = conflict.stored
    assert isinstance(stored, Profile)
    resolution = conflict_panel(
        "conflict-profile",
        str(conflict),
        base=state.record.base if state.record else {},
        mine=state.normal(conflict.attempted),
        theirs=state.normal(profile_fields(stored)),
        show=_profile_shown,
    )
    if resolution is None:
        return
    if resolution.values is None:
        state.reload()
        flash("info", _("The profile saved meanwhile was kept."))
        st.rerun()
    save_profile(journal, state, resolution.values, stored.version)


def _profile_shown(name: str, value: Any) -> str:
    if name == "fitzpatrick" and not value:
        return _(NOT_SURE)
    return shown(name, value)


def treatment_form(workspace: Workspace, first: bool) -> None:
    # A new form key after each added treatment empties the form; a refused one
    # (no area chosen) keeps what the patient typed.
    round_ = st.session_state.setdefault("treatment_round", 0)
    today = workspace.today
    st.header(_("Add your treatment") if first else _("Add a treatment"))
    if first:
        st.info(_("No treatment recorded yet. Add it here: the journal counts the days after it."))
    with st.form(f"treatment-{round_}"):
        left, right = st.columns(2)
        with left:
            day = st.date_input(
                _("Date"),
                value=today,
                max_value=today + dt.timedelta(days=MAX_DAYS_AHEAD),
                help=_("A session you have booked can be added ahead: Home shows it and the reminders include it."),
            )
            areas: list[Area] = st.multiselect(_("Treated areas"), AREAS, default=[Area.FACE], format_func=area_label)
            depth = st.number_input(
                _("Needle depth (mm)"),
                min_value=0.1,
                max_value=5.0,
                value=None,
                step=0.25,
                placeholder=_("e.g. 1.0 (leave empty if unknown)"),
            )
        with right:
            device = st.text_input(_("Device"), placeholder=_("e.g. Dermapen 4"))
            practitioner = st.text_input(_("Practitioner or clinic"))
            contact = st.text_input(_(CONTACT_LABEL), placeholder=_("shown on cards that ask you to call them"))
            serums = st.text_input(_("Serums applied"), placeholder=_("e.g. hyaluronic acid"))
        reason = st.text_input(_(REASON_LABEL), placeholder=_(REASON_HINT))
        answers = {q.key: yes_or_no(_(q.label), None, f"treatment-{q.key}-{round_}") for q in TREATMENT_QUESTIONS}
        notes = st.text_area(_("Notes"), max_chars=MAX_NOTES)
        usual, photo = usual_skin_step(round_)
        if st.form_submit_button(_("Add treatment"), type="primary"):
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
                reason=reason,
                **answers,
            )
            added = _("Treatment of {areas} on {date} added.")
            flash("success", added.format(areas=_area_words(areas), date=full_date(day)))
            upload = (photo.getvalue(), photo.name) if photo is not None else None
            if day > today and (upload or any(v is not None for v in usual.values())):
                not_yet = _(
                    "Your usual skin was not saved: it is logged as the day before the session, {date}, "
                    "which has not come yet. Log it on that day under Log a day."
                )
                flash("warning", not_yet.format(date=day_full_month(day - dt.timedelta(days=1))))
            elif journal.save_usual_skin(day, areas, usual, upload):
                kept = _("Your usual skin is kept as {date}, before treatment.")
                flash("success", kept.format(date=day_full_month(day - dt.timedelta(days=1))))
            st.session_state["treatment_round"] += 1
            st.rerun()


def usual_skin_step(round_: int) -> tuple[dict[str, int | None], UploadedFile | None]:
    """How the skin usually looks, before any treatment: what later days are judged from."""
    with st.expander(_("How does your skin usually look? (before treatment: recommended for a first session)")):
        st.caption(
            _(
                "If you usually have some redness (for example rosacea) or marks you are treated for, say so here: "
                "the journal then judges the weeks after treatment against your own skin, not against clear skin. "
                "It is saved as the day before the treatment."
            )
        )
        usual = rating_grid(lambda sign: None, lambda sign: f"usual-{sign}-{round_}")
        photo = st.file_uploader(
            _("A photo of your usual skin"), type=ACCEPTED_EXTENSIONS, key=f"usual-photo-{round_}",
            max_upload_size=MAX_PHOTO_MB,
        )  # fmt: skip
    return usual, photo


DIGEST_SHOWN = 12  # hex digits of a file's SHA-256: enough to tell two files apart by eye


def shares_list(shares: tuple[Share, ...]) -> None:
    """The share record (Export & backup records each download): newest first."""
    st.header(_("What you have shared"))
    if not shares:
        st.caption(
            _(
                "Nothing yet. Each file you download on Export & backup is listed here: the date, who it was for, "
                "what it held and the start of its fingerprint (SHA-256)."
            )
        )
        return
    st.caption(
        _(
            "Each file downloaded on Export & backup. The fingerprint is the start of the file's SHA-256: "
            "the same file always has the same one, so you can tell which file someone has."
        )
    )
    # What the patient typed is text, never Markdown: a name like "**Dr** [x](...)" shows as typed.
    line = _("- {date} · {recipient} · {kind}: {included} · fingerprint `{fingerprint}`")
    lines = [
        line.format(
            date=short_date(share.day),
            recipient=escape_markdown(share.recipient) if share.recipient else f"*{_(NOT_SAID)}*",
            kind=share.kind.label,
            included=escape_markdown(share.included),
            fingerprint=share.sha256[:DIGEST_SHOWN],
        )
        for share in sorted(shares, key=lambda s: (s.day, s.id), reverse=True)
    ]
    st.markdown("\n".join(lines))


def signing_key_note(fingerprint: str | None) -> None:
    """The fingerprint the patient gives a clinic, so that it can tell the journal's signed files."""
    if fingerprint is None:
        st.caption(_("Your exports are signed by this journal's own key, made with your first export."))
        return
    st.markdown(
        _(
            "Your exports are signed by this journal's key, fingerprint **`{fingerprint}`**. Give it to your "
            "clinic: checking a file (Export & backup, Check an export) shows the key that signed it, and a "
            "matching fingerprint tells it came from your journal unchanged."
        ).format(fingerprint=fingerprint)
    )


def treatment_list(journal: Journal, treatments: tuple[Treatment, ...]) -> None:
    st.header(_("Your treatments"))
    today = journal.today()
    table = pd.DataFrame(
        {
            _("Date"): [t.day for t in treatments],
            _("Booked"): [_("booked, still to come") if t.day > today else "" for t in treatments],
            _("Areas"): [_area_words(t.areas) for t in treatments],
            _("Device"): [t.device for t in treatments],
            _("Needle depth (mm)"): [t.needle_depth_mm for t in treatments],
            _("Practitioner"): [t.practitioner for t in treatments],
            _("Contact details"): [t.practitioner_contact for t in treatments],
            _("Serums"): [t.serums for t in treatments],
            _("Reason"): [t.reason for t in treatments],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    labels = {t.id: f"{short_date(t.day)} · {_area_words(t.areas)}" for t in treatments}
    by_id = {t.id: t for t in treatments}
    with st.expander(_("Change a treatment")):
        edited: int = st.selectbox(_("Treatment"), list(labels), format_func=lambda i: labels[i], key="edit_treatment")
        edit_treatment(journal, by_id[edited])
    with st.expander(_("Remove a treatment")):
        chosen: int = st.selectbox(
            _("Treatment"), list(labels), format_func=lambda i: labels[i], key="remove_treatment"
        )
        # Keyed by the treatment: a confirmation never carries over to another one
        # (the chosen one may vanish from the list when another window removes it).
        confirmed = st.checkbox(_("Yes, remove it (your daily entries stay)"), key=f"confirm-remove-{chosen}")
        if st.button(_("Remove treatment"), disabled=not confirmed, key=f"remove-{chosen}"):
            journal.delete_treatment(chosen, based_on=by_id[chosen].version)
            flash("success", _("Treatment removed."))
            st.rerun()


def _area_words(areas: Sequence[str]) -> str:
    """The treated areas in words of the page's language ("face, neck")."""
    return _(", ").join(area_label(area).lower() for area in areas)


def treatment_state(treatment_id: int) -> EditState:
    prefix = f"treatment-{treatment_id}"
    return EditState(prefix, TREATMENT_FIELDS, lambda name: f"{prefix}-{name}", _treatment_widget)


EDITING = re.compile(r"_edit:treatment-(\d+)")


def removed_while_edited(journal: Journal, treatments: tuple[Treatment, ...]) -> None:
    """Changes typed into a treatment that another window removed meanwhile: the form
    is gone from the page, so its changes are offered here, never dropped unseen."""
    present = {t.id for t in treatments}
    for key in list(st.session_state):
        match = EDITING.fullmatch(str(key))
        if match is None or int(match[1]) in present:
            continue
        treatment_id = int(match[1])
        state = treatment_state(treatment_id)
        record = state.record
        if record is not None and record.conflict is None and state.changed:
            message = _(
                "The treatment you were changing was removed in another window or on another device, "
                "so your changes were not saved: record it again with them, or leave it removed."
            )
            state.hold(Conflict(message, stored=None, attempted=state.values(), based_on=record.based_on))
        if state.conflict is None:
            del st.session_state[key]  # nothing typed: nothing to offer
            continue
        resolve_treatment(journal, state, treatment_id, state.conflict)


def edit_treatment(journal: Journal, treatment: Treatment) -> None:
    state = treatment_state(treatment.id)
    prefix = state.scope
    record = state.start(treatment.version, treatment_fields(treatment))
    if record.conflict is not None:
        resolve_treatment(journal, state, treatment.id, record.conflict)
        return
    with st.form(f"{prefix}-form"):
        left, right = st.columns(2)
        with left:
            st.date_input(
                _("Date"), max_value=journal.today() + dt.timedelta(days=MAX_DAYS_AHEAD), key=state.key("day")
            )
            st.multiselect(_("Treated areas"), AREAS, format_func=area_label, key=state.key("areas"))
            st.number_input(
                _("Needle depth (mm)"), min_value=0.1, max_value=5.0, step=0.25, key=state.key("needle_depth_mm")
            )
        with right:
            st.text_input(_("Device"), key=state.key("device"))
            st.text_input(_("Practitioner or clinic"), key=state.key("practitioner"))
            st.text_input(_(CONTACT_LABEL), key=state.key("practitioner_contact"))
            st.text_input(_("Serums applied"), key=state.key("serums"))
        st.text_input(_(REASON_LABEL), placeholder=_(REASON_HINT), key=state.key("reason"))
        for question in TREATMENT_QUESTIONS:
            yes_or_no(_(question.label), None, state.key(question.key))
        st.text_area(_("Notes"), key=state.key("notes"))
        if st.form_submit_button(_("Save changes")):
            save_treatment(journal, state, treatment.id, state.values(), record.based_on)


def _treatment_widget(name: str, value: Any) -> Any:
    if name == "areas":
        return list(value or [])
    if name in ("device", "practitioner", "practitioner_contact", "serums", "reason", "notes"):
        return value or ""
    return value


def save_treatment(
    journal: Journal, state: EditState, treatment_id: int, values: dict[str, Any], based_on: str
) -> None:
    details = treatment_details(values)
    saved_or_held(
        state, lambda: journal.update_treatment(treatment_id, based_on=based_on, **details), _("Treatment saved.")
    )


def treatment_details(values: dict[str, Any]) -> dict[str, Any]:
    """A treatment form's fields as the journal's keyword arguments (areas -> area)."""
    return {("area" if name == "areas" else name): values[name] for name in TREATMENT_FIELDS}


def resolve_treatment(journal: Journal, state: EditState, treatment_id: int, conflict: Conflict) -> None:
    stored = conflict.stored
    resolution = conflict_panel(
        f"conflict-treatment-{treatment_id}",
        str(conflict),
        base=state.record.base if state.record else {},
        mine=state.normal(conflict.attempted),
        theirs=state.normal(treatment_fields(stored)) if isinstance(stored, Treatment) else None,
    )
    if resolution is None:
        return
    if resolution.values is None:
        state.reload()
        flash("info", _("The version saved meanwhile was kept."))
        st.rerun()
    if not isinstance(stored, Treatment):
        journal.add_treatment(**treatment_details(resolution.values))
        state.reload()
        flash("success", _("The treatment was recorded again."))
        st.rerun()
    save_treatment(journal, state, treatment_id, resolution.values, stored.version)


run_page(page)
