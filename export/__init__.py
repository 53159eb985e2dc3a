"""Exports of the journal for the patient's doctor or other apps.

Plain functions over the typed snapshot and its recovery view
(recovery.model, recovery.view), each producing bytes ready to save or
download; nothing here reads the database or knows about Streamlit. Photo
bytes come through a reader the caller passes in.
"""
