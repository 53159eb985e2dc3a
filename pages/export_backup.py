"""Export & backup: the PDF for a dermatologist, data for other apps, photos for a
hospital's image archive (DICOM), and backups.

Every file is made only when asked ("Prepare ..."), because a PDF with photos
or a backup of a long journal takes a moment; the download button then hands
over the file that was prepared. A backup is saved straight into a folder of
the patient's (the app runs on their computer); a download is offered only for
a journal small enough to pass through the app's memory (store.backup.places).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import streamlit as st

from healing_journal import Journal
from healing_journal.workspace import Workspace
from recovery.language import N_, _, ngettext, number
from recovery.model import Photo
from recovery.shares import included_words
from recovery.vocabulary import ShareKind, area_label
from store.backup import (
    RestoreRefused,
    backup,
    check_new_passphrase,
    estimated_size,
    inspect,
    restore,
    restore_into_empty_journal,
    write_backup_file,
)
from store.backup.format import MIN_PASSPHRASE
from store.backup.passphrases import GENERATED_WORDS, generate
from store.backup.places import DOWNLOAD_LIMIT, default_backup_folder, fits_download, new_backup_path
from store.errors import InvalidEntry, JournalError
from store.journal import MAX_RECIPIENT
from ui.language import in_page_language
from ui.reminders_download import reminders_download
from ui.session import flash, journal, reopen_journal, run_page, show_flashes
from ui.start_command import start_command
from ui.widgets import area_choices, escape_markdown

ALL_AREAS = N_("All areas")
RECIPIENT = "share_recipient"  # the key of "Who is this for?"
Shared = tuple[ShareKind, str]  # what a download records: its kind, and what it holds in words


def page(workspace: Workspace) -> None:
    st.title(_("Export & backup"))
    show_flashes()
    st.caption(
        _(
            "These files hold your health data and, if you include them, your photos. "
            "Share them only with people you trust, such as your dermatologist."
        )
    )
    recipient_field()
    summary_section(workspace)
    st.divider()
    data_section(workspace)
    st.divider()
    dicom_section(workspace)
    st.divider()
    reminders_download(workspace, key="reminders_export")
    st.divider()
    backup_section(workspace)
    st.divider()
    restore_section(workspace)
    st.divider()
    check_section()


def recipient_field() -> None:
    """One optional field for every export below: each download is recorded with it (the share record)."""
    st.text_input(
        _("Who is this for? (optional)"),
        key=RECIPIENT,
        max_chars=MAX_RECIPIENT,
        placeholder=_("Dr. Lee, dermatology clinic"),
        help=_(
            "Each file you download here is recorded with this name, the date, what it holds and a "
            "fingerprint of the file (SHA-256), so you can later tell who has which file. "
            "The list is under Profile & treatments, What you have shared."
        ),
    )


# --- the PDF ---------------------------------------------------------------------


def summary_section(workspace: Workspace) -> None:
    st.header(_("Summary for your dermatologist (PDF)"))
    st.caption(
        _(
            "Your treatments, skin type, the flags the app raised, the recovery chart, your daily ratings "
            "and photos at days 0, 1, 3, 7, 14, 30 and the latest: about four pages, readable in a minute."
        )
    )
    areas = [ALL_AREAS, *area_choices(workspace.snapshot)]
    left, right = st.columns(2)
    with left:
        area = st.selectbox(_("Area"), areas, format_func=_area_or_all, key="export_area")
    logged = workspace.snapshot.logged_days(None if area == ALL_AREAS else area)
    today = workspace.today
    first = min(logged) if logged else today
    with right:
        period = st.date_input(
            _("Period"), value=(first, today), min_value=min(first, today), max_value=today, key=f"export_period_{area}"
        )
    start, end = _period(period, first, today)
    include_photos = st.toggle(
        _("Include photos"),
        value=True,
        key="export_photos",
        help=_("Photos are printed from the stored copies, without location or camera data."),
    )
    chosen_area = None if area == ALL_AREAS else area
    shown = workspace.snapshot.narrowed(chosen_area, start, end)
    # The PDF prints the photos of its milestone days, not all: "selected photos".
    included = included_words(
        (e.area for e in shown.entries), (e.day for e in shown.entries), None if include_photos and shown.photos else 0
    )
    name = f"healing-journal-summary-{'all' if chosen_area is None else chosen_area}-{today.isoformat()}.pdf"
    prepared_download(
        workspace,
        "pdf",
        N_("Prepare PDF"),
        lambda: workspace.pdf(chosen_area, start, end, include_photos=include_photos),
        file_name=name,
        mime="application/pdf",
        choices=(chosen_area, start, end, include_photos),
        share=(ShareKind.PDF, included),
        spinner=N_("Drawing the charts and the photo pages..."),
        icon=":material/picture_as_pdf:",
    )


def _area_or_all(choice: str) -> str:
    return _(ALL_AREAS) if choice == ALL_AREAS else area_label(choice)


def _period(value: object, first: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The chosen range; while only its first day is picked, that day to today."""
    picked = list(value) if isinstance(value, (tuple, list)) else [value]
    days = [d for d in picked if isinstance(d, dt.date)]
    start = days[0] if days else first
    end = days[1] if len(days) > 1 else today
    return start, end


