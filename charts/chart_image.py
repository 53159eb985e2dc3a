"""A chart's Vega-Lite specification drawn once, on this computer, as an SVG picture.

Why: on the Recovery chart page the browser compiled and ran Vega for every
panel at every visit, about 0.5-1 s of its main thread for a year-long course
on a 2-core machine (benchmarks/README.md, "Page switches"). A picture drawn
once per view (ui.charts keeps them) costs the browser a decode. The same
renderer (vl-convert) draws the PDF's charts.
"""

from __future__ import annotations

import re
from typing import Any

# One mark of a layer as vl-convert writes it: its place, then its shape and paint,
# the same for every dot of a line (a year-long course draws 300 of each).
_PLACED_MARK = re.compile(
    r'<path aria-hidden="true" transform="translate\(([-0-9.e]+),([-0-9.e]+)\)" (d="[^"]*"[^>]*)/>'
)
# vl-convert writes coordinates to 16 significant digits; a thousandth of a pixel
# draws the same (a hundredth moved the miters of steep lines by a few shades).
_LONG_DECIMAL = re.compile(r"(\d\.\d{3})\d+")


def svg_picture(spec: dict[str, Any], width: int) -> str:
    """The chart `spec` (its width "container" or a number) drawn `width` pixels wide, as SVG markup."""
    # Imported on first use: its JavaScript engine takes about a second to start,
    # which no page but the chart's needs to pay.
    import vl_convert

    sized = {**spec, "width": width}
    return compact_svg(vl_convert.vegalite_to_svg(sized))


def compact_svg(svg: str) -> str:
    """The same picture in fewer bytes: each mark's shape and paint written once and
    placed with `<use>`, coordinates to a thousandth of a pixel.

    The page sends each picture at every visit (Streamlit sends SVG inside its
    messages), and a year-long course made 1.6 MB of them; most was the same
    dot written out again for every day."""
    shapes: dict[str, int] = {}
    link = "xlink:href" if "xmlns:xlink=" in svg else "href"

    def placed(match: re.Match[str]) -> str:
        number = shapes.setdefault(match[3], len(shapes))
        return f'<use {link}="#m{number}" x="{match[1]}" y="{match[2]}"/>'

    body = _PLACED_MARK.sub(placed, svg)
    if shapes:
        defs = "".join(f'<path id="m{number}" {shape}/>' for shape, number in shapes.items())
        opening = body.index(">", body.index("<svg")) + 1
        body = f"{body[:opening]}<defs>{defs}</defs>{body[opening:]}"
    return _LONG_DECIMAL.sub(r"\1", body)


def description(spec: dict[str, Any]) -> str:
    """The chart's text alternative (every chart of the journal carries one)."""
    return str(spec.get("description") or "")
