"""The few pages the gate writes itself: locked, link used, moving on, and the hand-over.

They load nothing from anywhere; the hand-over's one script is allowed by
its hash, so the page's Content-Security-Policy can forbid every other
script.
"""

from __future__ import annotations

import base64
import hashlib
import html

LOCKED_TEXT = "This journal is locked: open the link that the start command printed."
LOCKED_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Healing Journal is locked</title></head>\n'
    f"<body><p>{LOCKED_TEXT}</p>\n<p>Each link opens the journal once and changes each time the journal "
    "starts. To get a fresh one, run the start command again (<code>python3 start.py</code>, "
    "or <code>py start.py</code> on Windows): while the "
    "journal runs, it prints a new link instead of starting a second journal.</p></body></html>\n"
).encode()
USED_TEXT = "This link has been used already: each link opens the journal once."
USED_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Healing Journal: link used</title></head>\n'
    f"<body><p>{USED_TEXT}</p>\n<p>To open the journal in another browser, run the start command again "
    "(<code>python3 start.py</code>, or <code>py start.py</code> on Windows): while the journal runs, "
    "it prints a fresh link.</p></body></html>\n"
).encode()
FRAME_ANCESTORS = "frame-ancestors 'none'"
# The gate's own pages load nothing at all.
OWN_PAGE_CSP = f"default-src 'none'; {FRAME_ANCESTORS}"

# Tries the run's private name; a browser that cannot reach it (Safari does not
# resolve *.localhost) stays on the numeric address instead.
_HAND_OVER_SCRIPT = """
const go = document.getElementById("go").dataset;
const stop = new AbortController();
setTimeout(() => stop.abort(), 4000);
fetch(go.probe, {mode: "no-cors", cache: "no-store", credentials: "omit", signal: stop.signal})
  .then(() => location.replace(go.named), () => location.replace(go.here));
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_HAND_OVER_SCRIPT.encode()).digest()).decode()


def moving_on_page(location: str) -> bytes:
    target = html.escape(location, quote=True)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>Healing Journal</title></head>\n'
        f'<body><p><a href="{target}">Open the journal</a></p></body></html>\n'
    ).encode()


def hand_over_page(*, named: str, here: str, probe: str) -> bytes:
    """Moves the browser to `named` if it can reach `probe` (same server, private name), else to `here`."""
    attributes = " ".join(
        f'data-{key}="{html.escape(value, quote=True)}"'
        for key, value in (("named", named), ("here", here), ("probe", probe))
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Opening Healing Journal</title></head>\n'
        f'<body><p id="go" {attributes}>Opening your journal…</p>\n'
        "<noscript><p>Healing Journal needs JavaScript: switch it on for this page and open the link again.</p>"
        "</noscript>\n"
        f"<script>{_HAND_OVER_SCRIPT}</script></body></html>\n"
    ).encode()


def hand_over_csp(probe_origin: str) -> str:
    return f"default-src 'none'; script-src 'sha256-{_SCRIPT_HASH}'; connect-src {probe_origin}; {FRAME_ANCESTORS}"
