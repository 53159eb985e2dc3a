"""Layout the Streamlit elements lack: a bar that stays in reach at the screen's bottom."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

# A keyed container carries the class "st-key-<key>"; Streamlit wraps it in an
# element of its own size, so it is that wrapper that sticks (inside the page's
# column). Sticky, not fixed: the bar sits at the bottom of the screen while its
# place in the page is further down, and in that place once scrolled to, so it
# never hides what follows it.
_STICKY = """
<style>
div:has(> .st-key-{key}) {{
  position: sticky;
  bottom: 0;
  z-index: 100;
  background: #ffffff;
  border-top: 1px solid #d0d0d0;
  padding: 0.5rem 0 0.75rem 0;
}}
</style>
"""


def sticky_bottom(key: str) -> DeltaGenerator:
    """A container that stays at the bottom of the screen while the page above it scrolls."""
    st.html(_STICKY.format(key=key))
    return st.container(key=key)
