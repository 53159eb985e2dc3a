"""Exports of the journal for the patient's doctor or other apps.

Plain functions over plain data (the dicts and lists `store.Journal` returns),
each producing bytes ready to save or download; nothing here reads the
database or knows about Streamlit.
"""

from export.csv_export import entries_csv
from export.fhir import PhotoContent, journal_bundle

__all__ = ["entries_csv", "journal_bundle", "PhotoContent"]
