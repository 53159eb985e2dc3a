"""The printable reference card: its layout, and a page to print it on (PDF or PNG).

The card is the size of a bank card (86 x 54 mm), to hold beside the treated
skin. Four ArUco markers (OpenCV's 4x4 dictionary, ids CARD_MARKER_IDS) at its
corners let a photo's card be found at any position, rotation and moderate
perspective and give its geometry; a row of neutral patches from white through
greys to black lets exposure and white balance be normalised even when a bright
light clips the white; a millimetre scale bar lets the patient check the print
with a ruler. Everything is laid out in millimetres in one list of shapes, drawn
both as vector PDF and as a bitmap, so the two can never disagree.

The page is A4's width by Letter's height, so it prints at 100 % on either
paper without the printer scaling it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from photometry.words import N_

CARD_WIDTH_MM = 86.0
CARD_HEIGHT_MM = 54.0
MARKER_MM = 12.0
MARKER_MARGIN_MM = 3.0
MARKER_CELLS = 6  # a 4x4 code inside a one-cell black border
ARUCO_DICTIONARY = "DICT_4X4_50"
# Top-left, top-right, bottom-right, bottom-left (clockwise, as ArUco orders corners).
CARD_MARKER_IDS = (17, 23, 31, 42)

# Neutral patches, nominal 8-bit sRGB grey levels from paper white to black.
PATCH_LEVELS = (255, 222, 188, 153, 119, 85, 51, 17)
PATCH_TOP_MM, PATCH_HEIGHT_MM = 18.0, 16.0
PATCH_LEFT_MM, PATCH_WIDTH_MM = 3.0, 10.0
SCALE_BAR_MM = 50.0
SCALE_LEFT_MM, SCALE_TOP_MM = 18.0, 40.0

# The page: A4 is 210 x 297 mm, Letter 215.9 x 279.4 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 279.4
PAGE_MARGIN_MM = 18.0
CARD_GAP_MM = 10.0


PRINTING_ADVICE = (
    N_('Print this page at 100 % ("Actual size"). Never choose "Fit to page" or "Shrink to fit".'),
    N_("Use plain white matte paper. Glossy photo paper reflects the light back into the camera."),
    N_("Check the print: the scale bar on the card must measure exactly 50 mm with a ruler."),
    N_("Cut out one card along its grey outline. Keep it flat, clean and dry."),
    N_(
        "For every photo, hold or lay the card beside the treated skin, at the same distance from the camera,"
        " with all four black corner squares in the picture and the card not covering the area."
    ),
    N_("Use the same card every time; print a new one when it fades, bends or gets marked."),
)

Colour = tuple[int, int, int]
BLACK: Colour = (0, 0, 0)
WHITE: Colour = (255, 255, 255)
OUTLINE: Colour = (150, 150, 150)


@dataclass(frozen=True)
class Box:
    """A filled rectangle, in millimetres from the top-left of whatever holds it."""

    left: float
    top: float
    width: float
    height: float
    colour: Colour


@dataclass(frozen=True)
class Text:
    left: float
    baseline: float
    size_pt: float
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Outline:
    left: float
    top: float
    width: float
    height: float
    colour: Colour
    line_mm: float


Shape = Box | Text | Outline


def marker_origins() -> tuple[tuple[float, float], ...]:
    """Top-left corner (mm) of each marker, in the order of CARD_MARKER_IDS."""
    right = CARD_WIDTH_MM - MARKER_MARGIN_MM - MARKER_MM
    bottom = CARD_HEIGHT_MM - MARKER_MARGIN_MM - MARKER_MM
    near = MARKER_MARGIN_MM
    return ((near, near), (right, near), (right, bottom), (near, bottom))


def marker_corners_mm() -> dict[int, np.ndarray]:
    """Each marker's four corners on the card (mm), clockwise from its top-left, as ArUco reports them."""
    corners = {}
    for marker_id, (left, top) in zip(CARD_MARKER_IDS, marker_origins()):
        corners[marker_id] = np.array(
            [[left, top], [left + MARKER_MM, top], [left + MARKER_MM, top + MARKER_MM], [left, top + MARKER_MM]],
            np.float64,
        )
    return corners


def patch_boxes() -> list[Box]:
    return [
        Box(PATCH_LEFT_MM + index * PATCH_WIDTH_MM, PATCH_TOP_MM, PATCH_WIDTH_MM, PATCH_HEIGHT_MM, (level,) * 3)
        for index, level in enumerate(PATCH_LEVELS)
    ]


