"""Charts on screen, built once for the journal's content and shown again from their specification.

Building the recovery chart with Altair and turning it into Vega-Lite took
about a second for a year of data, on every visit of the page. The finished
specifications are kept (store.recent) under the snapshot's `revision` (every
row read), its day and the thresholds, plus what the page chose; a journal
that changed in any way builds afresh.

The Recovery chart's panels are shown as pictures (`chart_pictures`): drawn
once per view on this computer as SVG, a wide one and a narrow one, each with
its chart's description as text alternative; the column's own width picks
which is shown (a CSS container query), so a phone gets labels it can read.
A browser drawing live Vega for a year-long course spent most of the page
switch on it (benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import altair as alt
import streamlit as st

from charts.chart_image import description, svg_picture
from charts.course_chart import vega_lite_spec
from healing_journal.workspace import Workspace
from recovery.language import current
from store.recent import RecentResults

_RECENT_SPECS: RecentResults[list[dict[str, Any]]] = RecentResults(size=8)

# Pixel widths the pictures are drawn at, and the column width from which the
# wide one is shown. The narrow one fits a phone's column (390 px screen); the
# wide one a desktop's. Each is scaled to its column, so its labels stay
# between about 0.8x and 1.5x their drawn size (11-13 px).
WIDE_PX = 760
NARROW_PX = 420
WIDE_FROM_PX = 600
DRAWING_THREADS = 4


@dataclass(frozen=True)
class ChartPicture:
    wide: str  # SVG markup
    narrow: str
    alt: str  # the chart's description, read instead of the picture


_RECENT_PICTURES: RecentResults[list[ChartPicture]] = RecentResults(size=8)

_BY_COLUMN_WIDTH = """
<style>
.st-key-{key} {{ container-type: inline-size; }}
@container (max-width: {narrow_below}px) {{ .st-key-{key}-wide {{ display: none; }} }}
@container (min-width: {wide_from}px) {{ .st-key-{key}-narrow {{ display: none; }} }}
</style>
"""


def chart_specs(
    workspace: Workspace, choice: Hashable, build: Callable[[], Sequence[alt.TopLevelMixin]]
) -> list[dict[str, Any]]:
    """The specifications of the charts `build()` makes of this journal for the
    page's `choice` (which must name everything the page chose: area, session, sign, ...)."""
    snapshot = workspace.snapshot
    # In the run's language: a chart's titles, key and description are words.
    key = (snapshot.revision, snapshot.today, workspace.view.thresholds, current(), choice)
    return _RECENT_SPECS.get(key, lambda: [vega_lite_spec(chart) for chart in build()])


def show_spec(spec: dict[str, Any], place: Any = st) -> None:
    # Streamlit takes the tables out of the dict it is given: hand it a copy.
    place.vega_lite_chart(dict(spec), width="stretch")


def chart_pictures(
    workspace: Workspace, choice: Hashable, build: Callable[[], Sequence[alt.TopLevelMixin]]
) -> list[ChartPicture]:
    """The charts `build()` makes, drawn as pictures, kept as `chart_specs` keeps specifications."""
    snapshot = workspace.snapshot
    key = (snapshot.revision, snapshot.today, workspace.view.thresholds, current(), choice)

    def draw() -> list[ChartPicture]:
        specs = chart_specs(workspace, choice, build)
        # vl-convert draws outside the interpreter lock: the pictures are drawn side by
        # side (on 2 cores, a course's 14 pictures in about half the time).
        with ThreadPoolExecutor(max_workers=DRAWING_THREADS, thread_name_prefix="chart-picture") as pool:
            wide = pool.map(svg_picture, specs, [WIDE_PX] * len(specs))
            narrow = pool.map(svg_picture, specs, [NARROW_PX] * len(specs))
            return [ChartPicture(w, n, description(spec)) for w, n, spec in zip(wide, narrow, specs)]

    return _RECENT_PICTURES.get(key, draw)


def show_pictures(pictures: Sequence[ChartPicture], key: str) -> None:
    """The pictures one under the other: the wide ones in a wide column, the narrow ones in a narrow one.

    What is not shown is display: none, which also keeps a screen reader from
    reading the descriptions twice."""
    st.html(_BY_COLUMN_WIDTH.format(key=key, narrow_below=WIDE_FROM_PX - 1, wide_from=WIDE_FROM_PX))
    with st.container(key=key):
        for size in ("wide", "narrow"):
            with st.container(key=f"{key}-{size}"):
                for picture in pictures:
                    st.image(getattr(picture, size), alt=picture.alt, width="stretch")