# --- CSV and FHIR ------------------------------------------------------------------


def data_section(workspace: Workspace) -> None:
    st.header(_("Your data for other apps"))
    entries = workspace.snapshot.entries
    areas, days = [e.area for e in entries], [e.day for e in entries]
    left, right = st.columns(2)
    with left:
        st.markdown(_("**Spreadsheet (CSV)**"))
        st.caption(_("One row per day and area; every column names its scale."))
        prepared_download(
            workspace,
            "csv",
            N_("Prepare CSV"),
            workspace.csv,
            file_name=f"healing-journal-{workspace.today.isoformat()}.csv",
            mime="text/csv",
            share=(ShareKind.CSV, included_words(areas, days, 0)),
            icon=":material/table:",
        )
    with right:
        st.markdown(_("**Health record (FHIR R4 JSON)**"))
        st.caption(_("Patient-reported observations in the format health systems exchange."))
        with_photos = st.toggle(_("Include photos in the FHIR file"), value=False, key="fhir_photos")
        prepared_download(
            workspace,
            "fhir",
            N_("Prepare FHIR file"),
            lambda: workspace.fhir(include_photos=with_photos),
            file_name=f"healing-journal-fhir-{workspace.today.isoformat()}.json",
            mime="application/fhir+json",
            choices=(with_photos,),
            share=(ShareKind.FHIR, included_words(areas, days, len(workspace.snapshot.photos) if with_photos else 0)),
            icon=":material/health_metrics:",
        )


# --- DICOM ------------------------------------------------------------------------


def dicom_section(workspace: Workspace) -> None:
    st.header(_("For a hospital's image archive (DICOM)"))
    st.caption(
        _(
            "If a hospital or clinic asks for your photos in their image archive (PACS): one DICOM file per "
            "photo, each treatment a study, each day a series, with a DICOMDIR, in one ZIP. The photos go "
            "as they are stored, without location or camera data."
        )
    )
    photos = workspace.snapshot.photos
    if not photos:
        st.info(_("No photos yet: photos added on Log a day can be exported here."))
        return
    labels = {photo.id: f"{photo.day.isoformat()} · {area_label(photo.area)} · {photo.day_label}" for photo in photos}
    chosen = st.multiselect(
        _("Photos"),
        list(labels),
        default=list(labels),
        format_func=labels.__getitem__,
        key="dicom_photos",
        help=_("All photos to begin with; remove any the archive should not get."),
    )
    name = st.text_input(
        _("Name in the file"),
        value=workspace.snapshot.profile.name,
        key="dicom_name",
        help=_(
            "Your name as in your profile; the hospital files the photos under it. Initials or "
            "another name will do if you would rather not give it."
        ),
    )
    problem = workspace.dicom_name_problem(name)
    if problem:
        st.error(problem)
    elif not chosen:
        st.info(_("Choose at least one photo to export."))
    else:
        prepared_download(
            workspace,
            "dicom",
            N_("Prepare DICOM files"),
            lambda: workspace.dicom(chosen, patient_name=name),
            file_name=f"healing-journal-dicom-{workspace.today.isoformat()}.zip",
            mime="application/zip",
            choices=(tuple(chosen), name),
            share=(ShareKind.DICOM, included_words(*_photos_in_words(photos, chosen))),
            spinner=N_("Writing one DICOM file per photo..."),
            icon=":material/radiology:",
        )


def _photos_in_words(photos: tuple[Photo, ...], chosen: list[int]) -> tuple[list[str], list[dt.date], int]:
    picked = [photo for photo in photos if photo.id in set(chosen)]
    return [p.area for p in picked], [p.day for p in picked], len(picked)


# --- backup and restore ------------------------------------------------------------

WITH_PASSPHRASE = N_("With a passphrase (recommended)")
WITHOUT_ENCRYPTION = N_("Without encryption")
UPLOAD = N_("Upload it")
ON_THIS_COMPUTER = N_("A file on this computer")


