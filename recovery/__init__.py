"""The recovery domain: vocabulary, expected course, flag rules, photo measurements.

Pure Python: nothing here imports Streamlit or SQLite, so it is tested on its own
and reused by the store, the pages and the exporters.
"""
