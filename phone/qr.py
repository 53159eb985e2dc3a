"""The pairing link as a QR code: a PNG for the computer's page, text for the terminal."""

from __future__ import annotations

import io

import segno


def png(link: str, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    # Error correction M: still read from a slightly blurred or glary screen.
    segno.make(link, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def terminal_text(link: str) -> str:
    """The QR code drawn with block characters (two rows of modules per line of text)."""
    code = segno.make(link, error="m", micro=False)
    rows = [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=2)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    # Dark modules as spaces on light blocks reads on dark and light terminals alike.
    glyph = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    return "\n".join(
        "".join(glyph[(top, bottom)] for top, bottom in zip(upper, lower))
        for upper, lower in zip(rows[::2], rows[1::2])
    )