def backup_section(workspace: Workspace) -> None:
    st.header(_("Backup"))
    st.caption(
        _(
            "One ZIP file with everything: entries, treatments, profile and every photo. "
            "Keep it somewhere safe (an external drive, not a shared folder) and make a new one now and then."
        )
    )
    protection = st.radio(
        _("Protect the backup"), [WITH_PASSPHRASE, WITHOUT_ENCRYPTION], format_func=_, key="backup_protection"
    )
    if protection == WITH_PASSPHRASE:
        passphrase_advice()
    else:
        st.warning(
            _("Without a passphrase, anyone who gets hold of the file can see your notes and photos."),
            icon=":material/lock_open:",
        )
    current = workspace.journal
    size = estimated_size(current.folder)
    # A form: its fields reach the app together when a button is pressed, however the patient moved
    # between them (Tab onto a field's "show passphrase" eye does not hand the field's text over).
    with st.form("backup_form", enter_to_submit=False, border=False):
        first, second = passphrase_fields() if protection == WITH_PASSPHRASE else ("", "")
        folder = st.text_input(_("Save into this folder"), value=str(default_backup_folder()), key="backup_folder")
        save = st.form_submit_button(_("Save backup"), key="save_backup", type="primary", icon=":material/archive:")
        prepare = fits_download(size) and st.form_submit_button(
            _("Prepare backup for download"), key="prepare_backup", icon=":material/download:"
        )

    def passphrase() -> str | None:
        return check_new_passphrase(first, second) if protection == WITH_PASSPHRASE else None

    if save:
        save_backup(current, Path(folder.strip()).expanduser(), passphrase(), _everything_in_words(workspace))
    if fits_download(size):
        offer_download(
            workspace,
            "backup",
            (lambda: backup(current, passphrase=passphrase())) if prepare else None,
            file_name=f"healing-journal-backup-{workspace.today.isoformat()}.zip",
            mime="application/zip",
            choices=(protection, hashlib.sha256(first.encode()).hexdigest()),
            share=(ShareKind.BACKUP, _everything_in_words(workspace)),
            spinner=N_("Copying the journal and its photos..."),
        )
    else:
        st.caption(
            _(
                "Your journal is about {size}: too large to hand to the browser as a download "
                "(over {limit}, the browser copy would be held in memory). Save it into a folder."
            ).format(size=_size(size), limit=_size(DOWNLOAD_LIMIT))
        )


def _everything_in_words(workspace: Workspace) -> str:
    snapshot = workspace.snapshot
    return included_words((e.area for e in snapshot.entries), (e.day for e in snapshot.entries), len(snapshot.photos))


SUGGESTED = "backup_suggested_passphrase"


def passphrase_advice() -> None:
    """What a passphrase must withstand, and the button that suggests one (outside the form: it fills it)."""
    st.caption(
        _(
            "The backup is encrypted (AES-256): 7-Zip, Keka or WinZip open it with this passphrase. "
            "**Write the passphrase down and keep it apart from the backup: if it is lost, nobody can recover "
            "it, not even the app, and the backup can never be opened again.**"
        )
    )
    st.caption(
        _(
            "Anyone who gets hold of the file can try passphrases on it on their own computer, as fast as it "
            "allows: a single graphics card tries about ten million a second. So the app accepts only a "
            "passphrase that would take such a card decades to find, such as five or six unrelated words "
            "(at least {count} characters). A name, a date or a well-known phrase is found in moments."
        ).format(count=MIN_PASSPHRASE)
    )
    st.button(
        _("Suggest a passphrase"),
        key="suggest_passphrase",
        icon=":material/casino:",
        on_click=_suggest_passphrase,
        help=_("{count} words drawn at random from a list of 7,776 common English words.").format(
            count=GENERATED_WORDS
        ),
    )
    suggested = st.session_state.get(SUGGESTED)
    if suggested and st.session_state.get("backup_passphrase") != suggested:
        st.session_state.pop(SUGGESTED)  # the patient typed another: stop showing this one
        suggested = None
    if suggested:
        st.info(
            _(
                "Your suggested passphrase is filled in below. Write it down now, on paper, and keep it apart "
                "from the backup:"
            ),
            icon=":material/edit_note:",
        )
        st.code(suggested, language=None)


def passphrase_fields() -> tuple[str, str]:
    """The passphrase typed twice (inside the backup form)."""
    left, right = st.columns(2)
    first = left.text_input(_("Passphrase"), type="password", key="backup_passphrase", autocomplete="new-password")
    second = right.text_input(
        _("Passphrase again"), type="password", key="backup_passphrase_again", autocomplete="new-password"
    )
    return first, second


