"""The reminders download: a calendar file to import into any calendar app.

Shown on the treatments page (where a new treatment changes it) and on the
export page. The file is small, so it is made on every run from the run's
snapshot: what the button hands over always matches the treatments on screen.
"""

from __future__ import annotations

import streamlit as st

from healing_journal.workspace import Workspace
from recovery.language import N_, _, day_full_month, ngettext
from recovery.reminders import REMINDER_TIME, NothingToRemind, Reminder, ReminderKind, reminders

HEADING = N_("Reminders in your calendar")
LABEL = N_("Add reminders to your calendar (.ics)")
HOW_TO_IMPORT = N_(
    "Open the downloaded file with your calendar app (in Google Calendar: Settings, then Import), and download it "
    "again after you change a treatment: the new file updates the reminders instead of doubling them."
)


def reminders_download(workspace: Workspace, key: str) -> None:
    """A section: the download button with a line on importing it, or why there is nothing to remind of."""
    st.header(_(HEADING))
    try:
        data = workspace.calendar_ics()
    except NothingToRemind as reason:
        st.caption(str(reason))
        return
    thresholds = workspace.journal.settings.thresholds
    demo = "-demo" if workspace.snapshot.is_demo else ""
    st.download_button(
        _(LABEL),
        data=data,
        file_name=f"healing-journal{demo}-reminders.ics",
        mime="text/calendar",
        key=key,
        on_click="ignore",
        icon=":material/event:",
    )
    found = reminders(workspace.snapshot, thresholds)
    when = ngettext(
        "{count} reminder from {first} to {last} at {time}: each evening for the first {days} days after a "
        "treatment, then once a week until week {weeks}.",
        "{count} reminders from {first} to {last} at {time}: each evening for the first {days} days after a "
        "treatment, then once a week until week {weeks}.",
        len(found),
    ).format(
        count=len(found),
        first=day_full_month(found[0].day),
        last=day_full_month(found[-1].day),
        time=f"{REMINDER_TIME:%H:%M}",
        days=thresholds.gap_window_days,
        weeks=thresholds.follow_up_weeks,
    )
    st.caption(" ".join(words for words in (when, _antiviral_words(found), _(HOW_TO_IMPORT)) if words))


def _antiviral_words(found: tuple[Reminder, ...]) -> str:
    if not any(reminder.kind is ReminderKind.ANTIVIRAL for reminder in found):
        return ""
    return _(
        "Before your booked session, one reminds you to ask a doctor about antiviral tablets; the calendar "
        "entry itself only says 'a question for a doctor', so your calendar's company does not learn why."
    )
