"""The optional app lock on screen: the unlock gate, _("Lock now"), and its settings on the profile page.

journal_app.py asks `app_locked()` before any page renders; while it is
true only `unlock_screen()` is shown. A browser that gave the passphrase is
remembered (by the id in its access cookie, see access/policy.py) while it
is used, so other tabs of the same browser are not asked again; without that
cookie (tests driving the script directly) the Streamlit session is
remembered instead (access/unlocked.py). It is asked again after the idle
time the patient chose (no page run from it for that long), after a restart
of the server, and after anyone presses _("Lock now") in the sidebar, which
locks every browser at once. An open screen hides itself: `lock_controls()`
looks every few seconds whether its browser was locked meanwhile. Wrong
tries slow every session down together, across restarts too
(access/throttle.py).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import streamlit as st

from access import serving
from access.policy import browser_id, cookie_name
from access.throttle import Throttle, Throttles
from access.unlocked import UnlockedBrowsers
from recovery.language import N_, _, ngettext
from store import app_lock
from store.errors import JournalError
from ui.address import Address, this_address
from ui.session import journal
from ui.widgets import escape_markdown

SESSION_KEY = "_app_lock_session"
NOTE_KEY = "_app_lock_note"
# Shared by every session of this server: imported modules live as long as the process.
THROTTLES = Throttles()
UNLOCKED = UnlockedBrowsers()
# How often an open screen looks whether its browser was locked: a tenth of the idle time, within these bounds.
WATCH_MIN_S, WATCH_MAX_S = 1.0, 30.0

FORGOTTEN = N_(
    "If you forget the passphrase, only this app is locked, not your files: anyone who can use your "
    "computer account can still read the journal folder, and can remove the lock from a terminal with "
    "`.venv/bin/python -m healing_journal app-lock --remove` (in the Healing Journal folder)."
)
WHAT_IT_IS = N_(
    "For a computer shared under one account: the app asks for this passphrase once in each browser "
    "before it shows anything. It does not encrypt your journal; to protect the files themselves, "
    "use your own computer account and full-disk encryption."
)


def _folder() -> Path:
    return journal().folder


def _this_browser() -> str | None:
    """The id in this session's access cookie, if the launcher's gate signed it.

    Only for a browser at the run's private name: a cookie on 127.0.0.1 could
    have been caught by another program, and must not carry the unlocked state.
    """
    if this_address() is Address.SHARED:
        return None
    try:
        policy = serving.current().policy
        value = st.context.cookies.get(cookie_name(policy.port))
    except Exception:  # not behind the launcher's gate (AppTest), or no browser at all
        return None
    return browser_id(value) if policy.cookie_valid(value) else None


def _unlocking_key() -> str:
    """What is unlocked: this browser (all its tabs), or this session when there is no access cookie."""
    browser = _this_browser()
    if browser:
        return f"browser:{browser}"
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = f"session:{secrets.token_hex(16)}"
    key: str = st.session_state[SESSION_KEY]
    return key


def _remember_unlocked() -> None:
    UNLOCKED.unlock(_unlocking_key())


def app_locked() -> bool:
    """Whether this browser must give the passphrase before it sees anything (a page run: it counts as use)."""
    folder = _folder()
    if not app_lock.is_set(folder):
        return False
    return not UNLOCKED.is_open(_unlocking_key(), app_lock.idle_s(folder))


def _throttle() -> Throttle:
    return THROTTLES.for_folder(_folder())


def _check(passphrase: str) -> bool:
    """The passphrase against the stored hash, after the shared delay."""
    folder = _folder()
    with st.spinner(_("Checking the passphrase…")):
        return _throttle().attempt(lambda: app_lock.verify(folder, passphrase))


def _wrong() -> None:
    wait = _throttle().wait_s()
    st.error(
        _("Wrong passphrase. The next try can be checked in {wait}; each wrong try adds to the wait.").format(
            wait=idle_label(max(1, round(wait)))
        )
    )


def unlock_screen() -> None:
    """The only thing a locked app shows; stops the run until the right passphrase is given."""
    st.title(_("Healing Journal is locked"))
    st.write(_("Enter the app passphrase to open your journal."))
    with st.form("unlock", clear_on_submit=True):
        passphrase = st.text_input(_("Passphrase"), type="password", max_chars=app_lock.MAX_LENGTH)
        submitted = st.form_submit_button(_("Unlock"), type="primary")
    if submitted:
        try:
            right = _check(passphrase)
        except JournalError as problem:
            right = False
            st.error(escape_markdown(str(problem)))
        else:
            if right:
                _remember_unlocked()
                st.rerun()
            _wrong()
    st.caption(_(FORGOTTEN))
    st.stop()


def lock_controls() -> None:
    """In the sidebar while the app lock is on: _("Lock now"), and the watch that hides an idle or locked screen."""
    folder = _folder()
    if not app_lock.is_set(folder):
        return
    with st.sidebar:
        if st.button(_("Lock now"), key="app-lock-now", icon=":material/lock:", help=_(LOCK_NOW_HELP)):
            UNLOCKED.lock_all()
            st.rerun()
        st.fragment(_watch, run_every=watch_every_s(app_lock.idle_s(folder)))()


LOCK_NOW_HELP = N_("Asks for the passphrase again in every browser that has this journal open, this one too.")


def watch_every_s(idle_s: int) -> float:
    return min(WATCH_MAX_S, max(WATCH_MIN_S, idle_s / 10))


def _watch() -> None:
    """Runs every few seconds on an open screen, without counting as use: shows the gate once this browser is locked."""
    folder = _folder()
    if app_lock.is_set(folder) and not UNLOCKED.is_open(_unlocking_key(), app_lock.idle_s(folder), touch=False):
        st.rerun(scope="app")


def lock_settings() -> None:
    """Set, change or remove the app lock (the profile page)."""
    folder = _folder()
    st.header(_("App lock (optional)"))
    st.caption(_(WHAT_IT_IS))
    st.warning(_(FORGOTTEN), icon=":material/key:")
    note = st.session_state.pop(NOTE_KEY, None)
    if note:
        st.success(note)
    if app_lock.is_set(folder):
        if not note:
            st.info(_("The app lock is on."), icon=":material/lock:")
        _idle_form(folder)
        _change_form(folder)
    else:
        _set_form(folder)


def _set_form(folder: Path) -> None:
    with st.form("app-lock-set", clear_on_submit=True):
        new = st.text_input(_("New passphrase"), type="password", max_chars=app_lock.MAX_LENGTH)
        repeated = st.text_input(_("The same passphrase again"), type="password", max_chars=app_lock.MAX_LENGTH)
        if st.form_submit_button(_("Lock the app with this passphrase")):
            try:
                app_lock.check_new_passphrase(new, repeated)
                app_lock.set_passphrase(folder, new)
            except JournalError as problem:
                st.error(escape_markdown(str(problem)))
                return
            _remember_unlocked()  # the patient who set it stays in
            _done(_("The app lock is on: each browser now asks for the passphrase once."))


def idle_label(seconds: int) -> str:
    if seconds % 60:
        return ngettext("{count} second", "{count} seconds", seconds).format(count=seconds)
    minutes = seconds // 60
    return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)


def _idle_form(folder: Path) -> None:
    current = app_lock.idle_s(folder)
    choices = [minutes * 60 for minutes in app_lock.IDLE_CHOICES_MIN]
    if current not in choices:
        choices = sorted([*choices, current])
    with st.form("app-lock-idle"):
        chosen = st.selectbox(
            _("Lock again after this long without use"),
            choices,
            index=choices.index(current),
            format_func=idle_label,
            help=_("Counted for each browser from its last click or page change; other tabs of it count too."),
        )
        if not st.form_submit_button(_("Save idle time")):
            return
    try:
        app_lock.set_idle_s(folder, chosen)
    except JournalError as problem:
        st.error(escape_markdown(str(problem)))
        return
    _done(_("The app now locks itself after {duration} without use.").format(duration=idle_label(chosen)))


def _change_form(folder: Path) -> None:
    with st.form("app-lock-change", clear_on_submit=True):
        current = st.text_input(_("Current passphrase"), type="password", max_chars=app_lock.MAX_LENGTH)
        new = st.text_input(_("New passphrase (to change it)"), type="password", max_chars=app_lock.MAX_LENGTH)
        repeated = st.text_input(_("The new passphrase again"), type="password", max_chars=app_lock.MAX_LENGTH)
        left, right = st.columns(2)
        change = left.form_submit_button(_("Change passphrase"))
        remove = right.form_submit_button(_("Remove the app lock"))
    if not (change or remove):
        return
    try:
        if change:
            app_lock.check_new_passphrase(new, repeated)
        if not _check(current):
            _wrong()
            return
        if change:
            app_lock.set_passphrase(folder, new)
        else:
            app_lock.remove(folder)
    except JournalError as problem:
        st.error(escape_markdown(str(problem)))
        return
    _done(_("Passphrase changed.") if change else _("The app lock is off."))


def _done(note: str) -> None:
    st.session_state[NOTE_KEY] = note
    st.rerun()
