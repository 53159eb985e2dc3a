"""A chart's Vega-Lite specification drawn once, on this computer, as an SVG picture.

Why: on the Recovery chart page the browser compiled and ran Vega for every
panel at every visit, about 0.5-1 s of its main thread for a year-long course
on a 2-core machine (benchmarks/README.md, "Page switches"). A picture drawn
once per view (ui.charts keeps them) costs the browser a decode. The same
renderer (vl-convert) draws the PDF's charts.
"""

from __future__ import annotations

from typing import Any


def svg_picture(spec: dict[str, Any], width: int) -> str:
    """The chart `spec` (its width "container" or a number) drawn `width` pixels wide, as SVG markup."""
    # Imported on first use: its JavaScript engine takes about a second to start,
    # which no page but the chart's needs to pay.
    import vl_convert

    sized = {**spec, "width": width}
    svg: str = vl_convert.vegalite_to_svg(sized)
    return svg


def description(spec: dict[str, Any]) -> str:
    """The chart's text alternative (every chart of the journal carries one)."""
    return str(spec.get("description") or "")
