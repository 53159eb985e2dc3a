"""The recovery chart: each sign's daily rating against its expected band.

Built with Altair from the typed records, so the app shows it in the browser
and the PDF summary renders the very same panels to an image without a
browser. Rows are matched on the sign's code (`Sign.value`), never on the
label a patient reads, so renaming a label cannot detach a line.

The page shows one chart per sign (`course_panels`): a single stacked chart
cannot shrink to a phone's width in Streamlit (nested compositions are laid
out at their natural size), while each panel alone fits its container. The
PDF stacks the same panels (`recovery_chart`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from charts.chart_key import KEY_COLOURS, key_chart, key_items
from charts.chart_text import describe_sign, describe_strip
from recovery.course import band_series
from recovery.flags import Flag
from recovery.language import N_, _, day_month
from recovery.model import Entry
from recovery.photo_trend import MeasuredPoint
from recovery.usual_skin import UsualSkin
from recovery.vocabulary import ALL_SIGNS, RATED_SIGNS, SEVERITY_STYLES, Depth, Sign, descriptor

MIN_DAYS_SHOWN = 14
DAY_TITLE = N_("Days since treatment")
# A chart's width in pixels, or the width of its container.
Width = float | Literal["container"]
# The same room for the level names on every panel, so the days line up.
Y_LABELS_PX = 64
STRIP_TITLE = N_("Warning signs, aftercare and missed days")


@dataclass(frozen=True)
class CourseData:
    """The tables one course's chart is drawn from, each keyed on sign codes."""

    ratings: pd.DataFrame
    bands: pd.DataFrame
    flags: pd.DataFrame
    measured: pd.DataFrame
    usual: pd.DataFrame
    last_day: int
    signs: tuple[Sign, ...]

    def of(self, frame: pd.DataFrame, sign: Sign) -> pd.DataFrame:
        return frame[frame["sign"] == sign.value]

    @property
    def strip_flags(self) -> pd.DataFrame:
        """Flags about no single sign (warning signs, aftercare, missed days)."""
        return self.flags[self.flags["sign"] == ""]


@dataclass(frozen=True)
class Panel:
    """One chart of the page with the words a screen reader reads instead."""

    title: str
    chart: alt.LayerChart
    description: str


def course_data(
    entries: Iterable[Entry],
    flags: Iterable[Flag] = (),
    *,
    signs: Sequence[Sign] | None = None,
    measured: Iterable[MeasuredPoint] = (),
    with_notes: bool = True,
    depth: Depth = Depth.MEDIUM,
    baseline: UsualSkin | None = None,
) -> CourseData:
    """`signs` None: the signs with a rating or a flag in this course (the three
    main ones when nothing is logged yet). `with_notes` False leaves notes out of
    the tooltips (an image has none, and control characters break its renderer)."""
    entries = list(entries)
    flag_table = flag_rows(flags)
    shown = tuple(signs) if signs is not None else _signs_shown(entries, flag_table)
    ratings = rating_rows(entries, shown, with_notes=with_notes)
    last_day = max(MIN_DAYS_SHOWN, int(ratings["day"].max()) if len(ratings) else 0)
    return CourseData(
        ratings=ratings,
        bands=band_rows(last_day, shown, depth, baseline),
        flags=flag_table[flag_table["day"] <= last_day],
        measured=measured_rows(p for p in measured if p.sign in shown),
        usual=baseline_rows(last_day, shown, baseline),
        last_day=last_day,
        signs=shown,
    )


def _signs_shown(entries: Sequence[Entry], flags: pd.DataFrame) -> tuple[Sign, ...]:
    used = {sign for sign in ALL_SIGNS for e in entries if e.in_course and e.rating(sign) is not None}
    used |= {Sign(code) for code in flags["sign"] if code}
    return tuple(sign for sign in ALL_SIGNS if sign in used) or RATED_SIGNS[:3]


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


def band_rows(
    last_day: int, signs: Sequence[Sign] = ALL_SIGNS, depth: Depth = Depth.MEDIUM, baseline: UsualSkin | None = None
) -> pd.DataFrame:
    """The expected band of each sign for a session of this depth, raised to the
    patient's usual skin."""
    rows = [
        {"sign": sign.value, "day": day, "expected_up_to": band}
        for sign in signs
        for day, band in band_series(sign, last_day, depth, baseline.level(sign) if baseline else 0)
    ]
    return pd.DataFrame(rows, columns=["sign", "day", "expected_up_to"])


def band_steps(bands: pd.DataFrame) -> pd.DataFrame:
    """The rows of one sign's band where its level changes, and its last day: what a
    step-after area needs to draw the very same band (a year-long course has a
    handful of changes in its 300-odd days, each of which was a row sent to the browser)."""
    levels = bands["expected_up_to"]
    changes = levels.ne(levels.shift())
    changes.iloc[-1:] = True
    return bands[changes]


