"""The journal as served: journal_app.py behind the access gate (see access/gate.py).

launch.py runs `streamlit run journal_asgi.py`; Streamlit finds the st.App
below and serves it with uvicorn. st.App is Streamlit's own way to add ASGI
middleware: the gate wraps every route Streamlit has (page, static files,
WebSocket, /media, uploads). It cannot be served without the launcher, which
makes the secret and chooses the port.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from access import serving
from access.gate import AccessGate, server_error

_launch = serving.current()

app = st.App(
    "journal_app.py",
    middleware=[Middleware(AccessGate, policy=_launch.policy, folder=_launch.folder)],
    lifespan=serving.lifespan,
    exception_handlers={Exception: server_error},
)
