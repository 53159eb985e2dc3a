"""The recovery chart's data: rows matched on codes, never on the words shown."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest

from charts.chart_key import key_items
from charts.chart_text import course_table, describe_sign
from charts.course_chart import (
    STRIP_TITLE,
    band_rows,
    configure,
    course_data,
    course_panels,
    recovery_chart,
    vega_lite_spec,
)
from recovery.course import expected_band
from recovery.flags import Flag, RuleId
from recovery.photo_trend import MeasuredPoint
from recovery.usual_skin import UsualSkin
from recovery.vocabulary import SEVERITY_STYLES, SIGN_INFO, Area, Severity, Sign
from tests import builders

T0 = dt.date(2026, 11, 1)


def _course() -> list[Any]:
    rows = [{"day": T0 + dt.timedelta(days=d), "redness": max(0, 3 - d), "spots": 1 if d > 4 else 0} for d in range(8)]
    return list(builders.snapshot(rows, [{"id": 1, "day": T0}]).entries)


def _points() -> list[MeasuredPoint]:
    return [
        MeasuredPoint(Sign.REDNESS, 2, T0 + dt.timedelta(days=2), 1.5, "measured redness"),
        MeasuredPoint(Sign.SPOTS, 6, T0 + dt.timedelta(days=6), 2.0, "measured spots"),
    ]


def _panels(chart: Any) -> dict[str, list[dict[str, Any]]]:
    """Each panel's title and the inline data of its layers."""
    spec = chart.to_dict()
    datasets = spec.get("datasets", {})
    panels = {}
    for panel in spec["vconcat"]:
        rows = []
        for layer in panel["layer"]:
            for sub in layer.get("layer", [layer]):
                name = sub.get("data", {}).get("name")
                rows.append({"mark": sub.get("mark"), "rows": datasets.get(name, [])})
        panels[panel.get("title", "Key")] = rows
    return panels


def _measured(panel: list[dict[str, Any]]) -> list[float]:
    return [row["value"] for layer in panel for row in layer["rows"] if "what" in row and "value" in row]


def test_each_panel_has_its_own_ratings_and_measured_line() -> None:
    panels = _panels(recovery_chart(_course(), measured=_points(), width=400))
    assert _measured(panels["Redness"]) == [1.5]
    assert _measured(panels[SIGN_INFO[Sign.SPOTS].label]) == [2.0]
    assert "Swelling" not in panels  # never rated in this course: no empty panel


def test_renaming_a_label_keeps_every_line(monkeypatch: pytest.MonkeyPatch) -> None:
    renamed = dataclasses.replace(SIGN_INFO[Sign.SPOTS], label="Dark marks")
    monkeypatch.setitem(SIGN_INFO, Sign.SPOTS, renamed)
    panels = _panels(recovery_chart(_course(), measured=_points(), width=400))
    assert "Dark marks" in panels
    assert _measured(panels["Dark marks"]) == [2.0]
    ratings = [row["rating"] for layer in panels["Dark marks"] for row in layer["rows"] if "rating" in row]
    assert 1 in ratings


def test_the_band_follows_the_expected_course() -> None:
    bands = band_rows(10, [Sign.REDNESS])
    assert list(bands["expected_up_to"]) == [expected_band(Sign.REDNESS, day).max_rating for day in range(11)]
    assert set(bands["sign"]) == {"redness"}


def _drawn_band(spec: dict[str, Any]) -> list[tuple[int, int]]:
    """The band a step-after area draws from a panel's rows: each day takes the level
    of the last row at or before it, up to the last row's day."""
    rows = spec["datasets"][spec["layer"][0]["data"]["name"]]
    steps = [(int(row["day"]), int(row["expected_up_to"])) for row in rows]
    levels = dict(steps)
    drawn, level = [], steps[0][1]
    for day in range(steps[-1][0] + 1):
        level = levels.get(day, level)
        drawn.append((day, level))
    return drawn


def test_the_band_drawn_from_its_changes_is_the_expected_course_every_day() -> None:
    # The chart sends only the days the band changes (and its last day): a step-after
    # area draws the very same band as a row per day did.
    long_course = [
        e
        for e in builders.snapshot(
            [{"day": T0 + dt.timedelta(days=d), "redness": 1} for d in range(0, 300, 7)], [{"id": 1, "day": T0}]
        ).entries
    ]
    data = course_data(long_course, baseline=UsualSkin(Area.FACE, {Sign.REDNESS: 1}, days=3))
    for compact in (False, True):
        redness = next(p for p in course_panels(data, compact=compact) if p.title == "Redness")
        spec = vega_lite_spec(configure(redness.chart))
        expected = list(
            zip(data.of(data.bands, Sign.REDNESS)["day"], data.of(data.bands, Sign.REDNESS)["expected_up_to"])
        )
        assert _drawn_band(spec) == [(int(d), int(b)) for d, b in expected]
        assert len(spec["datasets"][spec["layer"][0]["data"]["name"]]) < len(expected) / 10