def baseline_rows(last_day: int, signs: Sequence[Sign], baseline: UsualSkin | None) -> pd.DataFrame:
    """The patient's usual level of each sign before treatment, where it is above 0."""
    rows = []
    if baseline is not None and baseline.is_known:
        for sign in signs:
            level = baseline.level(sign)
            if level:
                rows += [{"sign": sign.value, "day": day, "usual": level} for day in (0, last_day)]
    return pd.DataFrame(rows, columns=["sign", "day", "usual"])


def flag_rows(flags: Iterable[Flag]) -> pd.DataFrame:
    """One row per flag with a day in the course, least serious first, so that
    the most serious of a day is drawn last: on top."""
    shown = [f for f in flags if f.days_since_treatment is not None and f.days_since_treatment >= 0]
    rows = [
        {
            "day": flag.days_since_treatment,
            "sign": flag.sign.value if flag.sign else "",
            "severity": flag.severity.word,
            "level": flag.severity.style.short,
            "rank": flag.severity.rank,
            "message": flag.message,
            "date": flag.first_day.isoformat(),
        }
        for flag in sorted(shown, key=lambda f: f.severity.rank)
    ]
    return pd.DataFrame(rows, columns=["day", "sign", "severity", "level", "rank", "message", "date"])


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


# --- the panels ----------------------------------------------------------------------


def course_panels(data: CourseData, *, width: Width = "container", compact: bool = False) -> list[Panel]:
    """The key, one panel per sign, and the strip of flags about no single sign.

    `compact` draws small trends (Home): no measured lines, no flag strip, shorter
    panels; still a key and every level's name, or the small charts cannot be read.
    """
    # Altair validates every object it makes against the Vega-Lite schema
    # ("debug mode"); for a year of data that took most of a second per chart.
    # The finished specification is the same either way, and tests validate it.
    with debug_mode(False):
        return _panels(data, width, compact)


def _panels(data: CourseData, width: Width, compact: bool) -> list[Panel]:
    x_scale = alt.Scale(domain=[0, data.last_day], nice=False)
    items = key_items(data, measured=not compact)
    described = _("Key: {items}").format(items=_("; ").join(item.label for item in items))
    panels = [Panel(_("Key"), key_chart(items, width), described)]
    for index, sign in enumerate(data.signs):
        last = index == len(data.signs) - 1 and not len(data.strip_flags)
        chart = sign_panel(sign, data, x_scale, width, x_title=last and not compact, compact=compact)
        panels.append(Panel(sign.label, chart, describe_sign(sign, data)))
    strip = flag_strip(data, x_scale, width)
    if strip is not None and not compact:
        panels.append(Panel(_(STRIP_TITLE), strip, describe_strip(data)))
    return panels


def recovery_chart(
    entries: Iterable[Entry],
    flags: Iterable[Flag] = (),
    *,
    signs: Sequence[Sign] | None = None,
    width: Width = "container",
    measured: Iterable[MeasuredPoint] = (),
    with_notes: bool = True,
    depth: Depth = Depth.MEDIUM,
    baseline: UsualSkin | None = None,
) -> alt.VConcatChart:
    """The key and the panels of one course stacked into one chart (the PDF's image)."""
    data = course_data(
        entries, flags, signs=signs, measured=measured, with_notes=with_notes, depth=depth, baseline=baseline
    )
    panels = course_panels(data, width=width)
    chart = alt.VConcatChart(vconcat=[panel.chart for panel in panels], spacing=10, config=CHART_CONFIG)
    return chart


# Width fitted to the container, height the plot's own: Streamlit's default
# ("fit") squeezes the title and axes into the height, flattening a panel.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


# The configuration given at once: each configure_*() call copies the whole chart.
CHART_CONFIG = alt.Config(
    # Marks and axes stay out of a screen reader's way: each chart's description
    # (its text alternative) is read instead of hundreds of unlabelled dots.
    aria=False,
    mark=alt.MarkConfig(aria=False),
    axis=alt.AxisConfig(labelFontSize=11, titleFontSize=11, labelColor="#333333", titleColor="#333333"),
    title=alt.TitleConfig(fontSize=13, anchor="start", color="#1a1a1a"),
    view=alt.ViewConfig(strokeWidth=0),
)


def configure(chart: Any) -> Any:
    """The fonts and frame every recovery chart shares, as a top-level chart."""
    return chart.properties(autosize=FIT_WIDTH, config=CHART_CONFIG)


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


