"""The summary a patient hands to a dermatologist: one PDF, readable in a minute.

What it holds follows docs/clinical-basis.md ("What the dermatologist asks first"):
page 1 names the patient (or not), skin type, risk factors, every treatment
and the flags the app raised with what it advised; then the recovery chart
of each area and session against the expected band, the daily ratings with
aftercare, warning signs and notes, and photos at fixed days since treatment.
Every page carries its number, the export date and the reminder that these
are the patient's own observations.

Plain data in, bytes out: nothing here reads the database or knows about
Streamlit: it reads a judged snapshot (recovery.view) and, for the photo
pages, the stored photo bytes through the reader it is given.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TableBordersLayout, VAlign, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from export.demo_mark import DEMO_MARK, draw_pdf_band
from export.pdf_flagged import MOST_FLAGGED_DAYS, FlaggedDay, FlaggedPhotos, flagged_photos
from export.pdf_fonts import FontChoice, choose_font
from export.pdf_photos import GridPhoto, clean_jpeg, common_aspect, grid_photos, photo_size
from export.pdf_signature import ATTACHMENT_NAME, placeholder, seal
from export.signed import photo_ref, statement
from recovery.flags import Flag, RuleId
from recovery.language import N_, _, decimal, direction, full_date, ngettext, weekday_name, weekday_short
from recovery.model import Entry, Photo, ProductUse, Profile, Treatment
from recovery.photo_metric_names import MEASUREMENT_NAMES, Measure
from recovery.photo_trend import MeasuredPoint, chart_points
from recovery.risk import RiskFactor
from recovery.timeline import TreatmentCalendar, day_label
from recovery.view import RecoveryView
from recovery.view_choice import main_view
from recovery.vocabulary import (
    AFTERCARE,
    ALL_SIGNS,
    EMERGENCY_SIGNS,
    FITZPATRICK,
    PROFILE_QUESTIONS,
    RATED_SIGNS,
    SIGN_INFO,
    TREATMENT_QUESTIONS,
    WARNING_SIGNS,
    Area,
    ProfileQuestion,
    Severity,
    Sign,
    View,
    hex_to_rgb,
    level_name,
    level_words,
)
from signing.manifest import Signer, photos_digest

if TYPE_CHECKING:  # Altair loads only when a PDF is made
    import altair as alt

TITLE = N_("Microneedling recovery summary")
FOOTER = N_("Patient-recorded observations, not a diagnosis.")
SIGNATURE_NOTE = (
    "The signed manifest of this summary: the SHA-256 of each original photo and of every part of this file, "
    "signed with the journal's own key. Check with python -m healing_journal verify FILE; it proves the file is "
    "unchanged since that key signed it. Compare the key's fingerprint with the one the patient gives."
)
TECHNICAL_NAMES = N_("Technical names")  # the one footnote that uses them (_technical_names)
# The tables' column headings (translated where drawn).
TREATMENT_COLUMNS = (
    N_("Date"), N_("Areas"), N_("Reason"), N_("Device"), N_("Depth"), N_("Serums applied"), N_("Practitioner"),
    N_("On the day"),
)  # fmt: skip
FLAG_COLUMNS = (
    N_("Since"), N_("Area"), N_("To do"), N_("Now"), N_("What was logged"), N_("What the app advised"),
    N_("Patient did"),
)  # fmt: skip
GLANCE_COLUMNS = (N_("Area"), N_("Sign"), N_("Peak"), N_("Latest"), N_("Within the expected course"))

MARGIN = 15.0  # mm
CELL_PADDING = 1.4  # mm, left and right inside a table cell
# A table row must fit on one page: patient text longer than this in a cell is
# printed whole after the daily table.
MAX_CELL_LINES = 12
CONTENT_WIDTH = 210.0 - 2 * MARGIN
CHART_PX = 560  # the chart's panel width when one course fills the page
CHART_PX_NARROW = 330  # when courses sit two abreast
CHART_MIN_MM = 160.0  # the least height the chart of one course is shrunk to

Colour = tuple[int, int, int]
INK: Colour = (33, 37, 41)
MUTED: Colour = (108, 117, 125)
RULE: Colour = (206, 212, 218)
HEAD_FILL: Colour = (233, 238, 244)
ZEBRA: Colour = (247, 249, 251)
ACCENT: Colour = (31, 78, 121)  # the chart's rating colour
ABOVE_EXPECTED: Colour = hex_to_rgb(Severity.CONTACT.style.colour)

PhotoReader = Callable[[Photo], bytes]
# A table cell: text, or text with its own style.
Cell = str | tuple[str, FontFace]


def summary_pdf(
    view: RecoveryView,
    *,
    read_photo: PhotoReader | None = None,
    area: Area | str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    font: FontChoice | None = None,
    signer: Signer | None = None,
) -> bytes:
    """The summary as PDF bytes; with `signer`, signed (export.pdf_signature): the last
    page says by which key, and the manifest is attached.

    `view` is the whole journal judged once (recovery.view.judge); `area`,
    `start` and `end` narrow everything to one area and a date range (both
    ends included). Photos are printed when `read_photo` is given: it returns
    the stored (metadata-free) bytes of a photo. The export date printed on
    every page is the snapshot's today.
    """
    data = _Selection(view, area, start, end, include_photos=read_photo is not None)
    font = font or choose_font([*_patient_texts(data), *_app_words(data)])
    pdf = SummaryDocument(font, view.snapshot.today, patient=data.profile.name.strip())
    if view.snapshot.is_demo:
        pdf.demo = True
        pdf.set_subject(DEMO_MARK)
    pdf.add_page()
    _first_page(pdf, data)
    _charts(pdf, data)
    _ratings_table(pdf, data)
    _notes_in_full(pdf)
    if read_photo is None:
        pdf.heading(_("Photos"), space_needed=20)
        pdf.note(_("The patient chose to leave the photos out of this summary."), size=9)
    else:
        _photo_pages(pdf, data, read_photo)
    if signer is None:
        return bytes(pdf.output())
    printed = [(photo_ref(photo), jpeg) for photo, jpeg in pdf.printed_photos.values()]
    # The last page's footer is drawn by output(): it says by which key, and of which photos.
    pdf.signature_line = statement(signer, photos_digest([ref for ref, _jpeg in printed]))
    pdf.embed_file(
        bytes=placeholder(),
        basename=ATTACHMENT_NAME,
        desc=SIGNATURE_NOTE,
        mime_type="application/json",
        modification_date=dt.datetime.combine(view.snapshot.today, dt.time(), tzinfo=dt.UTC),
    )
    return seal(bytes(pdf.output()), signer, printed)


# --- the data, narrowed to the area and dates asked for -------------------------


class _Selection:
    def __init__(
        self,
        view: RecoveryView,
        area: Area | str | None,
        start: dt.date | None,
        end: dt.date | None,
        *,
        include_photos: bool,
    ):
        # Session numbers count every treatment of the area, also those
        # before the chosen period (the third session stays "session 3").
        self.calendar: TreatmentCalendar = view.snapshot.calendar
        self.all_treatments = view.snapshot.treatments
        narrowed = view.narrowed(area, start, end)
        snapshot = narrowed.snapshot
        self.profile: Profile = snapshot.profile
        self.area, self.start, self.end = area, start, end
        self.entries: tuple[Entry, ...] = snapshot.entries
        self.treatments: tuple[Treatment, ...] = snapshot.treatments
        self.today: dt.date = snapshot.today
        self.flags: tuple[Flag, ...] = narrowed.flags
        self.risk_factors: tuple[RiskFactor, ...] = narrowed.risk_factors
        self.photos: tuple[Photo, ...] = snapshot.photos if include_photos else ()
        self.products: tuple[ProductUse, ...] = snapshot.products
        self.response = view.snapshot.response  # what the patient did about a card
        self.measurements = narrowed.measurements
        self.summary = narrowed.summary
        self.view = narrowed
        # The cards' titles, from the whole journal: a card begun before the period still names its flags.
        self.flag_titles = {flag: card.title for card in view.cards for flag in card.flags}
        self.areas = sorted({e.area for e in self.entries} | {p.area for p in self.photos}) or (
            [Area(area)] if area else []
        )
        self.several_sessions = any(
            (self.calendar.session_number(t.id, a) or 1) > 1
            for t in view.snapshot.treatments
            if t.day <= self.today  # a session booked ahead is not a second course yet
            for a in t.areas
        )

    def session_of(self, treatment_id: int | None, area: Area) -> int | None:
        return None if treatment_id is None else self.calendar.session_number(treatment_id, area)


# --- the document: page frame -----------------------------------------------------


class SummaryDocument(FPDF):
    demo = False  # a band on every page says the data are synthetic (export.demo_mark)

    def __init__(self, font: FontChoice, exported: dt.date, patient: str = ""):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.font_choice = font
        self.exported = exported
        self.patient = patient
        self.set_margins(MARGIN, 16, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.set_title(TITLE)
        self.set_creator("Healing Journal")
        self.set_creation_date(dt.datetime.combine(exported, dt.time(), tzinfo=dt.UTC))
        for face in font.faces:
            self.add_font(face.family, "", str(face.regular), collection_font_number=face.index)
            if face.bold is not None:
                self.add_font(face.family, "B", str(face.bold), collection_font_number=face.index)
        if len(font.faces) > 1:
            # Not exact: a script without a bold face prints regular inside bold text.
            self.set_fallback_fonts([face.family for face in font.faces[1:]], exact_match=False)
        if font.shaping:
            self.set_text_shaping(True)
        self.family = font.family
        self.set_text_color(*INK)
        # Texts too long for a table cell, printed in full after the daily table.
        self.long_texts: list[tuple[str, str]] = []
        # The signature in words, in the last page's footer (set just before output()).
        self.signature_line = ""
        # Arabic reads from the right: headings and notes start there (recovery.language).
        self.rtl = direction() == "rtl"
        # Each photo printed, with the JPEG as printed: what the signature covers.
        self.printed_photos: dict[int, tuple[Photo, bytes]] = {}

    def t(self, text: Any) -> str:
        """Text as the chosen font can print it."""
        return self.font_choice.printable("" if text is None else str(text))

    def style(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.style(8, colour=MUTED)
        who = f" · {_shorten(self.patient, 60)}" if self.patient else ""
        self.cell(0, 5, self.t(_(TITLE) + who), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=self.start)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y(), 210 - MARGIN, self.get_y())
        self.ln(4)
        self.style(9)

    def footer(self) -> None:
        if self.demo:
            draw_pdf_band(self, self.family, MARGIN)
        # The page-count alias "{nb}" is filled in only in unshaped text (Arabic's footer,
        # shaped, names the page alone: _page_words).
        shaping = self.text_shaping
        if not self.rtl:
            self.text_shaping = None
        try:
            self._footer()
        finally:
            self.text_shaping = shaping

    def _footer(self) -> None:
        self.set_y(-12)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 1, 210 - MARGIN, self.get_y() - 1)
        self.style(8, colour=MUTED)
        cells = [(_(FOOTER), "L"), (self._page_words(), "R")]
        for text, align in reversed(cells) if self.rtl else cells:  # Arabic: the page number on the left
            self.cell(CONTENT_WIDTH / 2, 5, self.t(text), align=align)
        if self.signature_line:
            self.set_xy(MARGIN, -7)
            self.style(6.5, colour=MUTED)
            self.cell(CONTENT_WIDTH, 3.5, self.signature_line, align="L")

    @property
    def start(self) -> str:
        """Where a line of text starts: the right in Arabic."""
        return "R" if self.rtl else "L"

    def _page_words(self) -> str:
        """ "Exported 2026-12-06 · Page 2 of 5". The page count "{nb}" is filled in only in
        unshaped text; Arabic must be shaped, so its footer names the page alone."""
        exported, page = self.exported.isoformat(), self.page_no()
        if self.rtl:
            return _("Exported {date} · Page {page}").format(date=exported, page=page)
        return _("Exported {date} · Page {page} of {pages}").format(date=exported, page=page, pages="{nb}")

    # --- building blocks ---

    def heading(self, text: str, space_needed: float = 30) -> None:
        """A section heading, on a new page when the section would start at the very bottom."""
        if self.get_y() + space_needed > self.page_break_trigger:
            self.add_page()
        self.ln(3)
        self.style(12.5, bold=True, colour=ACCENT)
        self.cell(0, 7, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=self.start)
        self.style(9)

    def subheading(self, text: str) -> None:
        self.ln(1)
        self.style(10, bold=True, colour=ACCENT)
        self.cell(0, 6, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=self.start)
        self.style(9)

    def fact(self, label: str, value: str, label_width: float = 32) -> None:
        """A line of page 1: the label, then its value; in Arabic the label on the right."""
        top = self.get_y()
        self.style(9.5, bold=True)
        self.set_x(MARGIN + CONTENT_WIDTH - label_width if self.rtl else MARGIN)
        self.cell(label_width, 5.4, self.t(label), align=self.start)
        self.style(9.5)
        self.set_xy(MARGIN if self.rtl else MARGIN + label_width, top)
        self.multi_cell(
            CONTENT_WIDTH - label_width, 5.4, self.t(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=self.start
        )

    def note(self, text: str, size: float = 8) -> None:
        self.style(size, colour=MUTED)
        self.multi_cell(0, size * 0.45, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=self.start)
        self.style(9)

    def cell_text(self, text: str, width: float, size: float, where: str, max_lines: int = MAX_CELL_LINES) -> str:
        """`text` as a table cell of `width` mm shows it: a text longer than `max_lines`
        lines is cut there, and kept whole for "Notes in full" (a table row cannot
        run over a page, so a long note would not fit its row)."""
        printable = self.t(text)
        if not printable.strip():
            return printable
        self.style(size)
        measured = self.multi_cell(
            width - 2 * CELL_PADDING, size * 0.46, printable, dry_run=True, output=MethodReturnValue.LINES
        )
        self.style(9)
        assert isinstance(measured, list)
        lines = [str(line) for line in measured]
        if len(lines) <= max_lines:
            return printable
        self.long_texts.append((where, printable))
        return (
            "\n".join(lines[: max_lines - 1]).rstrip() + f" … (in full under 'Notes in full', {len(self.long_texts)})"
        )

    def heading_width(self, text: str, size: float) -> float:
        """The width (mm) of a column whose bold heading `text` fits on one line, and at least a "yes"."""
        self.set_font(self.family, "B", size)
        wanted = max(self.get_string_width(self.t(word)) for word in (text, _("yes"), _("no")))
        self.style(9)
        # Shaped Arabic can come out a little wider than its letters measured one by one.
        return wanted + 2 * CELL_PADDING + (2.0 if self.rtl else 0.8)

    def table_of(
        self,
        widths: Sequence[float],
        headings: Sequence[str],
        rows: Iterable[Sequence[Any]],
        size: float = 8.5,
        zebra: bool = True,
    ) -> None:
        """A table with wrapped cells; a cell is text or (text, FontFace)."""
        self.style(size)
        with self.table(
            width=CONTENT_WIDTH,
            col_widths=tuple(widths),
            line_height=size * 0.46,
            padding=(1.1, CELL_PADDING),
            text_align="RIGHT" if self.rtl else "LEFT",
            v_align=VAlign.T,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", color=INK, fill_color=HEAD_FILL),
            cell_fill_color=ZEBRA if zebra else None,
            cell_fill_mode="ROWS" if zebra else "NONE",
            wrapmode=WrapMode.WORD,
            repeat_headings=1,
        ) as table:
            self.set_draw_color(*RULE)
            heading = table.row()
            for text in headings:
                heading.cell(self.t(text))
            for values in rows:
                row = table.row()
                for value in values:
                    if isinstance(value, tuple):
                        row.cell(self.t(value[0]), style=value[1])
                    else:
                        row.cell(self.t(value))
        self.style(9)


# --- page 1: who, skin, risk, treatments, days covered, flags ----------------------


def _first_page(pdf: SummaryDocument, data: _Selection) -> None:
    pdf.style(19, bold=True, colour=ACCENT)
    pdf.cell(0, 10, pdf.t(_(TITLE)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.style(9, colour=MUTED)
    pdf.cell(
        0,
        5,
        pdf.t(_("Kept by the patient in Healing Journal · exported {date}").format(date=full_date(pdf.exported))),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    facts = [
        (_("Patient"), data.profile.name.strip() or _("not given")),
        (_("Skin type"), _skin_type(data.profile.fitzpatrick)),
        (_("History"), _history(data.profile)),
        (_("Answers"), _answers(data.profile)),
        (_("Risk factors"), "; ".join(_risk_label(r, data) for r in data.risk_factors) or _("none recorded")),
        (_("Area"), ", ".join(a.label for a in data.areas) or _("none logged")),
        (_("Usual skin"), _baselines(data)),
        (_("Days covered"), _days_covered(data)),
    ]
    if data.start or data.end:
        facts.append(
            (
                _("Export period"),
                _("{start} to {end} (chosen by the patient)").format(
                    start=_date(data.start) if data.start else _("start"),
                    end=_date(data.end) if data.end else _("latest"),
                ),
            )
        )
    pdf.style(9.5)
    for label, value in facts:
        pdf.fact(label, value)

    # What the dermatologist asks first (docs/clinical-basis.md, "What the dermatologist asks first"):
    # the treatment and its reason, what went on the skin and was taken since, the flags and what the
    # patient did; the course at a glance follows.
    _treatments_table(pdf, data)
    _products_table(pdf, data)
    _flags_table(pdf, data)
    _course_glance(pdf, data)
    _at_a_glance(pdf, data)


def _treatments_table(pdf: SummaryDocument, data: _Selection) -> None:
    pdf.heading(_("Treatments"), space_needed=25)
    if not data.treatments:
        pdf.note(_("No treatment recorded."), size=9)
        return
    # The depth's heading whole ("Profundidad"), taken from the reason's column.
    depth = max(18, pdf.heading_width(_("Depth"), 8))
    widths = (19, 13, 44 - depth, 19, depth, 27, 30, 28)
    rows = []
    for t in data.treatments:
        where = _("Treatment of {date}").format(date=_date(t.day))
        rows.append(
            (
                _("{date} (booked)").format(date=_date(t.day)) if t.day > data.today else _date(t.day),
                ", ".join(area.label for area in t.areas),
                pdf.cell_text(t.reason or _("not given"), widths[2], 8, _("{where}, reason").format(where=where), 6),
                pdf.cell_text(t.device or "-", widths[3], 8, _("{where}, device").format(where=where), 6),
                _depth(t),
                pdf.cell_text(t.serums or "-", widths[5], 8, _("{where}, serums").format(where=where), 6),
                pdf.cell_text(
                    ", ".join(part for part in (t.practitioner, t.practitioner_contact) if part) or "-",
                    widths[6],
                    8,
                    _("{where}, practitioner").format(where=where),
                    6,
                ),
                _on_the_day(t),
            )
        )
    headings = tuple(_(word) for word in TREATMENT_COLUMNS)
    pdf.table_of(widths, headings, rows, size=8, zebra=False)
    notes = [f"{_date(t.day)}: {t.notes}" for t in data.treatments if t.notes]
    if notes:
        pdf.ln(1)
        pdf.note(_("Treatment notes: {notes}").format(notes=" · ".join(notes)))


def _products_table(pdf: SummaryDocument, data: _Selection) -> None:
    """Products put on the skin and medicines started after treatment, with dates."""
    if not data.products:
        pdf.ln(1)
        pdf.note(_("Products and medicines after treatment: none logged by the patient (serums applied at treatment "
                   "are listed above)."), size=8.5)  # fmt: skip
        return
    pdf.heading(_("Products and medicines after treatment"), space_needed=20)
    widths: list[float] = [20, 40, 55]
    widths.append(CONTENT_WIDTH - sum(widths))
    rows = [
        (
            _date(p.day),
            (p.kind.label, _BOLD) if p.is_medicine else p.kind.label,
            pdf.cell_text(p.name, widths[2], 8, f"{p.kind.label} from {_date(p.day)}", 4),
            pdf.cell_text(p.notes or "-", widths[3], 8, f"{p.kind.label} from {_date(p.day)}, notes", 4),
        )
        for p in data.products
    ]
    pdf.table_of(widths, (_("From"), _("Kind"), _("Name"), _("Notes")), rows, size=8, zebra=False)


_BOLD = FontFace(emphasis="BOLD")


def _flags_table(pdf: SummaryDocument, data: _Selection) -> None:
    """One row per cause (a card): the marks of an area are one row, a sign that was
    first a watch and then a call is one row at its highest, with what the patient did."""
    pdf.heading(_("Flags raised by the app"), space_needed=30)
    cards = data.view.cards
    if not cards:
        pdf.note(_("None: every logged day stayed within the expected course."), size=9)
        return
    still_open = sum(1 for card in cards if card.is_open)
    pdf.note(
        _(
            "One row per cause, most serious first: what was logged in short, what the app advised (as the patient "
            "read it) and what the patient did. {open} of {total} still open on {date}; the others eased since. "
            "D8: day 8 after treatment; 1/4: level 1 of the 0-4 scale."
        ).format(open=still_open, total=len(cards), date=full_date(pdf.exported))
    )
    pdf.ln(1)
    # "Now" as wide as its longest word ("abierto"), taken from the advice's column.
    now = max(11, *(pdf.heading_width(word, 7.5) for word in (_("Now"), _("open"), _("eased"))))
    widths: list[float] = [18, 11, 26, now, 40, 59 - now]
    widths.append(CONTENT_WIDTH - sum(widths))
    rows: list[tuple[Cell, ...]] = []
    for card in cards:
        lead, oldest = card.lead, min(card.flags, key=lambda f: f.first_day)
        since = f"{_date(card.since)}\n{day_label(oldest.days_since_treatment, short=True)}"
        action = (card.word, FontFace(emphasis="BOLD", color=hex_to_rgb(card.severity.style.colour)))
        in_order = sorted(card.flags, key=lambda f: (f.first_day, f.rule_id is not RuleId.PERSIST))
        logged = "; ".join(dict.fromkeys(flag.short or flag.message for flag in in_order))
        rows.append(
            (
                since,
                card.area.label,
                action,
                _("open") if card.is_open else _("eased"),
                pdf.cell_text(logged, widths[4], 7.5, _("Flag since {date}").format(date=_date(card.since)), 10),
                pdf.cell_text(
                    lead.advice, widths[5], 7.5, _("Advice, flag since {date}").format(date=_date(card.since)), 18
                ),
                _response(data, card.key),
            )
        )
    headings = tuple(_(word) for word in FLAG_COLUMNS)
    pdf.table_of(widths, headings, rows, size=7.5)


def _response(data: _Selection, card_key: str) -> str:
    response = data.response(card_key)
    if response is None:
        return _("not recorded")
    when = f" ({_date(response.day)})" if response.day else ""
    return f"{response.action.label}{when}" + (f": {response.note}" if response.note else "")


def _at_a_glance(pdf: SummaryDocument, data: _Selection) -> None:
    """One line per rated sign of each area's latest course: peak, latest, back to normal."""
    lines = data.summary
    if not lines:
        return
    pdf.heading(_("At a glance"), space_needed=22 + 7 * len(lines))  # the table whole, not split over pages
    pdf.note(
        _(
            "Latest treatment course of each area; ratings 0-4 as logged by the patient. "
            "'Within the expected course' is judged day by day against the expected band."
        )
    )
    pdf.ln(1)
    rows: list[tuple[Cell, ...]] = []
    for line in lines:
        normal: Cell
        if line.normal_from_day is None:
            normal = (
                _("not yet (latest above the expected range)"),
                FontFace(emphasis="BOLD", color=hex_to_rgb(Severity.WATCH.style.colour)),
            )
        elif line.normal_from_day == line.first_day:
            normal = _("throughout")
        else:
            normal = _("from day {day}").format(day=line.normal_from_day)
        rows.append(
            (
                line.area.label,
                line.sign.label,
                _("{rating} · {level} (day {day})").format(
                    rating=line.peak, level=level_name(line.sign, line.peak), day=line.peak_day
                ),
                _("{rating} · {level} (day {day}, {date})").format(
                    rating=line.latest,
                    level=level_name(line.sign, line.latest),
                    day=line.latest_day,
                    date=_date(line.latest_date),
                ),
                normal,
            )
        )
    pdf.table_of((18, 36, 42, 50, 34), tuple(_(word) for word in GLANCE_COLUMNS), rows, zebra=False)