def _suggest_passphrase() -> None:
    """Before the fields are drawn: a new passphrase in both, and shown to be written down."""
    suggested = generate()
    st.session_state[SUGGESTED] = suggested
    st.session_state["backup_passphrase"] = suggested
    st.session_state["backup_passphrase_again"] = suggested


def save_backup(current: Journal, folder: Path, passphrase: str | None, included: str) -> None:
    target = new_backup_path(folder, current.today())
    copying = _("Copying the journal and its photos...")
    bar = st.progress(0.0, text=copying)

    def show(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=copying)

    summary = write_backup_file(current.folder, target, passphrase=passphrase, progress=show)
    bar.empty()
    record_share(ShareKind.BACKUP, included, target)  # a backup saved is a file that can travel, as a download
    saved = (
        _("Backup saved: {file} ({size}, {entries} entries, {photos} photos, encrypted with your passphrase).")
        if summary.encrypted
        else _("Backup saved: {file} ({size}, {entries} entries, {photos} photos, not encrypted).")
    )
    st.success(
        saved.format(
            file=escape_markdown(str(target)), size=_size(summary.size), entries=summary.entries, photos=summary.photos
        ),
        icon=":material/check_circle:",
    )
    if summary.left_out:
        missing = ngettext(
            "{count} photo file was missing or damaged on disk and was left out: {files}",
            "{count} photo files were missing or damaged on disk and were left out: {files}",
            len(summary.left_out),
        )
        st.warning(missing.format(count=len(summary.left_out), files=escape_markdown(", ".join(summary.left_out[:5]))))


def restore_section(workspace: Workspace) -> None:
    st.header(_("Restore a backup"))
    kind = st.radio(
        _("Where is the backup?"), [UPLOAD, ON_THIS_COMPUTER], format_func=_, key="restore_source", horizontal=True
    )
    source: Any = None
    if kind == UPLOAD:
        source = st.file_uploader(_("Backup file (.zip)"), type=["zip"], key="restore_file")
        st.caption(
            _(
                "Up to {size}: an upload passes through the app's memory. "
                "For a larger backup choose a file on this computer."
            ).format(size=_size(DOWNLOAD_LIMIT))
        )
    else:
        path = st.text_input(_("Backup file"), key="restore_path", placeholder=str(default_backup_folder() / "...zip"))
        source = Path(path.strip()).expanduser() if path.strip() else None
    encrypted = False
    if source is not None:
        try:
            encrypted = inspect(source).encrypted
        except RestoreRefused as problem:
            st.error(escape_markdown(str(problem)))
            return
    # A form, as for the backup: the passphrase reaches the app with the button, however it was left.
    with st.form("restore_form", enter_to_submit=False, border=False):
        passphrase = (
            st.text_input(_("Passphrase of this backup"), type="password", key="restore_passphrase")
            if encrypted
            else None
        )
        if workspace.snapshot.is_empty:
            restore_here(workspace.journal, source, passphrase)
        else:
            restore_elsewhere(workspace.journal, source, passphrase)


def restore_here(current: Journal, source: Any, passphrase: str | None) -> None:
    st.caption(
        _(
            "Your journal is still empty (no treatments, entries or photos), so the backup can replace it right here, "
            "profile included."
        )
    )
    if st.form_submit_button(
        _("Restore into this journal"),
        disabled=source is None,
        type="primary",
        icon=":material/settings_backup_restore:",
    ):
        try:
            with st.spinner(_("Checking and restoring the backup...")):
                summary = restore_into_empty_journal(current, source, passphrase=passphrase)
        finally:
            reopen_journal()  # the page's journal was closed, or its files replaced
        restored = _(
            "Your backup was restored into this journal: {entries} entries, {photos} photos and "
            "{treatments} treatments."
        )
        flash(
            "success",
            restored.format(entries=summary.entries, photos=summary.photos, treatments=summary.treatments),
        )
        st.rerun()


def restore_elsewhere(current: Journal, source: Any, passphrase: str | None) -> None:
    st.caption(
        _("A backup is restored into a new or empty folder, never over a journal: your current journal stays as it is.")
    )
    folder = st.text_input(_("Restore into this folder"), value=str(new_folder(current)), key="restore_folder")
    if st.form_submit_button(_("Restore"), disabled=source is None, icon=":material/settings_backup_restore:"):
        if not folder.strip():
            raise InvalidEntry(_("Give the folder to restore the backup into (a new or empty one)."))
        target = Path(folder.strip()).expanduser().absolute()
        with st.spinner(_("Checking and restoring the backup...")):
            restore(source, target, passphrase=passphrase, today=current.today())
            # Opened once: migrated to this version and made private to the patient.
            Journal.open(target, settings=current.settings.for_folder(target)).close()
        command = start_command(target)
        flash(
            "success",
            _("The backup was restored into {folder}. To open it, stop this app and start it with:").format(
                folder=target
            ),
            code=command,
        )
        st.session_state.pop("restore_folder", None)  # propose a fresh folder next time
        st.rerun()


