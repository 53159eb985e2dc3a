"""The key of the recovery chart: every kind of mark drawn, named in words.

A chart of its own (one row per mark), so that the page and the PDF show the
same key, at any width: the rows stack, they never run off a phone's screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from recovery.language import _
from recovery.vocabulary import SEVERITY_STYLES, Severity

if TYPE_CHECKING:
    from charts.course_chart import CourseData, Width

# Colours of the chart's own marks; flags take their severity's colour. Each is
# at least 4.5:1 against white, except the band, which is an area (not text).
KEY_COLOURS = {
    "band": "#7fbf7f",
    "rating": "#1f4e79",
    "usual": "#4d5358",
    "measured": "#6a3d9a",
    "uncalibrated": "#6b7075",
}
ROW_PX = 20
SYMBOL_X, LINE_FROM, LINE_TO, TEXT_X = 14, 4, 24, 34


@dataclass(frozen=True)
class KeyItem:
    kind: str  # a KEY_COLOURS name, or "flag"
    label: str
    colour: str
    shape: str = "circle"


def key_items(data: CourseData, *, measured: bool = True) -> list[KeyItem]:
    """What this course's chart draws, and only that; `measured` False for charts
    drawn without the lines measured from photos (Home's small trends)."""
    items = [
        KeyItem("band", _("Normal range for that day (green)"), KEY_COLOURS["band"], "square"),
        KeyItem("rating", _("Your rating (dots)"), KEY_COLOURS["rating"]),
    ]
    if len(data.usual):
        items.append(KeyItem("usual", _("Your usual skin before treatment (dotted)"), KEY_COLOURS["usual"]))
    measured_points = data.measured if measured else data.measured.iloc[0:0]
    if len(measured_points) and measured_points["calibrated"].any():
        label = _("Measured from your photos (open squares)")
        items.append(KeyItem("measured", label, KEY_COLOURS["measured"], "square"))
    if len(measured_points) and (~measured_points["calibrated"]).any():
        items.append(
            KeyItem("uncalibrated", _("Measured, no reference in photo (grey squares)"), KEY_COLOURS["uncalibrated"])
        )
    ranks = sorted({int(rank) for rank in data.flags["rank"]}, reverse=True)
    for severity in (list(Severity)[rank] for rank in ranks):
        style = SEVERITY_STYLES[severity]
        items.append(KeyItem("flag", _("Flag: {severity}").format(severity=style.word), style.colour, style.shape))
    return items


def key_chart(items: list[KeyItem], width: Width) -> alt.LayerChart:
    rows = pd.DataFrame(
        [
            {"row": i, "kind": it.kind, "label": it.label, "colour": it.colour, "shape": it.shape}
            for i, it in enumerate(items)
        ]
    )
    y = alt.Y("row:O", axis=None)
    base = alt.Chart(rows)
    layers: list[Any] = [
        base.transform_filter(alt.datum.kind == "band")
        .mark_rect(color=KEY_COLOURS["band"], opacity=0.45)
        .encode(x=alt.value(LINE_FROM), x2=alt.value(LINE_TO), y=y),
        _line(base, "rating", y, dash=None),
        _line(base, "usual", y, dash=[2, 3]),
        _line(base, "measured", y, dash=None, width=1.5),
        base.transform_filter(alt.datum.kind == "rating")
        .mark_circle(color=KEY_COLOURS["rating"], size=55, opacity=1)
        .encode(x=alt.value(SYMBOL_X), y=y),
        base.transform_filter(alt.datum.kind == "measured")
        .mark_point(color=KEY_COLOURS["measured"], shape="square", size=36, filled=False)
        .encode(x=alt.value(SYMBOL_X), y=y),
        base.transform_filter(alt.datum.kind == "uncalibrated")
        .mark_point(color=KEY_COLOURS["uncalibrated"], shape="square", size=36)
        .encode(x=alt.value(SYMBOL_X), y=y),
        base.transform_filter(alt.datum.kind == "flag")
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=alt.value(SYMBOL_X),
            y=y,
            color=alt.Color("colour:N", scale=None),
            shape=alt.Shape("shape:N", scale=None),
        ),
        base.mark_text(align="left", baseline="middle", fontSize=12, color="#1a1a1a").encode(
            x=alt.value(TEXT_X), y=y, text="label:N"
        ),
    ]
    description = _("Key: {items}").format(items=_("; ").join(item.label for item in items))
    return alt.LayerChart(layer=layers, width=width, height=ROW_PX * len(items), description=description)


def _line(base: alt.Chart, kind: str, y: alt.Y, *, dash: list[int] | None, width: float = 2) -> alt.Chart:
    mark: dict[str, Any] = {"color": KEY_COLOURS[kind], "strokeWidth": width}
    if dash:
        mark["strokeDash"] = dash
    chart: alt.Chart = (
        base.transform_filter(alt.datum.kind == kind)
        .mark_rule(**mark)
        .encode(x=alt.value(LINE_FROM), x2=alt.value(LINE_TO), y=y)
    )
    return chart
