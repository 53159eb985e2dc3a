"""Charts on screen, built once for the journal's content and shown again from their specification.

Building the recovery chart with Altair and turning it into Vega-Lite took
about a second for a year of data, on every visit of the page. The finished
specifications are kept (store.recent) under the snapshot's `revision` (every
row read), its day and the thresholds, plus what the page chose; a journal
that changed in any way builds afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import altair as alt
import streamlit as st

from charts.course_chart import vega_lite_spec
from healing_journal.workspace import Workspace
from store.recent import RecentResults

_RECENT_SPECS: RecentResults[list[dict[str, Any]]] = RecentResults(size=8)


def chart_specs(
    workspace: Workspace, choice: Hashable, build: Callable[[], Sequence[alt.TopLevelMixin]]
) -> list[dict[str, Any]]:
    """The specifications of the charts `build()` makes of this journal for the
    page's `choice` (which must name everything the page chose: area, session, sign, ...)."""
    snapshot = workspace.snapshot
    key = (snapshot.revision, snapshot.today, workspace.view.thresholds, choice)
    return _RECENT_SPECS.get(key, lambda: [vega_lite_spec(chart) for chart in build()])


def show_spec(spec: dict[str, Any], place: Any = st) -> None:
    # Streamlit takes the tables out of the dict it is given: hand it a copy.
    place.vega_lite_chart(dict(spec), width="stretch")


def show_chart(workspace: Workspace, choice: Hashable, build: Callable[[], alt.TopLevelMixin]) -> None:
    """One chart, kept as `chart_specs` keeps them."""
    for spec in chart_specs(workspace, choice, lambda: [build()]):
        show_spec(spec)
