"""Photos of one area in date order, each labelled with its day since treatment."""

from __future__ import annotations

import streamlit as st

from ui.session import journal, run_page
from ui.widgets import area_picker

COLUMNS = 4


@st.dialog("Photo", width="large")
def full_size(photo) -> None:
    st.image(str(photo.path), caption=f"{photo.area.capitalize()} · {photo.day:%A %d %B %Y} · {photo.day_label}")
    if photo.captured_at:
        st.caption(f"Taken {photo.captured_at:%d %B %Y %H:%M} · {photo.width} x {photo.height} px")


def page() -> None:
    current = journal()
    st.title("Photos")
    area = area_picker(current, key="gallery_area")
    photos = current.photos(area=area)
    if not photos:
        st.info("No photos of this area yet. Add them on 'Log a day' or 'Import photos'.")
        return
    st.caption(f"{len(photos)} photo(s), oldest first.")
    for start in range(0, len(photos), COLUMNS):
        for column, photo in zip(st.columns(COLUMNS), photos[start : start + COLUMNS]):
            with column:
                # Thumbnails only: the full photo is decoded when opened.
                st.image(str(photo.thumb_path), caption=f"{photo.day:%d %b %Y} · {photo.day_label}")
                if st.button("Open", key=f"open-{photo.id}", icon=":material/zoom_in:"):
                    full_size(photo)


run_page(page)