def sign_panel(
    sign: Sign, data: CourseData, x_scale: alt.Scale, width: Width, *, x_title: bool = True, compact: bool = False
) -> alt.LayerChart:
    top = sign.top
    y_scale = alt.Scale(domain=[0, top], nice=False)
    x = alt.X("day:Q", scale=x_scale, axis=alt.Axis(tickMinStep=1, format="d", title=_(DAY_TITLE) if x_title else None))
    y_axis = level_axis(sign)
    band = (
        alt.Chart(band_steps(data.of(data.bands, sign)))
        .mark_area(interpolate="step-after", color=KEY_COLOURS["band"], opacity=0.35)
        .encode(x=x, y=alt.Y("expected_up_to:Q", scale=y_scale, axis=y_axis))
    )
    own = data.of(data.ratings, sign)
    tooltip = [
        alt.Tooltip("day:Q", title=_("Day")),
        alt.Tooltip("date:N", title=_("Date")),
        alt.Tooltip("descriptor:N", title=_("You rated")),
    ]
    if compact:
        # A small trend's dots say the day and the level; the notes, repeated on
        # every sign's row, made most of Home's bytes (the full chart keeps them).
        own = own[["day", "date", "rating", "descriptor"]]
    else:
        tooltip.append(alt.Tooltip("notes:N", title=_("Notes")))
    colour = KEY_COLOURS["rating"]
    line = alt.Chart(own).mark_line(color=colour, strokeWidth=2).encode(x=x, y=alt.Y("rating:Q", scale=y_scale))
    points = (
        alt.Chart(own)
        .mark_circle(color=colour, size=30 if compact else 55, opacity=1)
        .encode(x=x, y=alt.Y("rating:Q", scale=y_scale), tooltip=tooltip)
    )
    layers: list[Any] = [band]
    usual = data.of(data.usual, sign)
    if len(usual):
        layers.append(_usual_layer(usual, x, y_scale))
    own_measured = data.of(data.measured, sign)
    if len(own_measured) and not compact:
        layers.append(_measured_layer(own_measured, x, y_scale))
    layers += [line, points]
    own_flags = data.of(data.flags, sign)
    if len(own_flags):
        layers.append(_flag_layer(own_flags, x, y_scale, top))
    # A compact rated panel is just tall enough for the five level names to stand apart.
    height = (80 if compact else 110) if sign.is_rated else (30 if compact else 50)
    return alt.LayerChart(
        layer=layers, title=sign.label, width=width, height=height, description=describe_sign(sign, data)
    )


def level_axis(sign: Sign) -> alt.Axis:
    """Every level's name instead of numbers (the vocabulary's short names): a
    scale named only at its ends leaves the patient guessing what 2 meant."""
    levels = list(range(sign.top + 1))
    return alt.Axis(
        values=levels,
        labelExpr=f"{list(sign.level_names)}[datum.value]",
        labelOverlap=False,  # every name shown: Vega would otherwise drop every other one
        # `values` alone is not enough: Vega-Lite's default tick count (one per 40 px)
        # still thins them, leaving a small panel with its two ends named.
        tickCount=len(levels),
        title=None,
        labelLimit=Y_LABELS_PX,
        minExtent=Y_LABELS_PX,
        maxExtent=Y_LABELS_PX,
    )


def _usual_layer(usual: pd.DataFrame, x: alt.X, y_scale: alt.Scale) -> alt.Chart:
    """The patient's usual skin before treatment: a thin dotted grey line."""
    chart: alt.Chart = (
        alt.Chart(usual)
        .mark_line(color=KEY_COLOURS["usual"], strokeDash=[2, 3], strokeWidth=1.5)
        .encode(x=x, y=alt.Y("usual:Q", scale=y_scale), tooltip=[alt.Tooltip("usual:Q", title=_("Your usual skin"))])
    )
    return chart


def severity_scales() -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """Colour and shape of each severity, keyed on the word the tooltip shows."""
    words = [style.word for style in SEVERITY_STYLES.values()]
    colours = {"domain": words, "range": [style.colour for style in SEVERITY_STYLES.values()]}
    shapes = {"domain": words, "range": [style.shape for style in SEVERITY_STYLES.values()]}
    return colours, shapes


_FLAG_TOOLTIP = [
    alt.Tooltip("date:N", title=_("From")),
    alt.Tooltip("severity:N", title=_("Flag")),
    alt.Tooltip("message:N", title=_("Why")),
]


def _flag_layer(flags: pd.DataFrame, x: alt.X, y_scale: alt.Scale, top: int) -> alt.LayerChart:
    """A thin rule from the day the flag started and a marker whose shape tells the
    severity; the most serious is drawn last, so it is never hidden."""
    colours, shapes = severity_scales()
    colour = alt.Color("severity:N", scale=alt.Scale(**colours), legend=None)
    shape = alt.Shape("severity:N", scale=alt.Scale(**shapes), legend=None)
    order = alt.Order("rank:Q")
    rule = alt.Chart(flags).mark_rule(strokeWidth=1.5, opacity=0.6).encode(x=x, color=colour, order=order)
    marker = (
        alt.Chart(flags.assign(top=top))
        .mark_point(size=110, filled=True, opacity=1, stroke="white", strokeWidth=0.8)
        .encode(x=x, y=alt.Y("top:Q", scale=y_scale), color=colour, shape=shape, order=order, tooltip=_FLAG_TOOLTIP)
    )
    return alt.LayerChart(layer=[rule, marker])