@lru_cache(maxsize=len(CARD_MARKER_IDS))
def marker_cells(marker_id: int) -> np.ndarray:
    """The marker as a MARKER_CELLS x MARKER_CELLS boolean grid, True = black."""
    import cv2

    dictionary = cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, ARUCO_DICTIONARY))
    bitmap = cv2.aruco.generateImageMarker(dictionary, marker_id, MARKER_CELLS)
    return bitmap < 128


def card_shapes() -> list[Shape]:
    """The card, in millimetres from its own top-left corner."""
    shapes: list[Shape] = [Box(0, 0, CARD_WIDTH_MM, CARD_HEIGHT_MM, WHITE)]
    cell = MARKER_MM / MARKER_CELLS
    for marker_id, (left, top) in zip(CARD_MARKER_IDS, marker_origins()):
        black = marker_cells(marker_id)
        for row, col in zip(*np.nonzero(black)):
            shapes.append(Box(left + col * cell, top + row * cell, cell, cell, BLACK))
    shapes += patch_boxes()
    # The white patch is the paper itself: a hairline shows where it is.
    first = patch_boxes()[0]
    shapes.append(Outline(first.left, first.top, first.width, first.height, OUTLINE, 0.1))
    shapes += _scale_bar()
    shapes.append(Text(18.5, 7.0, 7, "Healing Journal reference card", bold=True))
    shapes.append(Text(18.5, 11.5, 5.5, "Keep it flat, beside the treated skin,"))
    shapes.append(Text(18.5, 14.8, 5.5, "all four corner squares in the photo."))
    shapes.append(Outline(0, 0, CARD_WIDTH_MM, CARD_HEIGHT_MM, OUTLINE, 0.2))
    return shapes


def _scale_bar() -> list[Shape]:
    shapes: list[Shape] = [Box(SCALE_LEFT_MM, SCALE_TOP_MM, SCALE_BAR_MM, 0.3, BLACK)]
    for mm in range(int(SCALE_BAR_MM) + 1):
        length = 3.0 if mm % 10 == 0 else 2.0 if mm % 5 == 0 else 1.2
        shapes.append(Box(SCALE_LEFT_MM + mm - 0.1, SCALE_TOP_MM, 0.2, length, BLACK))
        if mm % 10 == 0:
            label = f"{mm}" if mm else "0 mm"
            shapes.append(Text(SCALE_LEFT_MM + mm - 0.8, SCALE_TOP_MM + 6.0, 5.5, label))
    shapes.append(Text(SCALE_LEFT_MM + 8, SCALE_TOP_MM + 10.5, 5.5, "This bar must measure 50 mm."))
    return shapes


def page_shapes() -> list[Shape]:
    """A page with two cards (one spare) and the printing advice."""
    shapes: list[Shape] = [
        Text(PAGE_MARGIN_MM, PAGE_MARGIN_MM + 6, 16, "Reference card for your skin photos", bold=True),
        Text(
            PAGE_MARGIN_MM,
            PAGE_MARGIN_MM + 14,
            10,
            "The app finds the card in a photo and uses it to even out light and colour and to measure sizes.",
        ),
    ]
    top = PAGE_MARGIN_MM + 22
    for column in range(2):
        left = PAGE_MARGIN_MM + column * (CARD_WIDTH_MM + CARD_GAP_MM)
        shapes += [_moved(shape, left, top) for shape in card_shapes()]
    baseline = top + CARD_HEIGHT_MM + 14
    shapes.append(Text(PAGE_MARGIN_MM, baseline, 12, "Printing and using the card", bold=True))
    for advice in PRINTING_ADVICE:
        for line in _wrap(advice, 92):
            baseline += 6.2
            shapes.append(Text(PAGE_MARGIN_MM + 4, baseline, 10, line))
        baseline += 2.0
    return shapes


def _moved(shape: Shape, dx: float, dy: float) -> Shape:
    if isinstance(shape, Text):
        return Text(shape.left + dx, shape.baseline + dy, shape.size_pt, shape.text, shape.bold)
    if isinstance(shape, Outline):
        return Outline(shape.left + dx, shape.top + dy, shape.width, shape.height, shape.colour, shape.line_mm)
    return Box(shape.left + dx, shape.top + dy, shape.width, shape.height, shape.colour)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


# --- drawing -----------------------------------------------------------------------