GLANCE_PANEL_PX = 190  # each sign's small chart on page 1
GLANCE_ROW_MM = 30.0  # the height of one area's row of small charts


def _course_glance(pdf: SummaryDocument, data: _Selection) -> None:
    """Page 1's small chart: the latest course of each area, a small panel per rated
    sign side by side (the full chart with its key follows on the next page)."""
    import altair as alt

    from charts.course_chart import CHART_CONFIG, course_data, course_panels

    latest: dict[Area, tuple[Treatment, list[Entry]]] = {}
    for area, treatment, course in _sessions(data):
        latest[area] = (treatment, course)  # _sessions is in date order per area
    if not latest:
        return
    pdf.ln(2)
    # The note and the first row of small charts together: never the note alone at a page's foot.
    if pdf.get_y() + GLANCE_ROW_MM + 16 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.note(
        _(
            "The latest course in small: dots are the ratings (0 to the worst level), the green band what is still "
            "expected on that day, marks the flags; the full chart with its key follows, the peak and latest of "
            "each sign under 'At a glance'."
        )
    )
    for area, (treatment, course) in latest.items():
        flags = [f for f in data.flags if f.area == area and f.treatment_id in (treatment.id, None)]
        # The signs of "At a glance" above, in the same order.
        signs = list(dict.fromkeys(line.sign for line in data.summary if line.area == area)) or RATED_SIGNS[:3]
        course_table = course_data(
            course, flags, signs=signs, with_notes=False, depth=treatment.depth, baseline=data.view.baseline(area)
        )
        panels = course_panels(course_table, width=GLANCE_PANEL_PX, compact=True)
        chart = alt.HConcatChart(hconcat=[panel.chart for panel in panels], spacing=14, config=CHART_CONFIG)
        png = _chart_png(chart)
        width, height = _fit(_png_size(png), CONTENT_WIDTH, GLANCE_ROW_MM)
        if pdf.get_y() + height + 6 > pdf.page_break_trigger:
            pdf.add_page()
        label = _course_label(data, area, treatment)
        pdf.ln(1)
        pdf.style(8.5, bold=True)
        pdf.cell(0, 4.5, pdf.t(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        top = pdf.get_y()
        pdf.image(io.BytesIO(png), x=MARGIN, y=top, w=width, h=height)
        pdf.set_xy(MARGIN, top + height + 1)
    pdf.style(9)


def _course_label(data: _Selection, area: Area, treatment: Treatment) -> str:
    """ "Face, treated 2026-11-27", with its session in a series: a chart's caption."""
    if data.several_sessions:
        return _("{area}, treated {date} (session {number})").format(
            area=area.label, date=_date(treatment.day), number=data.session_of(treatment.id, area) or 1
        )
    return _("{area}, treated {date}").format(area=area.label, date=_date(treatment.day))


def _history(profile: Profile) -> str:
    told = [
        label
        for label, present in (
            (_("melasma"), profile.melasma_history),
            (_("dark marks after skin injury (PIH)"), profile.pih_history),
            (_("cold sores"), profile.cold_sores),
        )
        if present
    ]
    return "; ".join(told) if told else _("no melasma, PIH or cold sores noted")


def _answers(profile: Profile) -> str:
    """The profile questions by answer; "not answered" is never printed as "no", and
    unanswered ones are counted, not listed (page 1 stays readable in a minute)."""
    return _grouped_answers(PROFILE_QUESTIONS, profile.answer)


def _grouped_answers(questions: Sequence[ProfileQuestion], answer: Callable[[str], bool | None]) -> str:
    """ "yes: keloids; no: blood thinners, pregnant; 4 not answered"."""
    yes = [q.short for q in questions if answer(q.key) is True]
    no = [q.short for q in questions if answer(q.key) is False]
    parts = [_("yes: {items}").format(items=", ".join(yes))] if yes else []
    parts += [_("no: {items}").format(items=", ".join(no))] if no else []
    unanswered = len(questions) - len(yes) - len(no)
    if unanswered == len(questions):
        return _("not answered")
    if unanswered:
        parts.append(ngettext("{count} not answered", "{count} not answered", unanswered).format(count=unanswered))
    return "; ".join(parts)


def _risk_label(factor: RiskFactor, data: _Selection) -> str:
    if factor.treatment_id is None:
        return factor.label
    session = next((t for t in data.all_treatments if t.id == factor.treatment_id), None)
    if session is None:
        return factor.label
    return _("{factor} (session of {date})").format(factor=factor.label, date=_date(session.day))


def _baselines(data: _Selection) -> str:
    parts = []
    for area in data.areas:
        usual = data.view.baseline(area)
        if not usual.is_known:
            parts.append(_("{area}: not logged before treatment (judged against clear skin)").format(area=area.label))
            continue
        levels = ", ".join(f"{sign.value} {usual.level(sign)}" for sign in RATED_SIGNS if sign in usual.levels)
        parts.append(
            ngettext(
                "{area}: {levels} (from {count} day before treatment)",
                "{area}: {levels} (from {count} days before treatment)",
                usual.days,
            ).format(area=area.label, levels=levels, count=usual.days)
        )
    return "; ".join(parts) or "-"


def _depth(treatment: Treatment) -> str:
    if treatment.needle_depth_mm is None:
        return _("not given (judged as up to 1.5 mm)")
    return f"{treatment.needle_depth_mm:g} mm ({treatment.depth.label})"


def _on_the_day(treatment: Treatment) -> str:
    return _grouped_answers(TREATMENT_QUESTIONS, treatment.answer)


def _skin_type(fitzpatrick: int | None) -> str:
    if not fitzpatrick:
        return _("not given")
    return f"Fitzpatrick {FITZPATRICK[int(fitzpatrick)]}"


def _days_covered(data: _Selection) -> str:
    days = sorted({e.day for e in data.entries})
    if not days:
        return _("no days logged")
    span = (days[-1] - days[0]).days + 1
    first, last = _date(days[0]), _date(days[-1])
    if len(days) == span:
        return ngettext(
            "{first} to {last}: {count} day logged of {span} (every day)",
            "{first} to {last}: {count} days logged of {span} (every day)",
            len(days),
        ).format(first=first, last=last, count=len(days), span=span)
    return ngettext(
        "{first} to {last}: {count} day logged of {span}",
        "{first} to {last}: {count} days logged of {span}",
        len(days),
    ).format(first=first, last=last, count=len(days), span=span)


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else "-"


# --- the recovery chart of each area and session -------------------------------------


def _sessions(data: _Selection) -> list[tuple[Area, Treatment, list[Entry]]]:
    """(area, treatment, entries of its course) for every course with a rating in range."""
    by_course: dict[tuple[Area, int], list[Entry]] = defaultdict(list)
    for entry in data.entries:
        rated = any(entry.rating(sign) is not None for sign in ALL_SIGNS)
        if entry.in_course and entry.treatment_id is not None and rated:
            by_course[(entry.area, entry.treatment_id)].append(entry)
    treatments = {t.id: t for t in data.treatments}
    result = []
    for (area, treatment_id), course in sorted(by_course.items(), key=lambda kv: (kv[0][0], kv[1][0].day)):
        if treatment_id in treatments:
            result.append((area, treatments[treatment_id], course))
    return result


def _charts(pdf: SummaryDocument, data: _Selection) -> None:
    from charts.course_chart import recovery_chart  # Altair: only when a PDF is made

    sessions = _sessions(data)
    # On a new page, unless page 1 ran over by a little: then the chart follows, somewhat smaller.
    if pdf.page_no() == 1 or pdf.page_break_trigger - pdf.get_y() < CHART_MIN_MM + 30:
        pdf.add_page()
    pdf.heading(_("Recovery chart"), space_needed=0)
    pdf.note(
        _(
            "Each chart carries its own key. The green band is the highest rating still expected on that day of "
            "healing, for the session's needle depth and the patient's usual skin (logged before treatment). "
            "Flags are drawn from the day they started, their severity told by shape and colour; flags about no "
            "single sign (warning signs, aftercare, missed days) sit on their own strip under the signs."
        )
    )
    _measured_note(pdf, data)
    _technical_names(pdf, data)
    if not sessions:
        pdf.note(_("No rated day after a treatment to chart."), size=9)
        return
    # One course fills the page; several sit two abreast.
    columns = 1 if len(sessions) == 1 else 2
    gap = 6.0
    box_w = (CONTENT_WIDTH - gap * (columns - 1)) / columns
    box_h = min(205.0 if columns == 1 else 200.0, max(pdf.page_break_trigger - pdf.get_y() - 10, CHART_MIN_MM))
    panel_px = CHART_PX if columns == 1 else CHART_PX_NARROW
    for start in range(0, len(sessions), columns):
        row = sessions[start : start + columns]
        images = []
        for area, treatment, course in row:
            flags = [f for f in data.flags if f.area == area and f.treatment_id in (treatment.id, None)]
            chart = recovery_chart(
                course,
                flags,
                width=panel_px,
                measured=_measured_points(data, area, course),
                with_notes=False,
                depth=treatment.depth,
                baseline=data.view.baseline(area),
            )
            png = _chart_png(chart)
            label = _course_label(data, area, treatment)
            images.append((label, png, _fit(_png_size(png), box_w, box_h)))
        row_h = max(size[1] for *_ignored, size in images) + 8
        if pdf.get_y() + row_h > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y() + 2
        for index, (label, png, (width, height)) in enumerate(images):
            x = MARGIN + index * (box_w + gap)
            pdf.set_xy(x, top)
            pdf.style(10, bold=True)
            pdf.cell(box_w, 6, pdf.t(label))
            pdf.image(io.BytesIO(png), x=x + (box_w - width) / 2, y=top + 6, w=width, h=height)
        pdf.set_xy(MARGIN, top + row_h)
    pdf.style(9)


def _measured_points(data: _Selection, area: Area, course: Sequence[Entry]) -> list[MeasuredPoint]:
    """The dashed 'measured from photos' lines of one course."""
    days = {entry.day for entry in course}
    return chart_points(m for m in data.measurements if m.area == area and m.day in days)


def _measured_note(pdf: SummaryDocument, data: _Selection) -> None:
    if not data.measurements:
        return
    redness, spots = MEASUREMENT_NAMES[Measure.REDNESS], MEASUREMENT_NAMES[Measure.SPOT_COUNT]
    pdf.note(
        _(
            "Purple lines with open squares: {redness} and {spots}, measured from the photos (redness relative to "
            "the calmest photo of the same area, scaled to read beside the 0-4 rating). A phone camera is not a "
            "calibrated instrument: read them as a second opinion beside the ratings."
        ).format(redness=redness.plain, spots=spots.plain)
    )
    differing = sorted({m.day for m in data.measurements if m.lighting_differs})
    if differing:
        days = ", ".join(_date(day) for day in differing[:12]) + (" ..." if len(differing) > 12 else "")
        pdf.note(
            _("Lighting differs from the first photo on {days}: compare those measurements with care.").format(
                days=days
            )
        )
    unchecked = sorted({m.day for m in data.measurements if m.lighting_unchecked and not m.lighting_differs})
    if unchecked:
        days = ", ".join(_date(day) for day in unchecked[:12]) + (" ..." if len(unchecked) > 12 else "")
        pdf.note(
            _(
                "Light not checked on {days}: nothing neutral (the reference card or a plain background) was in "
                "view to compare the light with the first photo's, so a change of light cannot be ruled out."
            ).format(days=days)
        )


def _chart_png(chart: alt.TopLevelMixin) -> bytes:
    import vl_convert

    # Not validated again here: Altair's schema check took most of a second per chart,
    # and tests/test_export_pdf_flagged.py validates every chart a summary draws.
    png: bytes = vl_convert.vegalite_to_png(chart.to_json(validate=False), scale=2)
    return png


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _fit(size_px: tuple[int, int], max_w: float, max_h: float) -> tuple[float, float]:
    scale = min(max_w / size_px[0], max_h / size_px[1])
    return size_px[0] * scale, size_px[1] * scale


# --- daily ratings ---------------------------------------------------------------------


def _ratings_table(pdf: SummaryDocument, data: _Selection) -> None:
    pdf.heading(_("Daily ratings, aftercare and warning signs"), space_needed=70)
    if not data.entries:
        pdf.note(_("No day logged."), size=9)
        return
    scales = "; ".join(
        _("{sign} 0 {lowest} to 4 {highest}").format(
            sign=sign.label, lowest=level_words(sign, 0), highest=level_words(sign, 4)
        )
        for sign in RATED_SIGNS
    )
    pdf.note(
        _(
            "Ratings 0-4, every level named in the app (the clinical scales they follow: '{technical}', under the "
            "recovery chart's notes): {scales}. Bleeding and dryness: yes or no. Columns: Red redness, Swell "
            "swelling, Bleed pinpoint bleeding, Dry dryness or peeling. Bold red: above what is expected on that "
            "day for the session's depth and the patient's usual skin."
        ).format(technical=_(TECHNICAL_NAMES), scales=scales)
        + " "
        + (
            _('Day: days since treatment (D0 = treatment day; S2 = second session). "-": not answered.')
            if data.several_sessions
            else _('Day: days since treatment (D0 = treatment day). "-": not answered.')
        )
    )
    pdf.ln(1)
    several_areas = len({e.area for e in data.entries}) > 1
    # Whole words that fit their columns: a heading never breaks mid-word ("Spot s").
    signs = [_(SIGN_HEADINGS[sign]) for sign in ALL_SIGNS]
    headings = [
        _("Date"), _("Day"), *([_("Area")] if several_areas else []), *signs, _("Aftercare"), _("Warning signs"),
        _("Notes"),
    ]  # fmt: skip
    widths = [17, 13, *([12] if several_areas else []), *(pdf.heading_width(h, 7.5) for h in signs), 23, 23]
    widths.append(CONTENT_WIDTH - sum(widths))
    rows = []
    for entry in data.entries:
        rows.append(
            (
                _date(entry.day),
                _entry_day(entry, data),
                *([entry.area.label] if several_areas else []),
                *(_rating_cell(entry, sign, data) for sign in ALL_SIGNS),
                _aftercare(entry),
                _warnings(entry),
                pdf.cell_text(
                    entry.notes,
                    widths[-1],
                    7.5,
                    _("{date} ({day}, {area})").format(
                        date=_date(entry.day), day=_entry_day(entry, data), area=entry.area.label
                    ),
                ),
            )
        )
    pdf.table_of(widths, headings, rows, size=7.5)


# The daily table's sign columns: one short word each, named in full in the note above it.
SIGN_HEADINGS: dict[Sign, str] = {
    Sign.REDNESS: N_("Red"),
    Sign.SWELLING: N_("Swell"),
    Sign.SPOTS: N_("Spots"),
    Sign.PAIN: N_("Pain"),
    Sign.ITCH: N_("Itch"),
    Sign.BLEEDING: N_("Bleed"),
    Sign.DRYNESS: N_("Dry"),
}


def _notes_in_full(pdf: SummaryDocument) -> None:
    """The texts too long for their table cells, whole; they wrap across pages."""
    if not pdf.long_texts:
        return
    pdf.heading(_("Notes in full"), space_needed=25)
    pdf.note(_("Notes and details too long for the tables above, as the patient wrote them."))
    for number, (where, text) in enumerate(pdf.long_texts, start=1):
        pdf.ln(1.5)
        pdf.style(9, bold=True)
        pdf.multi_cell(0, 4.6, f"{number}. {where}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.style(9)
        pdf.multi_cell(0, 4.3, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _technical_names(pdf: SummaryDocument, data: _Selection) -> None:
    """A footnote under the chart's notes: the clinical scales and the technical
    names of what the charts measure. Everything else in the summary uses plain
    words, as the patient read them; a clinician finds the exact terms here. On
    the chart's page, which has room for three small lines (the chart keeps its
    size), where an appendix would have taken a page of its own."""
    based = [sign for sign in RATED_SIGNS if SIGN_INFO[sign].basis_name]
    # The scales' and measurements' technical names stay as the literature writes them (English).
    scales = "; ".join(
        _("{sign} rated {scale}").format(sign=sign.label, scale=SIGN_INFO[sign].basis_name) for sign in based
    )
    text = _("{heading}: {scales}; the other signs on the app's own 0-4 scales.").format(
        heading=_(TECHNICAL_NAMES), scales=scales
    )
    if data.measurements:
        charted = tuple(
            MEASUREMENT_NAMES[m]
            for m in (Measure.REDNESS, Measure.REDNESS_VS_UNTREATED, Measure.ERYTHEMA_INDEX, Measure.SPOT_COUNT)
        )
        text += " " + "; ".join(f"{name.title}: {name.technical}, {name.method}" for name in charted) + "."
    pdf.note(text, size=7)


def _patient_texts(data: _Selection) -> list[str]:
    """Everything the patient wrote that the summary prints: what the fonts must cover."""
    texts = [data.profile.name]
    for t in data.treatments:
        texts += [t.device, t.practitioner, t.practitioner_contact, t.serums, t.notes]
    texts += [e.notes for e in data.entries]
    return texts


def _app_words(data: _Selection) -> list[str]:
    """The app's own words the summary prints in the patient's language (recovery.language):
    the fonts must cover their script too (Arabic letters for an Arabic summary)."""
    words = [flag_text for flag in data.view.flags for flag_text in (flag.message, flag.advice, flag.short)]
    words += [card.title for card in data.view.cards] + [area.label for area in Area]
    return words + [sign.label for sign in Sign] + [level for sign in Sign for level in sign.levels]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _entry_day(entry: Entry, data: _Selection) -> str:
    text = day_label(entry.days_since_treatment, short=True).replace("day ", "D")
    number = data.session_of(entry.treatment_id, entry.area)
    if data.several_sessions and number and entry.in_course:
        text += f" S{number}"
    return text


def _rating_cell(entry: Entry, sign: Sign, data: _Selection) -> Cell:
    value = entry.rating(sign)
    if value is None:
        return "-"
    text = str(value) if sign.is_rated else (_("yes") if value else _("no"))
    course = data.view.course_of(entry)
    if course is not None and course.band_excess(sign, entry, value):
        return (text, FontFace(emphasis="BOLD", color=ABOVE_EXPECTED))
    return text


def _aftercare(entry: Entry) -> str:
    answers = {question: entry.answer(question.key) for question in AFTERCARE}
    if all(value is None for value in answers.values()):
        return "-"
    missed = [question.short for question, value in answers.items() if value is False]
    done = [question.short for question, value in answers.items() if value]
    if len(done) == len(answers):
        return ngettext("all {count} done", "all {count} done", len(answers)).format(count=len(answers))
    if missed:
        return _("missed: {items}").format(items=", ".join(missed))
    return _("done: {items}").format(items=", ".join(done))


def _warnings(entry: Entry) -> Cell:
    ticked = [question.short for question in (*EMERGENCY_SIGNS, *WARNING_SIGNS) if entry.answer(question.key)]
    if not ticked:
        return _("none")
    return (", ".join(ticked), FontFace(emphasis="BOLD", color=hex_to_rgb(Severity.URGENT.style.colour)))


# --- photos at fixed days ------------------------------------------------------------------


def _photo_pages(pdf: SummaryDocument, data: _Selection, read_photo: PhotoReader) -> None:
    by_area: dict[Area, list[Photo]] = defaultdict(list)
    for photo in data.photos:
        by_area[photo.area].append(photo)
    if not by_area:
        pdf.heading(_("Photos"), space_needed=20)
        pdf.note(_("No photos in this period."), size=9)
        return
    flagged = flagged_photos(data.flags, data.photos, data.flag_titles)
    for area in sorted(by_area):
        shown_view = main_view(by_area[area])
        chosen = grid_photos(shown_view)
        pairs = [day for day in flagged.shown if day.area == area]
        needed = [item.photo for item in chosen] + [p for day in pairs for p in (day.baseline, day.photo)]
        stored = {photo.id: read_photo(photo) for photo in needed}
        aspect = common_aspect(photo_size(content) for content in stored.values())
        # Each photo cropped and encoded once: the first photo may stand beside several flagged days.
        printed = {photo_id: clean_jpeg(content, aspect) for photo_id, content in stored.items()}
        pdf.printed_photos.update({photo.id: (photo, printed[photo.id]) for photo in needed})
        pdf.add_page()
        pdf.heading(_("Photos: {area}").format(area=area.label), space_needed=0)
        if pairs:
            _flagged_pairs(pdf, pairs, printed, aspect, flagged, data)
            pdf.subheading(_("At fixed days since treatment"))
        pdf.note(
            ngettext(
                "Taken by the patient at home, at fixed days since treatment (D0, 1, 3, 7, 14, 30) and the latest; "
                "the nearest photographed day stands in for a missing one. All shown with the same centre crop "
                "and size. {count} photo of this area in the journal for this period.",
                "Taken by the patient at home, at fixed days since treatment (D0, 1, 3, 7, 14, 30) and the latest; "
                "the nearest photographed day stands in for a missing one. All shown with the same centre crop "
                "and size. {count} photos of this area in the journal for this period.",
                len(by_area[area]),
            ).format(count=len(by_area[area]))
        )
        pdf.note(measured_key())
        if shown_view and shown_view[0].view is not View.UNSPECIFIED:
            pdf.note(_("All of the same view: {view}.").format(view=shown_view[0].view.label))
        pdf.ln(2)
        _photo_grid(pdf, [(item, printed[item.photo.id]) for item in chosen], aspect, data)


PAIR_GAP = 8.0  # mm between two pairs side by side
PAIR_TITLE_H = 8.0  # two lines of the flag's title
PAIR_LABEL_H = 16.0  # four lines under each photo: date, what it is, day since treatment, measured figures


def _flagged_pairs(
    pdf: SummaryDocument,
    days: Sequence[FlaggedDay],
    printed: dict[int, bytes],  # each photo as printed (clean_jpeg)
    aspect: tuple[int, int],
    flagged: FlaggedPhotos,
    data: _Selection,
) -> None:
    """Each flagged day's photo beside the area's first one, two pairs abreast."""
    pdf.subheading(_("Flagged days beside the first photo"))
    listed = ngettext(
        "The most serious flagged days that have a photo, at most {most} in this summary (all {count} flagged day "
        "is listed under 'Flags raised by the app').",
        "The most serious flagged days that have a photo, at most {most} in this summary (all {count} flagged days "
        "are listed under 'Flags raised by the app').",
        flagged.flagged_days,
    ).format(most=MOST_FLAGGED_DAYS, count=flagged.flagged_days)
    if flagged.without_photo:
        listed += " " + ngettext(
            "{count} of them has no photo within 2 days.",
            "{count} of them have no photo within 2 days.",
            flagged.without_photo,
        ).format(count=flagged.without_photo)
    pdf.note(
        listed
        + " "
        + _(
            "Left: the first photo of the area in this summary; right: the photo of the day the flag started "
            "(or the nearest photographed day). Same centre crop and size as the grid below."
        )
    )
    pair_w = (CONTENT_WIDTH - PAIR_GAP) / 2
    photo_w = (pair_w - 3) / 2
    photo_h = photo_w * aspect[1] / aspect[0]
    block_h = PAIR_TITLE_H + photo_h + PAIR_LABEL_H + 4
    top = pdf.get_y() + 2
    for index, day in enumerate(days):
        column = index % 2
        if column == 0 and index:
            top += block_h
        if column == 0 and top + block_h > pdf.page_break_trigger:
            pdf.add_page()
            top = pdf.get_y()
        x = MARGIN + column * (pair_w + PAIR_GAP)
        pdf.set_xy(x, top)
        pdf.style(8.5, bold=True, colour=hex_to_rgb(day.severity.style.colour))
        title = pdf.multi_cell(pair_w, 4, pdf.t(day.label), dry_run=True, output=MethodReturnValue.LINES)
        assert isinstance(title, list)
        shown_title = "\n".join(str(line) for line in title[:2]) + (" …" if len(title) > 2 else "")
        pdf.multi_cell(pair_w, 4, shown_title, new_x=XPos.LEFT, new_y=YPos.NEXT)
        for offset, photo, caption in (
            (0.0, day.baseline, _("First photo")),
            (
                photo_w + 3,
                day.photo,
                _("Flagged") if day.photo.day == day.day else _("Nearest to {day}").format(day=weekday_short(day.day)),
            ),
        ):
            y = top + PAIR_TITLE_H
            pdf.image(io.BytesIO(printed[photo.id]), x=x + offset, y=y, w=photo_w, h=photo_h)
            pdf.set_draw_color(*RULE)
            pdf.rect(x + offset, y, photo_w, photo_h)
            pdf.set_xy(x + offset, y + photo_h + 0.8)
            pdf.style(8, bold=True)
            pdf.cell(photo_w, 4, pdf.t(_photo_day(photo.day)), new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.style(7.5, colour=MUTED)
            pdf.cell(photo_w, 3.6, pdf.t(caption), new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.cell(photo_w, 3.6, pdf.t(_since(photo, data)), new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.style(7, colour=INK)
            pdf.cell(photo_w, 3.6, pdf.t(measured_figures(photo, short=True)), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(MARGIN, top + block_h)
    pdf.style(9)


def _photo_grid(
    pdf: SummaryDocument, chosen: Sequence[tuple[GridPhoto, bytes]], aspect: tuple[int, int], data: _Selection
) -> None:
    gap = 5.0
    label_h = 14.0 if any(item.photo.lighting_differs for item, _jpeg in chosen) else 10.0
    if any(measured_figures(item.photo) for item, _jpeg in chosen):
        label_h += 4.0
    columns, cell_w, cell_h = _grid_shape(len(chosen), aspect, pdf.page_break_trigger - pdf.get_y(), gap, label_h)
    left = MARGIN + (CONTENT_WIDTH - columns * cell_w - (columns - 1) * gap) / 2
    row_top = pdf.get_y()
    for index, (item, jpeg) in enumerate(chosen):
        column = index % columns
        if column == 0 and index:
            row_top += cell_h + label_h + gap
        if column == 0 and row_top + cell_h + label_h > pdf.page_break_trigger:
            pdf.add_page()
            row_top = pdf.get_y()
        x = left + column * (cell_w + gap)
        pdf.image(io.BytesIO(jpeg), x=x, y=row_top, w=cell_w, h=cell_h)
        pdf.set_draw_color(*RULE)
        pdf.rect(x, row_top, cell_w, cell_h)
        pdf.set_xy(x, row_top + cell_h + 1)
        pdf.style(8.5, bold=True)
        pdf.cell(cell_w, 4, pdf.t(_photo_day(item.photo.day)), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.style(8, colour=MUTED)
        pdf.cell(cell_w, 4, pdf.t(_photo_caption(item, data)), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.style(7.5, colour=INK)
        figures = measured_figures(item.photo)
        if pdf.get_string_width(pdf.t(figures)) > cell_w:  # a narrow grid: the index gives way
            figures = measured_figures(item.photo, short=True)
        if figures:
            pdf.cell(cell_w, 4, pdf.t(figures), new_x=XPos.LEFT, new_y=YPos.NEXT)
        if item.photo.lighting_differs:
            pdf.style(8, colour=hex_to_rgb(Severity.WATCH.style.colour))
            pdf.cell(cell_w, 4, pdf.t(_("Lighting differs from the first photo")))
    if chosen:
        pdf.set_xy(MARGIN, row_top + cell_h + label_h)
    pdf.style(9)


def _grid_shape(
    count: int, aspect: tuple[int, int], height: float, gap: float, label_h: float
) -> tuple[int, float, float]:
    """(columns, photo width, photo height): the largest photos that fit the page's remaining height."""
    ratio = aspect[1] / aspect[0]
    best = (3, 0.0, 0.0)
    # Three abreast unless another layout gives clearly larger photos.
    for columns in (3, 2, 4):
        rows = -(-max(count, 1) // columns)
        width = (CONTENT_WIDTH - gap * (columns - 1)) / columns
        tallest = (height - rows * (label_h + gap)) / rows
        width = min(width, tallest / ratio)
        if width > best[1] * 1.1:
            best = (columns, width, width * ratio)
    return best


def _since(photo: Photo, data: _Selection) -> str:
    """ "day 3", or "day 3 after session 2" in a series."""
    since = photo.days_since_treatment
    text = day_label(since, short=True)
    if data.several_sessions and since is not None and since >= 0:
        number = data.session_of(data.calendar.place(photo.day, photo.area).treatment_id, photo.area)
        if number:
            text += f" after session {number}"
    return text


# The short labels under each photo, in plain words (the technical names are in the
# chart page's footnote, with the rest: _technical_names).
FIGURE_LABELS: dict[Measure, str] = {
    Measure.REDNESS: N_("redness"),
    Measure.REDNESS_VS_UNTREATED: N_("vs untreated"),
    Measure.ERYTHEMA_INDEX: N_("index"),
}
SPOTS_LABEL = N_("spots")


def measured_key() -> str:
    """The key under the photos: each short label with the plain name it stands for."""
    labels = [(_(label), MEASUREMENT_NAMES[measure].plain) for measure, label in FIGURE_LABELS.items()]
    labels.append((_(SPOTS_LABEL), MEASUREMENT_NAMES[Measure.SPOT_COUNT].plain))
    key = "; ".join(f"{label} = {name}" for label, name in labels)
    return _(
        "Under each photo, measured at import: {key}. A phone camera is not a calibrated instrument: compare a "
        "photo with the area's first one."
    ).format(key=key)


def _photo_day(day: dt.date) -> str:
    """ "Tue 2026-11-24": the weekday in the summary's language, the date as every date of the PDF."""
    return f"{weekday_name(day)} {_date(day)}"


def measured_figures(photo: Photo, short: bool = False) -> str:
    """ "redness 14.2 · vs untreated +2.1 · index 31 · 3 spots": what was measured on a photo ("" when nothing was)."""
    parts = []
    if photo.a_star is not None:
        parts.append(f"{_(FIGURE_LABELS[Measure.REDNESS])} {decimal(photo.a_star)}")
    if photo.delta_a_star is not None:
        parts.append(f"{_(FIGURE_LABELS[Measure.REDNESS_VS_UNTREATED])} {decimal(photo.delta_a_star, signed=True)}")
    if photo.erythema_index is not None and not short:
        parts.append(f"{_(FIGURE_LABELS[Measure.ERYTHEMA_INDEX])} {decimal(photo.erythema_index, 0)}")
    if photo.spot_count is not None:
        parts.append(ngettext("{count} spot", "{count} spots", photo.spot_count).format(count=photo.spot_count))
    return " · ".join(parts)


def _photo_caption(item: GridPhoto, data: _Selection) -> str:
    photo = item.photo
    since = photo.days_since_treatment
    text = _since(photo, data)
    wanted = item.target
    if wanted != "latest" and wanted != f"D{since}":
        text = _("{day} (nearest to {wanted})").format(day=text, wanted=wanted)
    elif wanted == "latest":
        text = _("{day} (latest)").format(day=text)
    return text