def flag_strip(data: CourseData, x_scale: alt.Scale, width: Width) -> alt.LayerChart | None:
    """Flags about no single sign on their own strip, one row per severity (named
    on the axis), the most serious row on top."""
    flags = data.strip_flags
    if not len(flags):
        return None
    colours, shapes = severity_scales()
    present = sorted({(int(r), str(level)) for r, level in zip(flags["rank"], flags["level"])}, reverse=True)
    rows = [level for _, level in present]
    y = alt.Y(
        "level:N",
        scale=alt.Scale(domain=rows),
        axis=alt.Axis(title=None, labelLimit=Y_LABELS_PX, minExtent=Y_LABELS_PX, maxExtent=Y_LABELS_PX),
    )
    x = alt.X("day:Q", scale=x_scale, axis=alt.Axis(tickMinStep=1, format="d", title=_(DAY_TITLE)))
    marker = (
        alt.Chart(flags)
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("severity:N", scale=alt.Scale(**colours), legend=None),
            shape=alt.Shape("severity:N", scale=alt.Scale(**shapes), legend=None),
            order=alt.Order("rank:Q"),
            tooltip=_FLAG_TOOLTIP,
        )
    )
    return alt.LayerChart(
        layer=[marker], title=_(STRIP_TITLE), width=width, height=24 * len(rows), description=describe_strip(data)
    )


def _measured_layer(measured: pd.DataFrame, x: alt.X, y_scale: alt.Scale) -> alt.LayerChart:
    """Calibrated points as a thin solid line with open squares (unlike a flag's
    marker); uncalibrated ones as loose grey rings, never joined into the line."""
    tooltip = [
        alt.Tooltip("date:N", title=_("Date")),
        alt.Tooltip("what:N", title=_("Measured from photo")),
        alt.Tooltip("value:Q", title=_("Value"), format=".1f"),
    ]
    y = alt.Y("value:Q", scale=y_scale)
    calibrated = measured[measured["calibrated"]]
    loose = measured[~measured["calibrated"]]
    line = (
        alt.Chart(calibrated)
        .mark_line(
            color=KEY_COLOURS["measured"],
            strokeWidth=1.5,
            point=alt.OverlayMarkDef(filled=False, shape="square", size=36, color=KEY_COLOURS["measured"]),
        )
        .encode(x=x, y=y, tooltip=tooltip)
    )
    rings = (
        alt.Chart(loose)
        .mark_point(color=KEY_COLOURS["uncalibrated"], size=36, shape="square")
        .encode(x=x, y=y, tooltip=tooltip)
    )
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
    session = _("Session {number} ({date})")
    for entry in entries:
        rating = entry.rating(sign)
        if entry.treatment_id not in treatment_days or rating is None or entry.treatment_id is None:
            continue
        rows.append(
            {
                "day": entry.days_since_treatment,
                "rating": rating,
                "session": session.format(
                    number=numbers[entry.treatment_id], date=day_month(treatment_days[entry.treatment_id])
                ),
                "date": entry.day.isoformat(),
                "descriptor": descriptor(sign, rating),
            }
        )
    data = pd.DataFrame(rows, columns=["day", "rating", "session", "date", "descriptor"])
    top = sign.top
    last_day = max(MIN_DAYS_SHOWN, int(data["day"].max()) if len(data) else 0)
    band = band_steps(band_rows(last_day, [sign]))
    x = alt.X(
        "day:Q",
        title=_("Days since that session's treatment"),
        scale=alt.Scale(domain=[0, last_day], nice=False),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    y_scale = alt.Scale(domain=[0, top], nice=False)
    y_axis = level_axis(sign)
    shaded = (
        alt.Chart(band)
        .mark_area(interpolate="step-after", color=KEY_COLOURS["band"], opacity=0.3)
        .encode(x=x, y=alt.Y("expected_up_to:Q", scale=y_scale, axis=y_axis))
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("rating:Q", scale=y_scale),
            color=alt.Color(
                "session:N", title=_("Session"), scale=alt.Scale(scheme="dark2"), legend=alt.Legend(orient="top")
            ),
            tooltip=["session:N", "date:N", "day:Q", "descriptor:N"],
        )
    )
    description = _("{sign} in each session, counted from its own treatment day, over the expected range.").format(
        sign=sign.label
    )
    return alt.LayerChart(layer=[shaded, lines], width=width, height=200, title=sign.label, description=description)
