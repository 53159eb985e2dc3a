"""The printable reference card, offered on the Photos page (PDF and PNG, made when downloaded)."""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from photometry import card
from recovery.language import N_, _

PDF_NAME = "healing-journal-reference-card.pdf"
PNG_NAME = "healing-journal-reference-card.png"
WHAT_IT_IS_FOR = N_(
    "The reference card is a small printed card with grey patches and a ruler that you hold beside the treated "
    "skin when you take a photo. The app finds it in the photo and uses it to even out the light and colour and "
    "to measure sizes in millimetres, so photos from different days can be compared fairly."
)
# The printing advice from the page itself, and the one line on using the card.
ADVICE = (*card.PRINTING_ADVICE[:3], card.PRINTING_ADVICE[4])


@lru_cache(maxsize=1)
def card_pdf() -> bytes:
    return card.render_pdf()


@lru_cache(maxsize=1)
def card_png() -> bytes:
    return card.render_png()


def offer_reference_card(expanded: bool = False) -> None:
    """An expander with what the card is for, how to print it, and the two downloads.

    The files are made only when a download button is pressed (and kept for
    the next press): the page stays quick for everyone who never prints one.
    """
    with st.expander(_("Reference card for steadier photos"), expanded=expanded, icon=":material/print:"):
        st.write(_(WHAT_IT_IS_FOR))
        st.markdown("\n".join(f"- {_(line)}" for line in ADVICE))
        pdf, png = st.columns(2)
        pdf.download_button(
            _("Download card (PDF)"),
            card_pdf,
            file_name=PDF_NAME,
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key="reference-card-pdf",
            help=_("For A4 or Letter paper, at 100 % (actual size)."),
        )
        png.download_button(
            _("Download card (PNG)"),
            card_png,
            file_name=PNG_NAME,
            mime="image/png",
            on_click="ignore",
            icon=":material/image:",
            key="reference-card-png",
            help=_("A 300 dpi picture of the same page, if your printer prefers pictures."),
        )
