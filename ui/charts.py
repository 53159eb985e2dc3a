"""Charts on screen, built once for the journal's content and shown again from their specification.

Building the recovery chart with Altair and turning it into Vega-Lite took
about a second for a year of data, on every visit of the page. The finished
specification is kept (store.recent) under the snapshot's `revision` (every
row read), its day and the thresholds, plus what the page chose; a journal
that changed in any way builds afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import streamlit as st

from charts.recovery_chart import vega_lite_spec
from healing_journal.workspace import Workspace
from store.recent import RecentResults

_RECENT_SPECS: RecentResults[dict[str, Any]] = RecentResults(size=8)


def show_chart(workspace: Workspace, choice: Hashable, build: Callable[[], alt.TopLevelMixin]) -> None:
    """Show the chart `build()` makes of this journal for the page's `choice`
    (which must name everything the page chose: area, session, sign, ...)."""
    snapshot = workspace.snapshot
    key = (snapshot.revision, snapshot.today, workspace.view.thresholds, choice)
    spec = _RECENT_SPECS.get(key, lambda: vega_lite_spec(build()))
    # Streamlit takes the tables out of the dict it is given: hand it a copy.
    st.vega_lite_chart(dict(spec), width="stretch")
