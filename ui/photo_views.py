"""Photo views on screen: a view's guide (its drawing and one sentence), and the
view chooser of the Photos page (recovery.vocabulary.View).

Photos are compared, lined up and time-lapsed within one view of an area, so a
page with photos of several views asks which view to show; photos of no named
view (those taken before views existed) are a choice of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from recovery.language import _
from recovery.model import Photo
from recovery.view_guides import guide_svg
from recovery.vocabulary import VIEWS, View

GUIDE_WIDTH = 96  # px: small beside the sentence, on a phone too


def guide_drawing(view: View) -> None:
    """The view's guide drawing, described for screen readers."""
    st.image(guide_svg(view), width=GUIDE_WIDTH, alt=guide_alt(view))


def guide_alt(view: View) -> str:
    return _("How to take the view {view}: {guide}").format(view=view.label, guide=view.guide)


def views_in(photos: Sequence[Photo]) -> list[View]:
    """The views the photos have, in the vocabulary's order (unspecified first)."""
    present = {photo.view for photo in photos}
    return [view for view in VIEWS if view in present]


def view_chooser(photos: Sequence[Photo], key: str) -> View | None:
    """The view to show when the photos have several (a choice kept per area); None: no photos."""
    views = views_in(photos)
    if not views:
        return None
    if len(views) == 1:
        return views[0]
    # The first named view (front, whole area) unless the patient chose another.
    named = [view for view in views if view is not View.UNSPECIFIED]
    first = views.index(named[0]) if named else 0
    chosen: View = st.radio(
        _("View"), views, index=first, format_func=lambda view: view.label, key=key, horizontal=True
    )
    return chosen
