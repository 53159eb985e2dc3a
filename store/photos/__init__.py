"""Photos in the journal: ingest (decode, check, strip, align, measure), files on disk,
the first photo of each area, and what was measured, as stored."""
