"""The recovery chart's data: rows matched on codes, never on the words shown."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from charts.recovery_chart import band_rows, recovery_chart
from recovery.course import expected_band
from recovery.measured import MeasuredPoint
from recovery.vocabulary import SIGN_INFO, Sign
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
        panels[panel["title"]] = rows
    return panels


def _measured(panel: list[dict[str, Any]]) -> list[float]:
    return [row["value"] for layer in panel for row in layer["rows"] if "what" in row and "value" in row]


def test_each_panel_has_its_own_ratings_and_measured_line() -> None:
    panels = _panels(recovery_chart(_course(), measured=_points(), width=400))
    assert _measured(panels["Redness"]) == [1.5]
    assert _measured(panels[SIGN_INFO[Sign.SPOTS].label]) == [2.0]
    assert _measured(panels["Swelling"]) == []


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
