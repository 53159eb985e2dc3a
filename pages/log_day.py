"""Log a day: ratings, checklists, notes and photos for one day and area.

What the patient types is kept as the day's draft as they go (ui.day_form), so
nothing is lost on a day change, a page switch or a refresh; a save states the
version the form was filled from, and a day changed elsewhere meanwhile comes
back as both versions to choose from (ui.conflicts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from healing_journal import Journal
from healing_journal.workspace import Workspace
from recovery.card_words import card_of_day, eased_card_of_day, eased_line, emergency_ticks_title
from recovery.edits import entry_fields
from recovery.emergency_numbers import emergency_calls
from recovery.language import _, day_full_month, day_month, long_date, ngettext, weekday_date
from recovery.model import Entry, JournalSnapshot, Photo
from recovery.vocabulary import (
    AFTERCARE,
    AREAS,
    EMERGENCY_SIGNS,
    PRESENCE_SIGNS,
    PRODUCT_KINDS,
    QUESTION_BY_KEY,
    WARNING_SIGNS,
    Group,
    ProductKind,
    View,
    area_label,
    views_of,
)
from store import versions
from store.errors import Conflict, InvalidEntry
from store.photos.imaging import ACCEPTED_EXTENSIONS, MAX_PHOTO_MB
from store.validate import MAX_NOTES
from ui.conflicts import Choice, conflict_panel
from ui.day_form import AT_DAY_PHOTOS, AT_PHOTOS, AT_SAVE, DayForm
from ui.flags_view import card_box
from ui.language import in_page_language
from ui.layout import sticky_bottom
from ui.phone_access import use_my_phone
from ui.photo_feedback import retake_prompts
from ui.photo_status import BEING_MEASURED
from ui.photo_text import photo_alt
from ui.photo_views import guide_drawing
from ui.photo_waiting import waiting_notice
from ui.session import flash, run_page, say, show_flashes
from ui.widgets import (
    CAPTURE_GUIDANCE,
    area_picker,
    done_or_not,
    escape_markdown,
    rating_grid,
    treatment_caption,
)

# Questions answered with a tick (an unticked box is a "no"); the others are done / not done.
TICKED = (Group.SIGN, Group.WARNING, Group.EMERGENCY)


def widget_value(name: str, value: Any) -> Any:
    """A field as its widget holds it."""
    question = QUESTION_BY_KEY.get(name)
    if question is not None and question.group in TICKED:
        return bool(value)
    if name == "notes":
        return value or ""
    return value


def page(workspace: Workspace) -> None:
    snapshot = workspace.snapshot
    st.title(_("Log a day"))
    show_flashes()
    left, right = st.columns(2)
    with left:
        # No max_value: a future day typed in would only turn red, with the reason on hover.
        day = st.date_input(_("Day"), value=snapshot.today, key="log_day")
    with right:
        area = area_picker(snapshot, key="log_area")
    if day > snapshot.today:
        st.error(
            _("{day} has not come yet, so it cannot be logged. Choose today ({today}) or an earlier day.").format(
                day=weekday_date(day), today=day_full_month(snapshot.today)
            ),
            icon=":material/event_busy:",
        )
        return
    st.caption(treatment_caption(snapshot, day, area))
    use_my_phone(workspace.journal, key="log")
    waiting_notice(workspace.journal, snapshot)  # photos saved and still being measured
    retake_prompts(workspace, day, area)  # "Retake?" for the photos the last Save stored
    existing = snapshot.entry(day, area)
    form = DayForm(workspace.journal, day, area, existing, widget_value)
    if form.state.conflict is not None:
        resolve(form, form.state.conflict)
        return
    if existing:
        st.info(_("This day is already logged; saving updates it."), icon=":material/edit:")
    draft_notice(form)
    entry_form(workspace, form)
    day_photos(workspace.journal, snapshot, existing)
    products_section(workspace.journal, snapshot, day)
    if existing:
        delete_controls(workspace.journal, existing, form)


def draft_notice(form: DayForm) -> None:
    if form.record.restored_at is not None and form.draft is not None:
        kept = form.record.restored_at.astimezone()
        when = f"{kept:%H:%M}" if kept.date() == dt.date.today() else f"{kept:%d %B %H:%M}"
        restored = _("Unsaved changes from {when} restored — Save or Discard.").format(when=when)
        st.info(restored, icon=":material/history:")
    elif form.draft is not None:
        st.caption(_("Your changes are kept as a draft until you save the day or discard them."))
    if form.stale and form.state.changed:
        deleted = form.existing is None and form.record.based_on != versions.NONE
        st.warning(
            _(
                "This day was deleted in another window or on another device since you started. "
                "When you save, you will see both versions and choose what to keep."
            )
            if deleted
            else _(
                "This day was changed in another window or on another device since you started. "
                "When you save, you will see both versions and choose what to keep."
            ),
            icon=":material/sync_problem:",
        )


def entry_form(workspace: Workspace, form: DayForm) -> None:
    # The photo first: on a phone it is the day's main task, and the lists are long.
    photo_inputs(workspace, form)
    keep = in_page_language(form.keep)  # a draft's conflict is worded in the page's language
    st.header(_("How does the skin look?"))
    rating_grid(lambda sign: None, lambda sign: form.key(sign.value), on_change=keep)
    signs, care = st.columns([1, 2])
    with signs:
        st.markdown(_("**Also noticed**"))
        for sign in PRESENCE_SIGNS:
            st.checkbox(sign.label, key=form.key(sign.value), on_change=keep)
    with care:
        st.markdown(_("**Aftercare today**"))
        for question in AFTERCARE:
            done_or_not(question.label, None, form.key(question.key), on_change=keep)
    # The warning and emergency signs across the whole width: in a column their
    # longer labels were cut short ("…, or a change in your…"), and every word of
    # them matters.
    st.markdown(_("**Warning signs**: tick any you have"))
    for question in WARNING_SIGNS:
        st.checkbox(question.label, key=form.key(question.key), on_change=keep)
    calls = emergency_calls(workspace.snapshot.profile.country)
    st.markdown(f"**{escape_markdown(emergency_ticks_title(calls))}:**")
    for question in EMERGENCY_SIGNS:
        st.checkbox(question.label, key=form.key(question.key), on_change=keep)
    # The form stops at the journal's limit, rather than a save refusing the day for it.
    st.text_area(_("Notes"), key=form.key("notes"), on_change=keep, max_chars=MAX_NOTES)
    save_bar(workspace, form)


def save_bar(workspace: Workspace, form: DayForm) -> None:
    """Save, always in reach: the bar stays at the bottom of the screen while the
    form is scrolled (ui.layout.sticky_bottom), with the outcome of the last save in
    it and, first, the most serious card the saved day raised (an emergency, a sign
    to see someone about): a patient who saves and closes the page has seen it. A
    past day's card that a later day has eased is said too, in one line: the
    patient just ticked it and would otherwise see nothing happen."""
    with sticky_bottom("save-bar"):
        if form.just_saved:
            card = card_of_day(workspace.view, form.day, form.area)
            if card is not None:
                card_box(card)
            eased = eased_card_of_day(workspace.view, form.day, form.area)
            if eased is not None:
                # A warning box, not a calm one: it may still be there today.
                st.warning(escape_markdown(eased_line(eased)), icon=":material/history:")
        for kind, message in form.save_outcome:
            say(kind, message)
        show_flashes(AT_SAVE)
        save, discard = st.columns(2)
        if save.button(_("Save day"), type="primary", key=f"save-{form.suffix}", width="stretch"):
            form.save()
            st.rerun()
        if form.draft is not None and discard.button(_("Discard draft"), key=f"discard-{form.suffix}", width="stretch"):
            form.discard()
            flash("info", _("Your unsaved changes were discarded."), place=AT_SAVE)
            st.rerun()


def photo_inputs(workspace: Workspace, form: DayForm) -> None:
    st.header(_("Photos"))
    earlier = [p for p in workspace.snapshot.photos_of(form.area) if p.day < form.day]
    reference = earlier[-1] if earlier else None
    guide, capture = st.columns([1, 2])
    with guide:
        st.caption(_(CAPTURE_GUIDANCE))
        if reference is not None:
            st.image(
                str(reference.thumb_path),
                caption=_("Last photo: {date} ({day}). Frame today's the same way.").format(
                    date=day_month(reference.day), day=reference.day_label
                ),
                alt=photo_alt(reference),
            )
    with capture:
        # The camera starts only when asked for: opening the page to change a rating
        # must not raise a permission prompt or light the camera. The switch is
        # remembered per kind of device (a phone's stays on once turned on).
        camera = st.toggle(
            _("Take a photo with the camera"),
            value=form.camera_wanted(),
            key=form.camera_key,
            on_change=in_page_language(form.keep_camera_choice),
        )
        due = form.due_views(photo.view for photo in day_photos_of(workspace.snapshot, form.existing))
        if camera:
            # One camera, for the next view due (the camera stays with the guide's order).
            view = due[0] if due else View.UNSPECIFIED
            label = _("Camera: {view}").format(view=view.label) if due else _("Camera")
            key = form.photo_input("camera", view)
            st.camera_input(label, key=key, on_change=in_page_language(form.attach), args=("camera", view))
        show_flashes(AT_PHOTOS)
        for photo in form.photos:
            name, remove = st.columns([4, 1])
            size = max(1, photo.size // 1024)
            waiting = _("Waiting to be saved: {name} ({size} KB)").format(name=photo.name, size=size)
            name.text(f"{waiting} · {View(photo.view).label}")
            remove.button(
                _("Remove"),
                key=f"unattach-{photo.sha256[:16]}",
                on_click=in_page_language(form.remove_photo),
                args=(photo.sha256,),
            )
    due_view_inputs(form, due)
    st.file_uploader(
        _("Upload photos (JPEG, PNG or HEIC, up to {size} MB each)").format(size=MAX_PHOTO_MB)
        + " · "
        + View.UNSPECIFIED.label,
        type=ACCEPTED_EXTENSIONS,
        accept_multiple_files=True,
        key=form.photo_input("files", View.UNSPECIFIED),
        # The journal's own limit, so that the field and the uploader say the same;
        # the journal checks it again (stash_draft_photo) and names the file.
        max_upload_size=MAX_PHOTO_MB,
        on_change=in_page_language(form.attach),
        args=("files", View.UNSPECIFIED),
    )


def due_view_inputs(form: DayForm, due: tuple[View, ...]) -> None:
    """One photo input per view of the area still to take today, each with its guide;
    a view photographed (or attached) is no longer asked for."""
    if not due:
        st.success(_("Every view of this area has a photo today."), icon=":material/check_circle:")
        return
    st.markdown(
        _("**Views to take today**: {views}").format(views=_(", ").join(view.label for view in due)),
    )
    for view in due:
        with st.container(border=True, key=f"view-{view.value}"):
            drawing, words = st.columns([1, 4], vertical_alignment="center")
            with drawing:
                guide_drawing(view)
            with words:
                st.markdown(f"**{view.label}**: {view.guide}")
                kind = f"view-{view.value}"
                st.file_uploader(
                    _("Photo: {view}").format(view=view.label),
                    type=ACCEPTED_EXTENSIONS,
                    key=form.photo_input(kind, view),
                    max_upload_size=MAX_PHOTO_MB,
                    on_change=in_page_language(form.attach),
                    args=(kind, view),
                )


def day_photos_of(snapshot: JournalSnapshot, existing: Entry | None) -> tuple[Photo, ...]:
    return tuple(snapshot.photos_of(entry_id=existing.id)) if existing else ()


def day_photos(journal: Journal, snapshot: JournalSnapshot, existing: Entry | None) -> None:
    """The photos already on this day, each with delete and move."""
    photos = day_photos_of(snapshot, existing)
    show_flashes(AT_DAY_PHOTOS)  # a photo deleted or moved here is reported here
    if not photos:
        return
    st.header(_("Photos of this day"))
    for column, photo in zip(st.columns(min(len(photos), 4)) * (len(photos) // 4 + 1), photos):
        with column:
            st.image(str(photo.thumb_path), alt=photo_alt(photo))
            st.text(photo.source_name or _("photo"))
            st.caption(photo.view.label)
            if photo.measuring:
                st.caption(_(BEING_MEASURED))
            with st.popover(_("Delete or move"), icon=":material/more_horiz:", key=f"photo-menu-{photo.id}"):
                view_choice(journal, photo)
                st.divider()
                move_day = st.date_input(
                    _("Move to day"), value=photo.day, max_value=snapshot.today, key=f"move-day-{photo.id}"
                )
                move_area: str = st.selectbox(
                    _("Move to area"),
                    AREAS,
                    index=AREAS.index(photo.area),
                    format_func=area_label,
                    key=f"move-area-{photo.id}",
                )
                if st.button(_("Move photo"), key=f"move-{photo.id}"):
                    journal.move_photo(photo.id, move_day, move_area)
                    flash(
                        "success",
                        _("Photo moved to {area}, {date}. Ratings unchanged.").format(
                            area=area_label(move_area), date=long_date(move_day)
                        ),
                        place=AT_DAY_PHOTOS,
                    )
                    st.rerun()
                st.divider()
                confirmed = st.checkbox(_("Yes, delete this photo"), key=f"confirm-photo-{photo.id}")
                if st.button(_("Delete photo"), disabled=not confirmed, key=f"delete-photo-{photo.id}"):
                    journal.delete_photo(photo.id)
                    flash("success", _("The photo was deleted; the day's ratings and notes stay."), place=AT_DAY_PHOTOS)
                    st.rerun()


def view_choice(journal: Journal, photo: Photo) -> None:
    """Say which view a photo is (put under the wrong one, or taken before views)."""
    choices = [*dict.fromkeys((*views_of(photo.area), photo.view, View.UNSPECIFIED))]
    view: View = st.selectbox(
        _("View"), choices, index=choices.index(photo.view), format_func=lambda v: v.label, key=f"view-of-{photo.id}"
    )
    if st.button(_("Change view"), disabled=view is photo.view, key=f"set-view-{photo.id}"):
        journal.set_photo_view(photo.id, view)
        flash("success", _("Photo marked as {view}.").format(view=view.label), place=AT_DAY_PHOTOS)
        st.rerun()


AT_PRODUCTS = "products"


def products_section(journal: Journal, snapshot: JournalSnapshot, day: dt.date) -> None:
    """Products put on the skin and medicines started after treatment, as a dated list:
    the dermatologist asks for them first, and a product reaction names them."""
    st.header(_("Products and medicines after treatment"))
    show_flashes(AT_PRODUCTS)
    st.caption(
        _(
            "Anything new you put on the treated skin (serum, cream), and any medicine you started "
            "(antiviral, antibiotic, steroid cream), from the day you started it."
        )
    )
    for product in snapshot.products:
        left, right = st.columns([5, 1])
        left.markdown(f"**{long_date(product.day)}** · {product.kind.label}: {escape_markdown(product.name)}")
        if right.button(_("Remove"), key=f"remove-product-{product.id}"):
            journal.delete_product(product.id, based_on=product.version)
            flash("success", _("{name} removed from the list.").format(name=product.name), place=AT_PRODUCTS)
            st.rerun()
    with st.form("add-product", clear_on_submit=True):
        kind: ProductKind = st.selectbox(_("Kind"), PRODUCT_KINDS, format_func=lambda k: k.label)
        name = st.text_input(_("Name"), placeholder=_("e.g. vitamin C serum, antiviral tablets"))
        notes = st.text_input(_("Details (optional)"), placeholder=_("e.g. twice a day, prescribed by my GP"))
        if st.form_submit_button(_("Add, from {date}").format(date=day_full_month(day))):
            try:
                journal.add_product(day, kind, name, notes)
            except InvalidEntry as problem:
                st.error(str(problem))
                return
            added = _("{name} added, from {date}.").format(name=name.strip(), date=day_full_month(day))
            flash("success", added, place=AT_PRODUCTS)
            st.rerun()


def delete_controls(journal: Journal, existing: Entry, form: DayForm) -> None:
    confirm_key = f"confirm-delete-{existing.id}"
    # Keyed (and kept open once confirmed): a rerun that changes what is above it must not fold it.
    with st.expander(
        _("Delete this day's entry"), expanded=bool(st.session_state.get(confirm_key)), key=f"delete-day-{existing.id}"
    ):
        st.write(
            ngettext(
                "This removes the ratings, notes and {count} photo of this day and area.",
                "This removes the ratings, notes and {count} photos of this day and area.",
                existing.photo_count,
            ).format(count=existing.photo_count)
        )
        confirmed = st.checkbox(_("Yes, delete it for good"), key=confirm_key)
        if st.button(_("Delete entry"), disabled=not confirmed, key=f"delete-{existing.id}"):
            try:
                journal.delete_entry(existing.id, based_on=form.record.based_on)
            except Conflict:
                form.state.reload()
                raise
            journal.discard_draft(existing.day, existing.area)
            form.state.reload()
            flash("success", _("The entry was deleted."))
            st.rerun()


def resolve(form: DayForm, conflict: Conflict) -> None:
    stored = conflict.stored
    theirs = form.state.normal(entry_fields(stored)) if stored is not None else None
    resolution = conflict_panel(
        f"conflict-{form.suffix}",
        str(conflict),
        base=form.record.base,
        mine=form.state.normal(conflict.attempted),
        theirs=theirs,
    )
    if resolution is None:
        return
    if resolution.choice is Choice.THEIRS:
        form.keep_theirs()
        flash("info", _("The version saved meanwhile was kept.") if stored else _("The day stays deleted."))
    elif resolution.values is not None:
        # Based on what the patient has now seen; yet another version met comes back as a new conflict.
        form.save(resolution.values, based_on=stored.version if stored else versions.NONE)
    st.rerun()


run_page(page)
