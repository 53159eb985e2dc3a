"""Streamlit never asks the outside world anything on the journal's behalf.

What Streamlit 1.67 could send out, and what stops it:

- Usage statistics from the browser: `browser.gatherUsageStats = false`
  (.streamlit/config.toml).
- The first-run e-mail prompt, which posts the address to Streamlit:
  `server.showEmailPrompt = false` and `server.headless = true`.
- The external-IP check (an HTTP request to an outside "what is my IP"
  service) and the internal-IP probe (a UDP `connect` towards a public DNS
  server): the welcome banner uses them when `server.address` is not set,
  and the WebSocket origin check when an Origin differs from the Host.
  config.toml sets the address and hides the banner, and the access gate
  refuses any Origin that differs from the Host before Streamlit sees it.
  `keep_streamlit_offline` below also replaces both functions, so that no
  future code path can reach them.
- Remote scripts and config files (`streamlit run URL`): never used.

tests/test_browser_access.py runs a whole session under a socket hook and
fails on any connection or name lookup that is not the loopback.
"""

from __future__ import annotations


def _no_external_ip() -> str | None:
    return None


def _no_internal_ip() -> str | None:
    return None


def keep_streamlit_offline() -> None:
    """Replace Streamlit's IP look-ups by answers that need no network."""
    from streamlit import net_util

    net_util.get_external_ip = _no_external_ip
    net_util.get_internal_ip = _no_internal_ip
