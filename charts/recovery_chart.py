"""The recovery chart: each sign's daily rating against its expected band.

Built with Altair from the typed records, so the app shows it in the browser
and the PDF summary renders the very same chart to an image without a
browser. Rows are matched on the sign's code (`Sign.value`), never on the
label a patient reads, so renaming a label cannot detach a line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from recovery.course import band_series
from recovery.flags import Flag
from recovery.measured import MeasuredPoint
from recovery.model import Entry
from recovery.vocabulary import ALL_SIGNS, SEVERITY_STYLES, Sign, descriptor

RATING_COLOUR = "#1f4e79"
BAND_COLOUR = "#7fbf7f"
MEASURED_COLOUR = "#6a3d9a"
UNCALIBRATED_COLOUR = "#8a8f94"
MIN_DAYS_SHOWN = 14
# Whole days only: a short course would otherwise get ticks at 0.5, 1.5, ...
DAY_AXIS = alt.Axis(tickMinStep=1, format="d")
ALL_SIGNS_KEY = "all"
# A chart's width in pixels, or the width of its container.
Width = float | Literal["container"]


def _panel_height(sign: Sign) -> int:
    return 120 if sign.is_rated else 60


def rating_rows(
    entries: Iterable[Entry], signs: Sequence[Sign] = ALL_SIGNS, *, with_notes: bool = True
) -> pd.DataFrame:
    """One row per (day, sign) that has a rating, with what the tooltip says."""
    rows = []
    for entry in entries:
        if not entry.in_course:
            continue
        for sign in signs:
            rating = entry.rating(sign)
            if rating is None:
                continue
            rows.append(
                {
                    "day": entry.days_since_treatment,
                    "date": entry.day.isoformat(),
                    "sign": sign.value,
                    "rating": rating,
                    "descriptor": descriptor(sign, rating),
                    "notes": entry.notes if with_notes else "",
                }
            )
    return pd.DataFrame(rows, columns=["day", "date", "sign", "rating", "descriptor", "notes"])


def band_rows(last_day: int, signs: Sequence[Sign] = ALL_SIGNS) -> pd.DataFrame:
    rows = [
        {"sign": sign.value, "day": day, "expected_up_to": band}
        for sign in signs
        for day, band in band_series(sign, last_day)
    ]
    return pd.DataFrame(rows, columns=["sign", "day", "expected_up_to"])


def flag_rows(flags: Iterable[Flag]) -> pd.DataFrame:
    rows = [
        {
            "day": flag.days_since_treatment,
            "sign": flag.sign.value if flag.sign else ALL_SIGNS_KEY,
            "severity": flag.severity.word,
            "message": flag.message,
            "date": flag.first_day.isoformat(),
        }
        for flag in flags
        if flag.days_since_treatment is not None and flag.days_since_treatment >= 0
    ]
    return pd.DataFrame(rows, columns=["day", "sign", "severity", "message", "date"])


def measured_rows(points: Iterable[MeasuredPoint]) -> pd.DataFrame:
    rows = [
        {
            "day": p.day,
            "date": p.date.isoformat(),
            "sign": p.sign.value,
            "value": p.value,
            "what": p.what,
            "calibrated": p.calibrated,
        }
        for p in points
    ]
    return pd.DataFrame(rows, columns=["day", "date", "sign", "value", "what", "calibrated"])


def _last_day(ratings: pd.DataFrame) -> int:
    return max(MIN_DAYS_SHOWN, int(ratings["day"].max()) if len(ratings) else 0)


def recovery_chart(
    entries: Iterable[Entry],
    flags: Iterable[Flag] = (),
    *,
    signs: Sequence[Sign] = ALL_SIGNS,
    width: Width = "container",
    measured: Iterable[MeasuredPoint] = (),
    with_notes: bool = True,
) -> alt.VConcatChart:
    """Stacked panels, one per sign, sharing the days-since-treatment axis.

    `measured` are points measured from photos, drawn as dashed lines beside
    the patient's ratings. `with_notes` False leaves notes out of the
    tooltips (an image has none, and control characters break its renderer).
    """
    ratings = rating_rows(entries, signs, with_notes=with_notes)
    last_day = _last_day(ratings)
    data = _PanelData(ratings, band_rows(last_day, signs), flag_rows(flags), measured_rows(measured))
    # Altair validates every object it makes against the Vega-Lite schema
    # ("debug mode"); for a year of data that took most of a second per
    # chart. The finished specification is the same either way, and tests
    # validate it (to_dict()).
    with debug_mode(False):
        x_scale = alt.Scale(domain=[0, last_day], nice=False)
        panels = [_sign_panel(sign, data, x_scale, width) for sign in signs]
        # The configuration given at once: each configure_*() call copies the whole chart.
        config = alt.Config(
            axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11),
            title=alt.TitleConfig(fontSize=13, anchor="start"),
            view=alt.ViewConfig(strokeWidth=0),
        )
        return alt.VConcatChart(vconcat=panels, spacing=8, config=config)


def vega_lite_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart as the Vega-Lite specification a browser draws, its tables under `datasets`.

    As st.altair_chart makes it, without Altair's default theme (whose
    default sizes Streamlit also leaves out), and not validated again: a
    specification that can be kept and shown again without Altair
    (st.vega_lite_chart). The tables go through Altair's active data
    transformer, the default one unless something else switched it.
    """
    datasets: dict[str, Any] = {}
    # Not at the top level: no theme and no "$schema" are merged in, and the
    # tables are collected into `datasets` (Altair fills the dict it is given).
    spec = chart.to_dict(validate=False, context={"top_level": False, "datasets": datasets})
    spec["$schema"] = alt.SCHEMA_URL
    spec["datasets"] = datasets
    return spec


