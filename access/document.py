"""The served page in the patient's language: `<html lang dir>` set on the document.

Streamlit serves one index.html, `<html lang="en">`, for every page and has no
way to set the document's language or direction. The gate rewrites that tag on
the way out: the journal's language (its profile; English until one is chosen, as the
app speaks: ui.language). Arabic
gets dir="rtl", so the browser lays the page out right to left and a screen
reader reads it with an Arabic voice.

Only a page request is touched (a GET for a path without a file extension,
outside Streamlit's own routes), asked for uncompressed and without cache
validators, so the rewritten bytes are whole and never answered by a stale 304.
"""

from __future__ import annotations

from pathlib import Path

from recovery.language import ENGLISH, LANGUAGES, direction
from store.journal import stored_language

_OWN_ROUTES = ("/_stcore/", "/static/", "/media/", "/component/", "/-/")
# Request headers that would make the answer compressed or an empty 304.
_DROPPED = frozenset({b"accept-encoding", b"if-none-match", b"if-modified-since"})
# Response headers that no longer describe the rewritten bytes.
_STALE = frozenset({b"content-length", b"etag", b"last-modified", b"cache-control", b"content-encoding"})
STREAMLIT_HTML_TAG = b'<html lang="en">'


def is_page_request(method: str, path: str) -> bool:
    """A browser asking for a page of the app (not a script, style, image or Streamlit route)."""
    if method != "GET" or path.startswith(_OWN_ROUTES):
        return False
    return "." not in path.rsplit("/", 1)[-1]


def plain_request_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in headers if name.lower() not in _DROPPED]


def html_tag(code: str) -> bytes:
    return f'<html lang="{code}" dir="{direction(code)}">'.encode()


def rewritten(body: bytes, code: str) -> bytes:
    """The page with its <html> tag naming `code` and its direction (unchanged if Streamlit's tag differs)."""
    return body.replace(STREAMLIT_HTML_TAG, html_tag(code), 1)


def fresh_headers(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    kept = [(name, value) for name, value in headers if name.lower() not in _STALE]
    return [*kept, (b"content-length", str(length).encode()), (b"cache-control", b"no-store")]


def page_language(folder: Path | None) -> str:
    """The served page's language: the journal's, English until one is chosen."""
    chosen = stored_language(folder) if folder is not None else None
    return chosen if chosen in LANGUAGES else ENGLISH
