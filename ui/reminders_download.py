"""The reminders download: a calendar file to import into any calendar app.

Shown on the treatments page (where a new treatment changes it) and on the
export page. The file is small, so it is made on every run from the run's
snapshot: what the button hands over always matches the treatments on screen.
"""

from __future__ import annotations

import streamlit as st

from healing_journal.workspace import Workspace
from recovery.reminders import REMINDER_TIME, NothingToRemind, Reminder, ReminderKind, reminders

HEADING = "Reminders in your calendar"
LABEL = "Add reminders to your calendar (.ics)"
HOW_TO_IMPORT = (
    "Open the downloaded file with your calendar app (in Google Calendar: Settings, then Import), and download it "
    "again after you change a treatment: the new file updates the reminders instead of doubling them."
)


def reminders_download(workspace: Workspace, key: str) -> None:
    """A section: the download button with a line on importing it, or why there is nothing to remind of."""
    st.header(HEADING)
    try:
        data = workspace.calendar_ics()
    except NothingToRemind as reason:
        st.caption(str(reason))
        return
    thresholds = workspace.journal.settings.thresholds
    demo = "-demo" if workspace.snapshot.is_demo else ""
    st.download_button(
        LABEL,
        data=data,
        file_name=f"healing-journal{demo}-reminders.ics",
        mime="text/calendar",
        key=key,
        on_click="ignore",
        icon=":material/event:",
    )
    found = reminders(workspace.snapshot, thresholds)
    st.caption(
        f"{len(found)} reminders from {found[0].day:%d %B} to {found[-1].day:%d %B} at {REMINDER_TIME:%H:%M}: "
        f"each evening for the first {thresholds.gap_window_days} days after a treatment, then once a week until "
        f"week {thresholds.follow_up_weeks}.{_antiviral_words(found)} {HOW_TO_IMPORT}"
    )


def _antiviral_words(found: tuple[Reminder, ...]) -> str:
    if not any(reminder.kind is ReminderKind.ANTIVIRAL for reminder in found):
        return ""
    return (
        " Before your booked session, one reminds you to ask a doctor about antiviral tablets; the calendar "
        "entry itself only says 'a question for a doctor', so your calendar's company does not learn why."
    )
