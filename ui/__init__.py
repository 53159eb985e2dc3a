"""Shared pieces of the screens: the open journal, error display, small widgets.

Pages import from here and from store/, recovery/, export/; the logic lives
in those packages, this one only arranges it on screen.
"""
