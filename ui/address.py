"""Which address this browser used to reach the journal (see access/policy.py).

A browser that cannot resolve the run's private `*.localhost` name (Safari)
is handed over to 127.0.0.1, where its cookie would also be sent to other
programs on other ports of this computer. The page says so, and the app
lock does not remember such a browser beyond its tab.
"""

from __future__ import annotations

from enum import Enum

import streamlit as st

from access import serving

SHARED_ADDRESS_NOTE = (
    "This browser opened the journal at 127.0.0.1, not at its private address (Safari cannot use it). "
    "Other programs on this computer could then catch the browser's key to the journal: for the best "
    "protection, open the link in Chrome, Edge or Firefox."
)


class Address(Enum):
    PRIVATE = "the run's private name"
    SHARED = "a numeric or shared address"
    UNKNOWN = "not behind the launcher's gate (AppTest)"


def this_address() -> Address:
    try:
        policy = serving.current().policy
        host = st.context.headers.get("host")
    except Exception:  # not behind the launcher's gate (AppTest), or no browser at all
        return Address.UNKNOWN
    if policy.private_name is None:  # --allow-remote: the cookie lives on the served address by design
        return Address.UNKNOWN
    return Address.PRIVATE if policy.is_private_host(host) else Address.SHARED
