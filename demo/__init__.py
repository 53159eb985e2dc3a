"""A demo journal of synthetic data, so a new user sees a full app at once.

It is always written to its own folder, marked as a demo, and never into a
real journal.
"""
