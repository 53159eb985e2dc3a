"""Project tooling that is not part of the app: the pinned package list (`python -m tools.pins`)."""
