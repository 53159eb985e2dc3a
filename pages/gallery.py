"""Photos of one area in date order, each labelled with its day since treatment and with
how it was calibrated and lined up; two days compared, a time-lapse, the reference card."""

from __future__ import annotations

import streamlit as st

from healing_journal import Journal
from healing_journal.workspace import Workspace
from photometry.lighting import UNCHECKED_MESSAGE
from recovery.language import _, full_date, ngettext, short_date, weekday_date
from recovery.model import Photo
from recovery.vocabulary import Area, View
from store.photos.analysed import Region
from ui.photo_composites import annotated_preview
from ui.photo_numbers import plain_lines, technical_lines
from ui.photo_paging import paged
from ui.photo_status import alignment_sentence, calibration_sentence, details, short_status
from ui.photo_text import outlined_alt, photo_alt
from ui.reference_card import offer_reference_card
from ui.seeing_change import seeing_change
from ui.session import flash, run_page, show_flashes
from ui.widgets import area_picker, escape_markdown

THUMB_PX = 160
PER_PAGE = 12  # three rows of four on a desktop


def photo_view(photo: Photo, region: Region) -> None:
    place = photo.area.label if photo.view is View.UNSPECIFIED else f"{photo.area.label} · {photo.view.label}"
    st.caption(f"{place} · {weekday_date(photo.day)} · {photo.day_label}")
    measured, full = st.tabs([_("Measured"), _("Full size")])
    with measured:
        show_spots = st.toggle(_("Outline detected spots"), value=True, key=f"spots-{photo.id}")
        st.image(
            annotated_preview(photo.path, region, show_spots, registration=photo.registration),
            caption=_("White: measured region · blue: untreated reference patch · yellow: detected spots"),
            alt=outlined_alt(photo),
        )
        st.markdown(f"{calibration_sentence(photo)}  \n{alignment_sentence(photo)}")
        if photo.lighting_differs:
            st.warning(
                _("Lighting differs from your first photo of this area and view: compare these numbers with care.")
            )
        elif photo.lighting_unchecked:
            st.info(_(UNCHECKED_MESSAGE))
        measured_values = plain_lines(photo)
        if measured_values:
            st.markdown(_("**Measured in this photo**") + "\n\n" + "\n".join(measured_values))
        with st.expander(_("Details")):
            figures = [*details(photo), *technical_lines(photo)]
            st.markdown("\n".join(f"- {escape_markdown(line)}" for line in figures) or _("No figures recorded."))
    with full:
        st.image(str(photo.path), alt=photo_alt(photo))
        if photo.captured_at:
            taken = _("Taken {date} {time} · {width} x {height} px")
            st.caption(
                taken.format(
                    date=full_date(photo.captured_at.date()),
                    time=f"{photo.captured_at:%H:%M}",
                    width=photo.width,
                    height=photo.height,
                )
            )


def page(workspace: Workspace) -> None:
    current = workspace.journal
    st.title(_("Photos"))
    show_flashes()
    area = area_picker(workspace.snapshot, key="gallery_area")
    photos = list(workspace.snapshot.photos_of(area))
    if not photos:
        st.info(_("No photos of this area yet. Add them on 'Log a day' or 'Import photos'."))
        offer_reference_card(expanded=True)
        return
    in_order = ngettext(
        "{count} photo in date order, the latest page first.",
        "{count} photos in date order, the latest page first.",
        len(photos),
    )
    st.caption(in_order.format(count=len(photos)))
    offer_reference_card()
    region = current.region(area)
    shown = paged(photos, key=f"gallery-page-{area}", per_page=PER_PAGE)
    # A grid that wraps: four abreast on a desktop, two on a phone (columns would stack one per row).
    with st.container(horizontal=True, gap="small"):
        for photo in shown:
            with st.container(width=THUMB_PX, gap="xsmall"):
                # Thumbnails only: the full photo is decoded when opened.
                st.image(
                    str(photo.thumb_path),
                    caption=f"{short_date(photo.day)} · {photo.day_label}",
                    alt=photo_alt(photo),
                    width="stretch",
                )
                st.caption(short_status(photo))
                if photo.view is not View.UNSPECIFIED:
                    st.caption(photo.view.label)
                if st.button(_("Open"), key=f"open-{photo.id}", icon=":material/zoom_in:"):
                    # Made when opened, so that its title is said in the page's language.
                    st.dialog(_("Photo"), width="large")(photo_view)(photo, region)
    seeing_change(photos, region)
    region_editor(current, area, region, photos[-1])


def region_editor(current: Journal, area: Area, region: Region, latest: Photo) -> None:
    with st.expander(_("Where photos are measured")):
        st.write(
            _(
                "Measurements look at the middle of the photo unless you choose. Mark the treated skin, and if you "
                "can, a patch of untreated skin (for example in front of the ear) to compare against."
            )
        )
        roi = _box_sliders(_("Treated region"), region.roi, key=f"roi-{area}")
        use_reference = st.checkbox(
            _("Compare with an untreated patch"), value=region.reference is not None, key=f"ref-on-{area}"
        )
        reference = (
            _box_sliders(_("Untreated patch"), region.reference or (0.02, 0.02, 0.15, 0.15), key=f"ref-{area}")
            if use_reference
            else None
        )
        proposed = Region(roi, reference)
        try:
            st.image(
                annotated_preview(latest.path, proposed, show_spots=False),
                caption=_("Your latest photo with the regions"),
                width=480,
                alt=_("{photo}, with the regions you chose marked").format(photo=photo_alt(latest)),
            )
        except ValueError:
            st.error(
                _("A region needs some width and height: move its left and right (or top and bottom) edges apart.")
            )
            return
        if st.button(_("Save and re-measure all photos of this area"), key=f"save-region-{area}"):
            bar = st.progress(0.0, text=_("Measuring..."))

            def measured(done: int, total: int) -> None:
                bar.progress(done / total, text=_("Measured {done} of {total}").format(done=done, total=total))

            count = current.set_region(area, proposed, progress=measured)
            again = ngettext(
                "Region saved; {count} photo measured again.", "Region saved; {count} photos measured again.", count
            )
            flash("success", again.format(count=count))
            st.rerun()


Box = tuple[float, float, float, float]


def _box_sliders(label: str, box: Box, key: str) -> Box:
    left, top, right, bottom = box
    horizontal = st.slider(
        _("{region}: left to right (percent of the width)").format(region=label),
        0,
        100,
        (round(left * 100), round(right * 100)),
        key=f"{key}-x",
    )
    vertical = st.slider(
        _("{region}: top to bottom (percent of the height)").format(region=label),
        0,
        100,
        (round(top * 100), round(bottom * 100)),
        key=f"{key}-y",
    )
    return (horizontal[0] / 100, vertical[0] / 100, horizontal[1] / 100, vertical[1] / 100)


run_page(page)