def test_homes_small_trends_leave_the_notes_to_the_full_chart() -> None:
    rows = [{"day": T0 + dt.timedelta(days=d), "redness": 2, "notes": f"note of day {d}"} for d in range(5)]
    entries = list(builders.snapshot(rows, [{"id": 1, "day": T0}]).entries)
    data = course_data(entries)
    full, small = (
        json.dumps(
            vega_lite_spec(configure(next(p for p in course_panels(data, compact=c) if p.title == "Redness").chart))
        )
        for c in (False, True)
    )
    assert "note of day 3" in full and "note of day" not in small
    assert "2026-11-04" in small and "You rated" in small  # the dots still say the day and the level


# --- what the chart says, and to whom ---------------------------------------------------


def _flag(rule: RuleId, severity: Severity, day: int, sign: Sign | None) -> Flag:
    return Flag(rule, severity, sign, Area.FACE, T0 + dt.timedelta(days=day), day, f"{rule} on day {day}", "", "", 1)


FLAGS = [
    _flag(RuleId.WORSENING, Severity.CONTACT, 5, Sign.REDNESS),
    _flag(RuleId.PERSIST, Severity.WATCH, 5, Sign.REDNESS),
    _flag(RuleId.WARNING, Severity.URGENT, 3, None),
    _flag(RuleId.GAP, Severity.INFO, 6, None),
]


