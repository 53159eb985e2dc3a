"""Seeing change on the Photos page: two days compared at the same lined-up crop, and a time-lapse.

Both show the skin inside (and a little around) the measuring region, as the
area's first photo framed it: every other photo is lined up with that one when
it is stored (ui.photo_composites does the work; this module only lays it out).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from functools import lru_cache

import streamlit as st
from PIL import Image

from recovery.language import _, current, short_date, speaking
from recovery.model import Photo
from recovery.view_choice import of_view
from recovery.vocabulary import View
from store.photos.analysed import Region
from ui import photo_composites
from ui.photo_text import comparison_alt, photo_alt, timelapse_alt
from ui.photo_views import view_chooser

COMPARE_LONG_SIDE = 900  # a landscape comparison, shown at the page's width
PORTRAIT_HEIGHT = 600  # a portrait one is made this tall, so it fits the window as it is
TIMELAPSE_LONG_SIDE = 640
TIMELAPSE_MOST_FRAMES = 60


def seeing_change(photos: Sequence[Photo], region: Region) -> None:
    """The "Seeing change" section for one area's photos (oldest first): the photos
    of one view at a time (a chooser when there are several) are compared, lined
    up and time-lapsed."""
    st.header(_("Seeing change"))
    # Compared, lined up and time-lapsed within one view: a left side with left sides.
    view = view_chooser(photos, key=f"seeing-view-{photos[0].area}") if photos else None
    photos = of_view(photos, view) if view is not None else photos
    waiting = [photo for photo in photos if photo.measuring]
    if waiting:
        # Not lined up yet: compared once they are (never shown as "could not be lined up").
        days = _(", ").join(short_date(photo.day) for photo in waiting)
        st.caption(_("Still being lined up and measured, so not compared yet: {days}.").format(days=days))
        photos = [photo for photo in photos if not photo.measuring]
    if len(photos) < 2:
        st.caption(_("Once there are two photos of this area, you can compare days and watch a time-lapse here."))
        return
    compare, lapse = st.tabs([_("Compare two days"), _("Time-lapse")])
    with compare:
        compare_two_days(photos, region)
    with lapse:
        timelapse(photos, region)


def _place(photos: Sequence[Photo]) -> str:
    """What the widgets' keys are named by: the area, and the view when it has a name
    (the keys of unspecified-view photos stay those of the time before views)."""
    first = photos[0]
    return str(first.area) if first.view is View.UNSPECIFIED else f"{first.area}-{first.view}"


def _labels(photos: Sequence[Photo]) -> dict[int, str]:
    """Each photo as "12 Nov 2026 · day 3"; a second photo of the same day gets "(2)"."""
    labels: dict[int, str] = {}
    seen: dict[str, int] = {}
    for photo in photos:
        label = f"{short_date(photo.day)} · {photo.day_label}"
        seen[label] = seen.get(label, 0) + 1
        labels[photo.id] = f"{label} ({seen[label]})" if seen[label] > 1 else label
    return labels


@st.fragment
def compare_two_days(photos: Sequence[Photo], region: Region) -> None:
    """Pick two days; the slider moves the boundary between the earlier (left) and the later photo."""
    labels = _labels(photos)
    ids = list(labels)
    by_id = {photo.id: photo for photo in photos}
    area = _place(photos)
    # The latest photo that is lined up, to start with: a stray latest photo would open on a refusal.
    lined_up = [i for i, photo in enumerate(photos) if photo.aligned_to == photos[0].id and photo.registration]
    latest = lined_up[-1] if lined_up else len(ids) - 1
    left, right = st.columns(2)
    with left:
        first: int = st.selectbox(_("Earlier"), ids, index=0, format_func=labels.__getitem__, key=f"compare-a-{area}")
    with right:
        second: int = st.selectbox(
            _("Later"), ids, index=latest, format_func=labels.__getitem__, key=f"compare-b-{area}"
        )
    earlier, later = sorted((by_id[first], by_id[second]), key=lambda photo: (photo.day, photo.id))
    baseline = photos[0]
    portrait = photo_composites.crop_aspect(region, baseline) < 1
    try:
        sides = _aligned_pair(earlier, later, baseline, region, PORTRAIT_HEIGHT if portrait else COMPARE_LONG_SIDE)
    except photo_composites.CannotCompare as exc:
        instead = _("They are shown side by side instead, each as it was framed.")
        st.warning(f"{exc} {instead}")
        _side_by_side(earlier, later, labels)
        return
    position = st.slider(
        _("Earlier ◀ ▶ Later"),
        min_value=0,
        max_value=100,
        value=50,
        format="%d%%",
        key=f"compare-wipe-{area}",
        help=_("Drag to move the boundary: left of it is the earlier photo, right of it the later one."),
    )
    drawn = (
        photo_composites.drawn_label(earlier, labels[earlier.id]),
        photo_composites.drawn_label(later, labels[later.id]),
    )
    shown = photo_composites.wipe(*sides, position / 100, labels=drawn)
    st.image(
        shown,
        width=shown.width if portrait else "stretch",
        caption=_("The same skin on both days, lined up with your first photo of this area and view."),
        alt=comparison_alt(earlier, later),
    )


@lru_cache(maxsize=8)
def _aligned_pair(
    first: Photo, second: Photo, baseline: Photo, region: Region, long_side: int
) -> tuple[Image.Image, Image.Image]:
    """Cached: moving the slider recomposes the picture without decoding the photos again.
    Photo records are frozen and carry their content hash and registration, so a
    re-measured photo is a new key."""
    return photo_composites.comparison_pair(first, second, baseline, region, long_side=long_side)


def _side_by_side(earlier: Photo, later: Photo, labels: dict[int, str]) -> None:
    pair = _fitted_pair(earlier, later)
    for column, photo, image in zip(st.columns(2), (earlier, later), pair):
        column.image(image, caption=labels[photo.id], width="stretch", alt=photo_alt(photo))


@lru_cache(maxsize=4)
def _fitted_pair(first: Photo, second: Photo) -> tuple[Image.Image, Image.Image]:
    """Cached like the aligned pair: every run of the page would decode both photos again."""
    return photo_composites.side_by_side_pair(first, second)


def timelapse(photos: Sequence[Photo], region: Region) -> None:
    """An aligned time-lapse of the area, made when asked for (it reads every photo)."""
    frames = photo_composites.spread(photos, TIMELAPSE_MOST_FRAMES)
    if len(frames) == len(photos):
        st.caption(_("Your photos of this area in date order, each lined up with the first one."))
    else:
        some = _(
            "Your photos of this area in date order ({shown} of {count}, evenly spread), "
            "each lined up with the first one."
        )
        st.caption(some.format(shown=len(frames), count=len(photos)))
    signature = _signature(frames, region)
    key = f"timelapse-{_place(photos)}"
    made = st.session_state.get(key)
    if made is None or made[0] != signature:
        place = st.empty()
        if not place.button(_("Make time-lapse"), key=f"make-{key}", icon=":material/movie:"):
            return
        place.empty()  # made once; the page shows it from now on
        with st.spinner(_("Lining up the photos...")):
            try:
                gif, left_out = photo_composites.timelapse(
                    frames, photos[0], region, fmt="GIF", long_side=TIMELAPSE_LONG_SIDE
                )
            except photo_composites.CannotCompare as exc:
                st.warning(str(exc))
                return
        made = (signature, gif, tuple(photo.id for photo in left_out))
        st.session_state[key] = made
    gif, left_out_ids = made[1], made[2]
    # GIF: the one animated format the page shows as it is (a WebP would be shown as its first frame).
    # Never resized by Streamlit (a resized GIF loses its animation): "stretch" leaves
    # the bytes as they are and lets the browser scale the picture to its container,
    # which is at most the GIF's own width (no blurry enlargement on a desktop) and
    # no wider than the screen (a phone would otherwise scroll sideways).
    shown = [photo for photo in frames if photo.id not in left_out_ids]
    with st.container(width=Image.open(io.BytesIO(gif)).width):
        st.image(gif, width="stretch", caption=_("Aligned time-lapse"), alt=timelapse_alt(shown or list(frames)))
    if left_out_ids:
        days = _(", ").join(short_date(photo.day) for photo in frames if photo.id in left_out_ids)
        st.caption(_("Left out because they could not be lined up with the first photo: {days}.").format(days=days))
    area = _place(photos)
    gif_column, webp_column = st.columns(2)
    gif_column.download_button(
        _("Download time-lapse (GIF)"),
        gif,
        file_name=f"healing-journal-{area}-timelapse.gif",
        mime="image/gif",
        on_click="ignore",
        key=f"gif-{key}",
    )

    language = current()  # the file is made on the press, perhaps outside this page run's context

    def webp() -> bytes:
        with speaking(language):
            data = photo_composites.timelapse(frames, photos[0], region, fmt="WEBP", long_side=TIMELAPSE_LONG_SIDE)
        return data[0]

    webp_column.download_button(
        _("Download time-lapse (WebP, truer colour)"),
        webp,
        file_name=f"healing-journal-{area}-timelapse.webp",
        mime="image/webp",
        on_click="ignore",
        key=f"webp-{key}",
    )


def _signature(frames: Sequence[Photo], region: Region) -> str:
    """Changes when a photo, its registration, the region or the language changes (the days
    are drawn on the frames in words): a stale time-lapse is not shown."""
    digest = hashlib.sha256(f"{current()}:{region!r}".encode())
    for photo in frames:
        digest.update(f"{photo.id}:{photo.sha256}:{photo.registration}".encode())
    return digest.hexdigest()
