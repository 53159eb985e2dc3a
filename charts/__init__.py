"""Charts of the recovery, as Altair specifications (shown in the app, rendered into the PDF)."""
