"""Photos of one area in date order, each labelled with its day since treatment and with
how it was calibrated and lined up; two days compared, a time-lapse, the reference card."""

from __future__ import annotations

import streamlit as st

from healing_journal import Journal
from healing_journal.workspace import Workspace
from photometry.lighting import UNCHECKED_MESSAGE
from recovery.model import Photo
from recovery.vocabulary import Area
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


@st.dialog("Photo", width="large")
def photo_view(photo: Photo, region: Region) -> None:
    st.caption(f"{photo.area.label} · {photo.day:%A %d %B %Y} · {photo.day_label}")
    measured, full = st.tabs(["Measured", "Full size"])
    with measured:
        show_spots = st.toggle("Outline detected spots", value=True, key=f"spots-{photo.id}")
        st.image(
            annotated_preview(photo.path, region, show_spots, registration=photo.registration),
            caption="White: measured region · blue: untreated reference patch · yellow: detected spots",
            alt=outlined_alt(photo),
        )
        st.markdown(f"{calibration_sentence(photo)}  \n{alignment_sentence(photo)}")
        if photo.lighting_differs:
            st.warning("Lighting differs from your first photo of this area: compare these numbers with care.")
        elif photo.lighting_unchecked:
            st.info(UNCHECKED_MESSAGE)
        measured_values = plain_lines(photo)
        if measured_values:
            st.markdown("**Measured in this photo**\n\n" + "\n".join(measured_values))
        with st.expander("Details"):
            figures = [*details(photo), *technical_lines(photo)]
            st.markdown("\n".join(f"- {escape_markdown(line)}" for line in figures) or "No figures recorded.")
    with full:
        st.image(str(photo.path), alt=photo_alt(photo))
        if photo.captured_at:
            st.caption(f"Taken {photo.captured_at:%d %B %Y %H:%M} · {photo.width} x {photo.height} px")


def page(workspace: Workspace) -> None:
    current = workspace.journal
    st.title("Photos")
    show_flashes()
    area = area_picker(workspace.snapshot, key="gallery_area")
    photos = list(workspace.snapshot.photos_of(area))
    if not photos:
        st.info("No photos of this area yet. Add them on 'Log a day' or 'Import photos'.")
        offer_reference_card(expanded=True)
        return
    st.caption(f"{len(photos)} photo(s) in date order, the latest page first.")
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
                    caption=f"{photo.day:%d %b %Y} · {photo.day_label}",
                    alt=photo_alt(photo),
                    width="stretch",
                )
                st.caption(short_status(photo))
                if st.button("Open", key=f"open-{photo.id}", icon=":material/zoom_in:"):
                    photo_view(photo, region)
    seeing_change(photos, region)
    region_editor(current, area, region, photos[-1])


def region_editor(current: Journal, area: Area, region: Region, latest: Photo) -> None:
    with st.expander("Where photos are measured"):
        st.write(
            "Measurements look at the middle of the photo unless you choose. Mark the treated skin, and if you can, "
            "a patch of untreated skin (for example in front of the ear) to compare against."
        )
        roi = _box_sliders("Treated region", region.roi, key=f"roi-{area}")
        use_reference = st.checkbox(
            "Compare with an untreated patch", value=region.reference is not None, key=f"ref-on-{area}"
        )
        reference = (
            _box_sliders("Untreated patch", region.reference or (0.02, 0.02, 0.15, 0.15), key=f"ref-{area}")
            if use_reference
            else None
        )
        proposed = Region(roi, reference)
        try:
            st.image(
                annotated_preview(latest.path, proposed, show_spots=False),
                caption="Your latest photo with the regions",
                width=480,
                alt=f"{photo_alt(latest)}, with the regions you chose marked",
            )
        except ValueError:
            st.error("A region needs some width and height: move its left and right (or top and bottom) edges apart.")
            return
        if st.button("Save and re-measure all photos of this area", key=f"save-region-{area}"):
            bar = st.progress(0.0, text="Measuring...")

            def measured(done: int, total: int) -> None:
                bar.progress(done / total, text=f"Measured {done} of {total}")

            count = current.set_region(area, proposed, progress=measured)
            flash("success", f"Region saved; {count} photo(s) measured again.")
            st.rerun()


Box = tuple[float, float, float, float]


def _box_sliders(label: str, box: Box, key: str) -> Box:
    left, top, right, bottom = box
    horizontal = st.slider(
        f"{label}: left to right (% of width)", 0, 100, (round(left * 100), round(right * 100)), key=f"{key}-x"
    )
    vertical = st.slider(
        f"{label}: top to bottom (% of height)", 0, 100, (round(top * 100), round(bottom * 100)), key=f"{key}-y"
    )
    return (horizontal[0] / 100, vertical[0] / 100, horizontal[1] / 100, vertical[1] / 100)


run_page(page)
