"""The computer's side of phone access: "Use my phone", the QR code, the paired phones, the switch.

The listener runs in this server's own process (phone.listener); these
widgets only turn it on and off, show the pairing link as a QR code with
the certificate's code to compare, and list the paired phones with Remove.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import streamlit as st

from healing_journal import Journal
from phone.devices import PairedPhones, Phone
from recovery.language import N_, _, full_date, ngettext
from ui.widgets import escape_markdown

if TYPE_CHECKING:
    from phone.listener import Running

LINK_KEY = "_phone_pairing_link"
WARNING_WORDS = N_(
    "The first time, the phone's browser warns that the connection is not private or the certificate is "
    "not trusted: your journal made its own certificate, which no company has signed. It is safe to go on "
    "(Safari: *Show Details*, then *visit this website*; Chrome: *Advanced*, then *Proceed*) when the "
    "certificate's SHA-256 fingerprint, in the warning's details, begins with the code below. "
    "If it does not, stop: another device on the network is answering instead of this computer."
)


def _running() -> Running | None:
    """The phone listener's state, without importing it while it was never turned on.

    phone.listener brings uvicorn, Starlette and the phone's pages (about 0.3 s of
    the first page's start); a process that never imported it has no listener
    running (launch.py's --phone and "Use my phone" both import it to turn it on)."""
    listener = sys.modules.get("phone.listener")
    return None if listener is None else listener.phone_access().running


def status_words(journal: Journal) -> str | None:
    """ "Phone access on: 1 phone paired", or None while it is off."""
    if _running() is None:
        return None
    count = len(PairedPhones(journal.folder).all())
    return ngettext("Phone access on: {count} phone paired", "Phone access on: {count} phones paired", count).format(
        count=count
    )


def sidebar_status(journal: Journal) -> None:
    """While phone access is on, every page says so, with the switch to turn it off."""
    words = status_words(journal)
    if words is None:
        return
    st.info(words, icon=":material/smartphone:")
    if st.button(_("Stop phone access"), key="phone-stop-sidebar", icon=":material/phonelink_off:"):
        _stop()
        st.session_state.pop(LINK_KEY, None)
        st.rerun()


def _stop() -> None:
    from phone.listener import phone_access

    phone_access().turn_off()


def use_my_phone(journal: Journal, *, key: str) -> None:
    """Home's and Log a day's "Use my phone": turn phone access on, and show how to pair a phone."""
    running = _running()
    label = _("Use my phone")
    with st.expander(label, icon=":material/smartphone:", expanded=running is not None, key=f"phone-{key}"):
        st.markdown(
            _(
                "Log the day and take its photos with your phone's own camera, on the same Wi-Fi as this "
                "computer. The phone can add today's and yesterday's entry and photos and see today's status; "
                "it cannot see your history, other photos, exports or your profile."
            )
        )
        if running is None:
            if st.button(label, type="primary", key=f"phone-on-{key}", icon=":material/qr_code_2:"):
                from phone.listener import PhoneAccessProblem, phone_access

                try:
                    phone_access().turn_on(journal.settings)
                except PhoneAccessProblem as problem:
                    st.error(escape_markdown(str(problem)))
                    return
                st.session_state.pop(LINK_KEY, None)
                st.rerun()
            return
        pairing(running, key)


def pairing(running: Running, key: str) -> None:
    from phone.listener import phone_access
    from phone.qr import png

    access = phone_access()
    link = st.session_state.get(LINK_KEY)
    if not isinstance(link, str) or not access.link_works(link):
        link = access.pairing_link()
        st.session_state[LINK_KEY] = link
    picture, words = st.columns([1, 2])
    with picture:
        st.image(png(link), width=260, alt=_("QR code of the link that pairs your phone with this journal"))
    with words:
        step = _("**{number}.** {step}")
        st.markdown(
            step.format(
                number=1,
                step=_("Point your phone's camera at the QR code and open the link it finds. Or type this link:"),
            )
        )
        st.code(link, language=None)
        st.markdown(step.format(number=2, step=_(WARNING_WORDS)))
        st.markdown(_("Certificate code: **`{code}`**").format(code=running.short_code))
        third = _(
            "On the phone, press *{button}*. Then add the page to the home screen (Safari: Share, *Add to Home "
            "Screen*; Chrome: menu, *Add to Home screen*): its icon opens today's page whenever the journal runs here."
        ).format(button=_("Pair this phone"))
        st.markdown(step.format(number=3, step=third))
        st.caption(_("This QR code pairs one phone, once, within 10 minutes."))
        new, stop = st.columns(2)
        if new.button(_("New QR code"), key=f"phone-new-{key}"):
            st.session_state.pop(LINK_KEY, None)
            st.rerun()
        if stop.button(_("Stop phone access"), key=f"phone-off-{key}"):
            access.turn_off()
            st.session_state.pop(LINK_KEY, None)
            st.rerun()


def _when(moment: dt.datetime) -> str:
    local = moment.astimezone()
    return f"{full_date(local.date())}, {local:%H:%M}"


def paired_phones(journal: Journal) -> None:
    """Profile & treatments: each paired phone with when it was paired and last used, and Remove."""
    phones = PairedPhones(journal.folder)
    listed: list[Phone] = phones.all()
    st.header(_("Paired phones"))
    if not listed:
        st.caption(_("No phone is paired. Press “Use my phone” on Home or Log a day to pair one."))
    for phone in listed:
        words, remove = st.columns([4, 1])
        words.markdown(
            _("**{name}**, paired {paired}; last used {used}").format(
                name=escape_markdown(_(phone.name)), paired=_when(phone.paired), used=_when(phone.used)
            )
        )
        if remove.button(_("Remove"), key=f"phone-remove-{phone.id}"):
            phones.remove(phone.id)
            st.success(_("{name} is removed: it reaches nothing of your journal any more.").format(name=_(phone.name)))
            st.rerun()
    if _running() is not None and st.button(_("Stop phone access"), key="phone-off-profile"):
        _stop()
        st.rerun()
