"""The guide drawing of each photo view: a small outline, drawn here as SVG text.

Log a day (on the computer and on the phone's page) shows it beside the view's
one sentence (recovery.vocabulary.VIEW_INFO), so the patient frames every
photo of a view the same way. Drawn from a few shapes, so nothing is
downloaded and every language gets the same picture; the words are the
catalogue's (the SVG's title is the view's label, for screen readers).
"""

from __future__ import annotations

from html import escape

from recovery.vocabulary import View

SIZE = 120  # a square drawing, in SVG units (shown at whatever size the page gives it)
_INK = "#37474f"
_CARD = "#fafafa"
_PATCHES = ("#d32f2f", "#388e3c", "#1976d2", "#9e9e9e")

_SHOULDERS = '<path d="M14 118 Q20 92 44 88 L76 88 Q100 92 106 118" />'
_NECK = '<path d="M50 76 L50 90 M70 76 L70 90" />'


def _front() -> str:
    return (
        f'{_SHOULDERS}{_NECK}<ellipse cx="60" cy="46" rx="24" ry="31" />'
        '<path d="M49 42 h5 M66 42 h5 M60 46 v10 h-3 M52 64 Q60 68 68 64" />'
    )


def _side(nose_left: bool) -> str:
    # A profile: the nose points the way the head is turned. A patient turning to
    # their right shows the camera their left side, their nose to the viewer's left.
    profile = (
        '<path d="M72 90 L74 76 Q94 62 88 34 Q82 14 60 14 Q42 15 40 36 L34 48 L41 51 L40 57 L43 60 L41 64 '
        'Q42 72 54 74 L54 90" /><path d="M45 38 h5" /><ellipse cx="70" cy="46" rx="4" ry="7" />'
    )
    drawn = f"{_SHOULDERS}{profile}"
    return drawn if nose_left else f'<g transform="translate({SIZE} 0) scale(-1 1)">{drawn}</g>'


def _close_up() -> str:
    patches = "".join(
        f'<rect x="{70 + 10 * i}" y="80" width="8" height="8" fill="{colour}" stroke="none" />'
        for i, colour in enumerate(_PATCHES)
    )
    return (
        '<rect x="6" y="6" width="108" height="108" rx="6" stroke-dasharray="6 4" />'
        '<circle cx="44" cy="48" r="26" /><path d="M32 44 h4 M46 40 h3 M40 56 h4 M52 52 h3" />'
        f'<rect x="64" y="72" width="48" height="30" rx="2" fill="{_CARD}" />{patches}'
    )


def _whole() -> str:
    corners = "M8 28 V8 H28 M92 8 H112 V28 M112 92 V112 H92 M28 112 H8 V92"
    return (
        f'<path d="{corners}" /><rect x="26" y="30" width="68" height="60" rx="14" />'
        '<path d="M40 52 h6 M60 46 h5 M52 66 h6 M72 62 h5" />'
    )


def _unspecified() -> str:
    question_mark = "M48 48 Q48 36 60 36 Q72 36 72 48 Q72 58 60 60 V70 M60 80 v4"
    return f'<rect x="10" y="10" width="100" height="100" rx="8" /><path d="{question_mark}" />'


_DRAWINGS = {
    View.FRONT: _front,
    View.LEFT: lambda: _side(nose_left=True),
    View.RIGHT: lambda: _side(nose_left=False),
    View.CLOSE_UP: _close_up,
    View.WHOLE: _whole,
    View.UNSPECIFIED: _unspecified,
}


def guide_svg(view: View) -> str:
    """The view's guide drawing as an SVG document (its title: the view's label)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        f'role="img" aria-label="{escape(view.label)}"><title>{escape(view.label)}</title>'
        f'<rect width="{SIZE}" height="{SIZE}" fill="#ffffff" />'
        f'<g fill="none" stroke="{_INK}" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round">'
        f"{_DRAWINGS[view]()}</g></svg>"
    )