class _PanelData:
    def __init__(self, ratings: pd.DataFrame, bands: pd.DataFrame, flags: pd.DataFrame, measured: pd.DataFrame):
        self.ratings, self.bands, self.flags, self.measured = ratings, bands, flags, measured

    def of(self, frame: pd.DataFrame, sign: Sign) -> pd.DataFrame:
        return frame[frame["sign"] == sign.value]


def _sign_panel(sign: Sign, data: _PanelData, x_scale: alt.Scale, width: Width) -> alt.LayerChart:
    top = sign.top
    y_scale = alt.Scale(domain=[0, top], nice=False)
    x = alt.X("day:Q", scale=x_scale, title="Days since treatment", axis=DAY_AXIS)
    y_axis = alt.Axis(tickMinStep=1, values=list(range(top + 1)), format="d")
    band = (
        alt.Chart(data.of(data.bands, sign))
        .mark_area(interpolate="step-after", color=BAND_COLOUR, opacity=0.35)
        .encode(
            x=x,
            y=alt.Y("expected_up_to:Q", scale=y_scale, title=None, axis=y_axis),
            tooltip=[alt.Tooltip("day:Q", title="Day"), alt.Tooltip("expected_up_to:Q", title="Expected at most")],
        )
    )
    own = data.of(data.ratings, sign)
    tooltip = [
        alt.Tooltip("day:Q", title="Day"),
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("rating:Q", title="Your rating"),
        alt.Tooltip("descriptor:N", title="Meaning"),
        alt.Tooltip("notes:N", title="Notes"),
    ]
    line = alt.Chart(own).mark_line(color=RATING_COLOUR, strokeWidth=2).encode(x=x, y=alt.Y("rating:Q", scale=y_scale))
    points = (
        alt.Chart(own)
        .mark_circle(color=RATING_COLOUR, size=45, opacity=1)
        .encode(x=x, y=alt.Y("rating:Q", scale=y_scale), tooltip=tooltip)
    )
    layers: list[Any] = [band, line, points]
    own_flags = data.flags[data.flags["sign"].isin([sign.value, ALL_SIGNS_KEY])]
    if len(own_flags):
        layers.append(_flag_layer(own_flags, x, y_scale, top))
    own_measured = data.of(data.measured, sign)
    if len(own_measured):
        layers.append(_measured_layer(own_measured, x, y_scale))
    return alt.LayerChart(layer=layers, title=sign.label, width=width, height=_panel_height(sign))


def _severity_scale() -> Mapping[str, Any]:
    return {
        "domain": [style.word for style in SEVERITY_STYLES.values()],
        "range": [style.colour for style in SEVERITY_STYLES.values()],
    }


