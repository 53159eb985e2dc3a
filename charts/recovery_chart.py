"""The recovery chart: each sign's daily rating against its expected band.

Built with Altair from plain records, so the app shows it in the browser and
the PDF summary renders the very same chart to an image without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import altair as alt
import pandas as pd

from recovery.course import band_series
from recovery.flags import SEVERITY_WORDS
from recovery.vocabulary import ALL_SIGNS, SIGN_LABELS, descriptor

SEVERITY_COLOURS = {"info": "#7f8c8d", "watch": "#e69f00", "contact": "#d55e00", "urgent": "#8b0000"}
RATING_COLOUR = "#1f4e79"
BAND_COLOUR = "#7fbf7f"
MIN_DAYS_SHOWN = 14
# Whole days only: a short course would otherwise get ticks at 0.5, 1.5, ...
DAY_AXIS = alt.Axis(tickMinStep=1, format="d")


def _panel_height(sign: str) -> int:
    return 60 if sign in ("bleeding", "dryness") else 120


def rating_rows(entries: Iterable[Mapping], signs: Sequence[str] = ALL_SIGNS) -> pd.DataFrame:
    """One row per (day, sign) that has a rating, with what the tooltip says."""
    rows = []
    for entry in entries:
        if entry.get("days_since_treatment") is None or entry["days_since_treatment"] < 0:
            continue
        for sign in signs:
            rating = entry.get(sign)
            if rating is None:
                continue
            rows.append(
                {
                    "day": entry["days_since_treatment"],
                    "date": entry["day"].isoformat(),
                    "sign": SIGN_LABELS[sign],
                    "rating": int(rating),
                    "descriptor": descriptor(sign, int(rating)),
                    "notes": entry.get("notes") or "",
                }
            )
    return pd.DataFrame(rows, columns=["day", "date", "sign", "rating", "descriptor", "notes"])


def band_rows(last_day: int, signs: Sequence[str] = ALL_SIGNS) -> pd.DataFrame:
    rows = [
        {"sign": SIGN_LABELS[sign], "day": day, "expected_up_to": band}
        for sign in signs
        for day, band in band_series(sign, last_day)
    ]
    return pd.DataFrame(rows)


def flag_rows(flags: Iterable) -> pd.DataFrame:
    rows = [
        {
            "day": flag.days_since_treatment,
            "sign": SIGN_LABELS.get(flag.sign or "", "All signs"),
            "severity": SEVERITY_WORDS[flag.severity],
            "message": flag.message,
            "date": flag.first_day.isoformat(),
        }
        for flag in flags
        if flag.days_since_treatment is not None and flag.days_since_treatment >= 0
    ]
    return pd.DataFrame(rows, columns=["day", "sign", "severity", "message", "date"])


def _last_day(ratings: pd.DataFrame) -> int:
    return max(MIN_DAYS_SHOWN, int(ratings["day"].max()) if len(ratings) else 0)


def recovery_chart(
    entries: Iterable[Mapping],
    flags: Iterable = (),
    *,
    signs: Sequence[str] = ALL_SIGNS,
    width: int | str = "container",
    measured: pd.DataFrame | None = None,
) -> alt.VConcatChart:
    """Stacked panels, one per sign, sharing the days-since-treatment axis.

    `measured` (optional) has columns day, date, sign, value, what: series
    measured from photos, drawn as dashed lines beside the patient's ratings.
    """
    ratings = rating_rows(entries, signs)
    last_day = _last_day(ratings)
    bands = band_rows(last_day, signs)
    marks = flag_rows(flags)
    x_scale = alt.Scale(domain=[0, last_day], nice=False)
    panels = [_sign_panel(SIGN_LABELS[sign], sign, ratings, bands, marks, measured, x_scale, width) for sign in signs]
    return (
        alt.vconcat(*panels, spacing=8)
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .configure_title(fontSize=13, anchor="start")
        .configure_view(strokeWidth=0)
    )


def _sign_panel(label, sign, ratings, bands, marks, measured, x_scale, width) -> alt.LayerChart:
    top = 4 if sign not in ("bleeding", "dryness") else 1
    y_scale = alt.Scale(domain=[0, top], nice=False)
    x = alt.X("day:Q", scale=x_scale, title="Days since treatment", axis=DAY_AXIS)
    band = (
        alt.Chart(bands[bands["sign"] == label])
        .mark_area(interpolate="step-after", color=BAND_COLOUR, opacity=0.35)
        .encode(
            x=x,
            y=alt.Y(
                "expected_up_to:Q",
                scale=y_scale,
                title=None,
                axis=alt.Axis(tickMinStep=1, values=list(range(top + 1)), format="d"),
            ),
            tooltip=[alt.Tooltip("day:Q", title="Day"), alt.Tooltip("expected_up_to:Q", title="Expected at most")],
        )
    )
    own = ratings[ratings["sign"] == label]
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
    layers = [band, line, points]
    own_flags = marks[marks["sign"].isin([label, "All signs"])]
    if len(own_flags):
        layers.append(_flag_layer(own_flags, x, y_scale, top))
    if measured is not None and len(measured):
        layers.append(_measured_layer(measured[measured["sign"] == label], x, y_scale))
    return alt.layer(*layers).properties(title=label, width=width, height=_panel_height(sign))


def _flag_layer(flags: pd.DataFrame, x, y_scale, top: int) -> alt.LayerChart:
    colour = alt.Color(
        "severity:N",
        scale=alt.Scale(domain=[SEVERITY_WORDS[s] for s in SEVERITY_COLOURS], range=list(SEVERITY_COLOURS.values())),
        legend=alt.Legend(title="Flag", orient="top"),
    )
    tooltip = [
        alt.Tooltip("date:N", title="From"),
        alt.Tooltip("severity:N", title="Flag"),
        alt.Tooltip("message:N", title="Why"),
    ]
    rule = alt.Chart(flags).mark_rule(strokeDash=[4, 3], strokeWidth=1.5).encode(x=x, color=colour, tooltip=tooltip)
    marker = (
        alt.Chart(flags.assign(top=top))
        .mark_point(shape="triangle-down", size=90, filled=True)
        .encode(x=x, y=alt.Y("top:Q", scale=y_scale), color=colour, tooltip=tooltip)
    )
    return alt.layer(rule, marker)


def _measured_layer(measured: pd.DataFrame, x, y_scale) -> alt.Chart:
    return (
        alt.Chart(measured)
        .mark_line(strokeDash=[6, 3], color="#b2182b", point=alt.OverlayMarkDef(filled=False, size=30))
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale),
            tooltip=[
                alt.Tooltip("date:N", title="Date"),
                alt.Tooltip("what:N", title="Measured from photo"),
                alt.Tooltip("value:Q", title="Value", format=".1f"),
            ],
        )
    )


def series_chart(
    entries: Iterable[Mapping], sign: str, treatment_days: Mapping[int, object], *, width: int | str = "container"
) -> alt.LayerChart:
    """One sign across the sessions of a series, overlaid: is recovery getting faster?"""
    rows = []
    for entry in entries:
        treatment_id = entry.get("treatment_id")
        if treatment_id not in treatment_days or entry.get(sign) is None:
            continue
        number = list(treatment_days).index(treatment_id) + 1
        rows.append(
            {
                "day": entry["days_since_treatment"],
                "rating": int(entry[sign]),
                "session": f"Session {number} ({treatment_days[treatment_id]:%d %b})",
                "date": entry["day"].isoformat(),
                "descriptor": descriptor(sign, int(entry[sign])),
            }
        )
    data = pd.DataFrame(rows, columns=["day", "rating", "session", "date", "descriptor"])
    top = 4 if sign not in ("bleeding", "dryness") else 1
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
        .encode(x=x, y=alt.Y("expected_up_to:Q", scale=y_scale, title=SIGN_LABELS[sign]))
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
    return alt.layer(shaded, lines).properties(width=width, height=220)