def test_flags_about_no_sign_sit_on_their_own_strip_and_the_most_serious_is_drawn_last() -> None:
    data = course_data(_course(), FLAGS)
    panels = course_panels(data, width=300)
    titles = [panel.title for panel in panels]
    assert titles == ["Key", "Redness", SIGN_INFO[Sign.SPOTS].label, STRIP_TITLE]
    spec = {panel.title: panel.chart.to_dict() for panel in panels}
    assert "urgent" not in json.dumps(spec["Redness"]).lower() + json.dumps(spec[SIGN_INFO[Sign.SPOTS].label]).lower()
    redness_flags = list(data.of(data.flags, Sign.REDNESS)["severity"])
    # Drawn in data order: the contact flag comes after the watch flag of the same day.
    assert redness_flags == [Severity.WATCH.word, Severity.CONTACT.word]
    strip = spec[STRIP_TITLE]
    rows = strip["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert rows == [Severity.URGENT.style.short, Severity.INFO.style.short]  # most serious row on top


def test_severity_has_a_shape_as_well_as_a_colour() -> None:
    shapes = [style.shape for style in SEVERITY_STYLES.values()]
    assert len(set(shapes)) == len(shapes)
    spec = json.dumps(course_panels(course_data(_course(), FLAGS), width=300)[1].chart.to_dict())
    assert '"shape"' in spec


def test_the_key_names_every_kind_of_mark_drawn_and_nothing_else() -> None:
    plain = [item.label for item in key_items(course_data(_course()))]
    assert plain == ["Normal range for that day (green)", "Your rating (dots)"]
    items = key_items(
        course_data(_course(), FLAGS, measured=_points(), baseline=UsualSkin(Area.FACE, {Sign.REDNESS: 1}, days=3))
    )
    labels = [item.label for item in items]
    assert any("usual skin" in label for label in labels)
    assert any("Measured from your photos" in label for label in labels)
    assert [label for label in labels if label.startswith("Flag")] == [
        f"Flag: {severity.word}" for severity in (Severity.URGENT, Severity.CONTACT, Severity.WATCH, Severity.INFO)
    ]


def test_the_axis_names_the_levels() -> None:
    panel = course_panels(course_data(_course()), width=300)[1]
    axis = panel.chart.to_dict()["layer"][0]["encoding"]["y"]["axis"]
    for name in Sign.REDNESS.level_names:
        assert repr(name) in axis["labelExpr"]


def test_every_panel_has_a_description_a_screen_reader_reads() -> None:
    data = course_data(_course(), FLAGS)
    for panel in course_panels(data, width=300):
        assert panel.chart.to_dict()["description"] == panel.description
    redness = describe_sign(Sign.REDNESS, data)
    # Day 3: rating 0 on day 3 is within; the course rates redness 3,2,1,0,... so nothing is above normal.
    assert redness.startswith("Redness: rated on 8 days; highest moderate on day 0; latest clear on day 7")
    assert "within the normal range every day" in redness
    assert f"flag '{Severity.CONTACT.word}' from day 5" in redness


def test_the_table_alternative_marks_days_above_normal() -> None:
    rows = [{"day": T0 + dt.timedelta(days=d), "redness": r} for d, r in enumerate([3, 2, 2, 2, 2, 2])]
    entries = list(builders.snapshot(rows, [{"id": 1, "day": T0}]).entries)
    data = course_data(entries, FLAGS)
    table = course_table(data)
    by_day = dict(zip(table["Day"], table["Redness"]))
    assert by_day[0] == "3 moderate"
    assert by_day[3] == "2 mild (above normal)"  # day 3 of a medium session: up to faint is normal
    flags_day_5 = dict(zip(table["Day"], table["Flags from this day"]))[5]
    assert flags_day_5 == f"{Severity.CONTACT.word}; {Severity.WATCH.word}"
    assert "above normal on days 3 to 5" in describe_sign(Sign.REDNESS, data)


def test_homes_small_trends_have_a_key_and_name_every_level() -> None:
    """Home's compact panels: a key first (what the green band and the dots are), and
    all five level names of the 0-4 scale, from the vocabulary, on each rated sign."""
    data = course_data(_course(), FLAGS, measured=_points())
    key, *signs = course_panels(data, width=300, compact=True)
    assert key.title == "Key" and "Normal range" in key.description and "Your rating" in key.description
    assert "Measured" not in key.description, "the small trends draw no measured line"
    assert [panel.title for panel in signs] == [sign.label for sign in data.signs]
    for panel, sign in zip(signs, data.signs):
        axis = panel.chart.to_dict()["layer"][0]["encoding"]["y"]["axis"]
        assert axis["values"] == list(range(sign.top + 1)) and axis["tickCount"] == sign.top + 1
        for name in sign.level_names:
            assert repr(name) in axis["labelExpr"]


def test_a_panel_drawn_as_a_picture_has_its_width_its_flags_and_its_description() -> None:
    # The Recovery chart page shows its panels as SVG pictures drawn on the server
    # (ui.charts.chart_pictures): the same specification, at a given width.
    from charts.chart_image import description, svg_picture
    from charts.course_chart import configure, vega_lite_spec

    panels = course_panels(course_data(_course(), FLAGS))
    redness = next(panel for panel in panels if panel.title == "Redness")
    spec = vega_lite_spec(configure(redness.chart))
    for width in (420, 760):
        svg = svg_picture(spec, width)
        assert svg.startswith("<svg") and f'width="{width}"' in svg
        assert "moderate" in svg and "Redness" in svg  # the level names and the title are drawn
        assert "mark-symbol" in svg  # the flags' markers (shapes)
    assert description(spec) == redness.description and description(spec).startswith("Redness: rated on ")


def test_a_picture_is_sent_in_fewer_bytes_and_draws_the_same() -> None:
    # Each dot's shape and paint written once and placed with <use>: a long course's
    # pictures were mostly the same dot written out again for every day.
    import io

    import numpy as np
    import vl_convert
    from PIL import Image

    from charts.chart_image import compact_svg
    from charts.course_chart import configure, vega_lite_spec

    start = T0 - dt.timedelta(days=120)
    rows = [{"day": start + dt.timedelta(days=d), "redness": (d * 7) % 5, "spots": d % 3} for d in range(120)]
    entries = list(builders.snapshot(rows, [{"id": 1, "day": start}]).entries)
    late_flags = [dataclasses.replace(flag, days_since_treatment=flag.days_since_treatment + 100) for flag in FLAGS]
    for panel in course_panels(course_data(entries, late_flags)):
        drawn = vl_convert.vegalite_to_svg({**vega_lite_spec(configure(panel.chart)), "width": 420})
        sent = compact_svg(drawn)
        pixels = [
            np.asarray(Image.open(io.BytesIO(vl_convert.svg_to_png(svg))).convert("RGB")).astype(int)
            for svg in (drawn, sent)
        ]
        assert pixels[0].shape == pixels[1].shape
        # Antialiased edges move by a shade at most (coordinates to a thousandth of a pixel).
        assert np.abs(pixels[0] - pixels[1]).max() <= 16, panel.title
        if panel.title in ("Redness", SIGN_INFO[Sign.SPOTS].label):
            assert len(sent) < len(drawn) / 2 and "<use" in sent