PT_PER_MM = 72 / 25.4


def _font_files() -> tuple[Path, Path] | None:
    try:
        import font_lato
    except ImportError:
        return None
    folder = Path(font_lato.__file__).parent / "files"
    regular, bold = folder / "Lato-Regular.ttf", folder / "Lato-Bold.ttf"
    return (regular, bold) if regular.is_file() and bold.is_file() else None


def render_pdf() -> bytes:
    """The page as a PDF whose page is A4 wide and Letter high, in millimetres."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format=(PAGE_WIDTH_MM, PAGE_HEIGHT_MM))
    pdf.set_auto_page_break(False)
    pdf.set_title("Healing Journal reference card")
    pdf.set_creator("Healing Journal")
    fonts = _font_files()
    family = "Helvetica"
    if fonts:
        pdf.add_font("Lato", "", str(fonts[0]))
        pdf.add_font("Lato", "B", str(fonts[1]))
        family = "Lato"
    pdf.add_page()
    for shape in page_shapes():
        if isinstance(shape, Box):
            pdf.set_fill_color(*shape.colour)
            pdf.rect(shape.left, shape.top, shape.width, shape.height, style="F")
        elif isinstance(shape, Outline):
            pdf.set_draw_color(*shape.colour)
            pdf.set_line_width(shape.line_mm)
            pdf.rect(shape.left, shape.top, shape.width, shape.height, style="D")
        else:
            pdf.set_font(family, "B" if shape.bold else "", shape.size_pt)
            pdf.set_text_color(0, 0, 0)
            pdf.text(shape.left, shape.baseline, shape.text)
    return bytes(pdf.output())


def render_bitmap(shapes: list[Shape], width_mm: float, height_mm: float, px_per_mm: float) -> np.ndarray:
    """Shapes drawn as an 8-bit RGB array (anti-aliased edges)."""
    from PIL import Image, ImageDraw, ImageFont

    # Drawn at twice the resolution and reduced: smooth edges, exact positions.
    oversample = 2
    scale = px_per_mm * oversample
    size = (round(width_mm * px_per_mm) * oversample, round(height_mm * px_per_mm) * oversample)
    image = Image.new("RGB", size, WHITE)
    draw = ImageDraw.Draw(image)
    fonts = _font_files()
    for shape in shapes:
        if isinstance(shape, Box):
            box = _pixels(shape.left, shape.top, shape.width, shape.height, scale)
            draw.rectangle(box, fill=shape.colour)
        elif isinstance(shape, Outline):
            box = _pixels(shape.left, shape.top, shape.width, shape.height, scale)
            draw.rectangle(box, outline=shape.colour, width=max(1, round(shape.line_mm * scale)))
        else:
            pixels = max(1, round(shape.size_pt / PT_PER_MM * scale))
            font: ImageFont.FreeTypeFont | ImageFont.ImageFont
            if fonts:
                font = ImageFont.truetype(str(fonts[1] if shape.bold else fonts[0]), pixels)
            else:
                font = ImageFont.load_default(pixels)
            draw.text((shape.left * scale, shape.baseline * scale), shape.text, fill=BLACK, font=font, anchor="ls")
    image = image.reduce(oversample)
    return np.asarray(image)


def _pixels(left: float, top: float, width: float, height: float, scale: float) -> tuple[int, int, int, int]:
    x0, y0 = round(left * scale), round(top * scale)
    x1, y1 = round((left + width) * scale), round((top + height) * scale)
    return x0, y0, max(x0, x1 - 1), max(y0, y1 - 1)


def card_bitmap(px_per_mm: float = 10.0) -> np.ndarray:
    """The card alone as an 8-bit RGB array (for building test photos and previews)."""
    return render_bitmap(card_shapes(), CARD_WIDTH_MM, CARD_HEIGHT_MM, px_per_mm)


PNG_DPI = 300


def render_png(dpi: int = PNG_DPI) -> bytes:
    """The page as a PNG that says its resolution, so it prints at 100 %."""
    from PIL import Image

    pixels = render_bitmap(page_shapes(), PAGE_WIDTH_MM, PAGE_HEIGHT_MM, dpi / 25.4)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG", dpi=(dpi, dpi), optimize=True)
    return buffer.getvalue()


def reference_card(filename: str) -> bytes:
    """The printable page for a file name: PNG for '.png', otherwise PDF."""
    return render_png() if filename.lower().endswith(".png") else render_pdf()
