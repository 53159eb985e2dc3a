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
from typing import Any, TypeVar

import altair as alt
import streamlit as st

from charts.chart_image import description, svg_picture
from charts.course_chart import vega_lite_spec
from healing_journal.workspace import Workspace
from recovery.language import current
from store.recent import RecentResults

_RECENT_SPECS: RecentResults[list[dict[str, Any]]] = RecentResults(size=8)
_RECENT_LIVE: RecentResults[list[dict[str, Any]]] = RecentResults(size=8)
# What a chart page shows beside its charts (the tables they are drawn from, the
# chart in words, its table alternative): the same for the same view.
_RECENT_VIEWS: RecentResults[Any] = RecentResults(size=8)
Made = TypeVar("Made")

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
    return _RECENT_SPECS.get(_view_key(workspace, choice), lambda: [vega_lite_spec(chart) for chart in build()])


def live_specs(
    workspace: Workspace, choice: Hashable, build: Callable[[], Sequence[alt.TopLevelMixin]]
) -> list[dict[str, Any]]:
    """`chart_specs`, with their tables already in the form st.vega_lite_chart sends
    (Arrow bytes), for charts the browser draws: Streamlit converted every table of
    every chart again at each visit, a fifth of Home's run on a year-long journal."""
    return _RECENT_LIVE.get(
        _view_key(workspace, choice), lambda: [_tables_as_arrow(spec) for spec in chart_specs(workspace, choice, build)]
    )


def _tables_as_arrow(spec: dict[str, Any]) -> dict[str, Any]:
    # Streamlit's own conversion, as it would make it at each run; bytes it passes on as they are.
    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    tables = {name: convert_anything_to_arrow_bytes(rows) for name, rows in spec.get("datasets", {}).items()}
    return {**spec, "datasets": tables}


def kept(workspace: Workspace, choice: Hashable, build: Callable[[], Made]) -> Made:
    """What `build()` makes of this journal for the page's `choice`, kept as the
    specifications are; it must not be changed by its user (frames: give a copy)."""
    made: Made = _RECENT_VIEWS.get(_view_key(workspace, choice), build)
    return made


def _view_key(workspace: Workspace, choice: Hashable) -> Hashable:
    """Everything a chart and its words depend on: the journal's rows (`revision`), its day,
    the thresholds, the run's language (titles, key and descriptions are words) and the page's choice."""
    snapshot = workspace.snapshot
    return (snapshot.revision, snapshot.today, workspace.view.thresholds, current(), choice)


def show_spec(spec: dict[str, Any], place: Any = st) -> None:
    # Streamlit takes the tables out of the dict it is given: hand it a copy.
    place.vega_lite_chart(dict(spec), width="stretch")


def chart_pictures(
    workspace: Workspace, choice: Hashable, build: Callable[[], Sequence[alt.TopLevelMixin]]
) -> list[ChartPicture]:
    """The charts `build()` makes, drawn as pictures, kept as `chart_specs` keeps specifications."""

    def draw() -> list[ChartPicture]:
        specs = chart_specs(workspace, choice, build)
        # vl-convert draws outside the interpreter lock: the pictures are drawn side by
        # side (on 2 cores, a course's 14 pictures in about half the time).
        with ThreadPoolExecutor(max_workers=DRAWING_THREADS, thread_name_prefix="chart-picture") as pool:
            wide = pool.map(svg_picture, specs, [WIDE_PX] * len(specs))
            narrow = pool.map(svg_picture, specs, [NARROW_PX] * len(specs))
            return [ChartPicture(w, n, description(spec)) for w, n, spec in zip(wide, narrow, specs)]

    return _RECENT_PICTURES.get(_view_key(workspace, choice), draw)


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