def new_folder(current: Journal) -> Path:
    """A folder beside the journal's that does not exist yet."""
    base = current.folder.parent / f"{current.folder.name}-restored-{current.today().isoformat()}"
    candidate, number = base, 2
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{number}")
        number += 1
    return candidate


# --- checking a signed export -----------------------------------------------------------


def check_section() -> None:
    """Upload an export to see whether it is unchanged since the journal signed it (healing_journal.verify)."""
    st.header(_("Check an export"))
    st.caption(
        _(
            "Every file made here (PDF, CSV, FHIR, DICOM, backup) carries a signed list of what it holds and of "
            "each photo's fingerprint. Choose such a file to see whether anything in it changed since it was "
            "signed. A clinic can check it too, with python -m healing_journal verify FILE."
        )
    )
    uploaded = st.file_uploader(_("Exported file"), key="check_file")
    passphrase = st.text_input(
        _("Passphrase (only for a backup protected by one)"), type="password", key="check_passphrase"
    )
    if uploaded is None:
        return
    verdict = Journal.verify_export(uploaded.getvalue(), passphrase=passphrase or None)
    if verdict.ok:
        st.success(verdict.message, icon=":material/verified:")
    elif verdict.changed:
        st.error(verdict.message, icon=":material/gpp_bad:")
    else:
        st.warning(verdict.message, icon=":material/help:")


# --- prepare, then download ------------------------------------------------------------


def prepared_download(
    workspace: Workspace,
    key: str,
    prepare_label: str,
    make: Callable[[], bytes],
    *,
    file_name: str,
    mime: str,
    choices: Hashable = (),
    share: Shared,
    spinner: str = N_("Preparing..."),
    icon: str | None = None,
) -> None:
    """A "Prepare" button; once the file is made, its download button (until the choices change)."""
    pressed = st.button(_(prepare_label), key=f"prepare_{key}", icon=icon)
    offer_download(
        workspace,
        key,
        make if pressed else None,
        file_name=file_name,
        mime=mime,
        choices=choices,
        share=share,
        spinner=spinner,
    )


def offer_download(
    workspace: Workspace,
    key: str,
    make: Callable[[], bytes] | None,
    *,
    file_name: str,
    mime: str,
    choices: Hashable = (),
    share: Shared,
    spinner: str = N_("Preparing..."),
) -> None:
    """Makes the file when `make` is given; then, while the choices hold, its download button.
    A download is recorded (the share record): `share` is its kind and what it holds, in words."""
    state_key = f"_export_{key}"
    # A file made before the journal changed (a day saved in another tab or
    # page) is dropped, never handed out as if it were current.
    choices = (choices, workspace.snapshot.revision)
    held = st.session_state.get(state_key)
    if held is not None and held[0] != choices:
        held = None  # made for other choices or older data
    if make is not None:
        with st.spinner(_(spinner)):
            data = make()
        held = (choices, data)
        st.session_state[state_key] = held
    if held is not None:
        st.download_button(
            _("Download {file} ({size})").format(file=file_name, size=_size(len(held[1]))),
            data=held[1],
            file_name=file_name,
            mime=mime,
            key=f"download_{key}",
            type="primary",
            # Recorded when the file is downloaded, not when prepared (a file prepared and never
            # taken was not shared). A callable reruns the page after the download; the file stays
            # offered, as recording a share leaves the snapshot's revision alone (store.snapshot).
            on_click=in_page_language(record_share),
            args=(share[0], share[1], held[1]),
            icon=":material/download:",
        )


def record_share(kind: ShareKind, included: str, data: bytes | Path) -> None:
    """The download button's callback (and Save backup's): the file, with "Who is this for?" as it stands now."""
    try:
        journal().record_share(kind, str(st.session_state.get(RECIPIENT) or ""), included, data)
    except JournalError as exc:
        flash("error", _("The download was not recorded in What you have shared: {reason}").format(reason=exc))


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return _("{size} KB").format(size=number(max(1, round(count / 1024)), 0))
    return _("{size} MB").format(size=number(count / (1024 * 1024), 1))


run_page(page)