def _flag_layer(flags: pd.DataFrame, x: alt.X, y_scale: alt.Scale, top: int) -> alt.LayerChart:
    colour = alt.Color(
        "severity:N", scale=alt.Scale(**_severity_scale()), legend=alt.Legend(title="Flag", orient="top")
    )
    shape = alt.Shape(
        "severity:N",
        scale=alt.Scale(
            domain=[style.word for style in SEVERITY_STYLES.values()],
            range=[style.shape for style in SEVERITY_STYLES.values()],
        ),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("date:N", title="From"),
        alt.Tooltip("severity:N", title="Flag"),
        alt.Tooltip("message:N", title="Why"),
    ]
    rule = alt.Chart(flags).mark_rule(strokeDash=[4, 3], strokeWidth=1.5).encode(x=x, color=colour, tooltip=tooltip)
    marker = (
        alt.Chart(flags.assign(top=top))
        .mark_point(size=90, filled=True)
        .encode(x=x, y=alt.Y("top:Q", scale=y_scale), color=colour, shape=shape, tooltip=tooltip)
    )
    return alt.LayerChart(layer=[rule, marker])


def _measured_layer(measured: pd.DataFrame, x: alt.X, y_scale: alt.Scale) -> alt.LayerChart:
    """The calibrated (or reference-normalised) points as a dashed line; uncalibrated
    ones as loose grey rings, never joined into the line."""
    tooltip = [
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("what:N", title="Measured from photo"),
        alt.Tooltip("value:Q", title="Value", format=".1f"),
    ]
    y = alt.Y("value:Q", scale=y_scale)
    calibrated = measured[measured["calibrated"]]
    loose = measured[~measured["calibrated"]]
    line = (
        alt.Chart(calibrated)
        .mark_line(strokeDash=[6, 3], color=MEASURED_COLOUR, point=alt.OverlayMarkDef(filled=False, size=30))
        .encode(x=x, y=y, tooltip=tooltip)
    )
    rings = alt.Chart(loose).mark_point(color=UNCALIBRATED_COLOUR, size=30).encode(x=x, y=y, tooltip=tooltip)
    return alt.LayerChart(layer=[line, rings])


def series_chart(
    entries: Iterable[Entry],
    sign: Sign,
    treatment_days: Mapping[int, Any],
    *,
    width: Width = "container",
) -> alt.LayerChart:
    """One sign across the sessions of a series, overlaid: is recovery getting faster?"""
    rows = []
    numbers = {treatment_id: index for index, treatment_id in enumerate(treatment_days, start=1)}
    for entry in entries:
        rating = entry.rating(sign)
        if entry.treatment_id not in treatment_days or rating is None or entry.treatment_id is None:
            continue
        rows.append(
            {
                "day": entry.days_since_treatment,
                "rating": rating,
                "session": f"Session {numbers[entry.treatment_id]} ({treatment_days[entry.treatment_id]:%d %b})",
                "date": entry.day.isoformat(),
                "descriptor": descriptor(sign, rating),
            }
        )
    data = pd.DataFrame(rows, columns=["day", "rating", "session", "date", "descriptor"])
    top = sign.top
    last_day = max(MIN_DAYS_SHOWN, int(data["day"].max()) if len(data) else 0)
    band = band_rows(last_day, [sign])
    x = alt.X(
        "day:Q",
        title="Days since that session's treatment",
        scale=alt.Scale(domain=[0, last_day], nice=False),
        axis=DAY_AXIS,
    )
    y_scale = alt.Scale(domain=[0, top], nice=False)
    shaded = (
        alt.Chart(band)
        .mark_area(interpolate="step-after", color=BAND_COLOUR, opacity=0.3)
        .encode(x=x, y=alt.Y("expected_up_to:Q", scale=y_scale, title=sign.label))
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("rating:Q", scale=y_scale),
            color=alt.Color("session:N", title="Session", scale=alt.Scale(scheme="dark2")),
            tooltip=["session:N", "date:N", "day:Q", "rating:Q", "descriptor:N"],
        )
    )
    return alt.LayerChart(layer=[shaded, lines], width=width, height=220)
