"""Which fonts the PDF summary is set in, so that a note in any script prints.

Every font comes from a package installed with the app (requirements.txt),
so every patient's computer prints the same:

- Lato (`font-lato`): the main face, regular and bold.
- Noto Sans (`manimgx-fonts`): Latin beyond Western Europe, Greek, Cyrillic,
  and the replacement mark; Noto Sans Symbols for arrows and signs.
- Noto Sans for other scripts (`manimgx-fonts`): Arabic, Hebrew, Armenian,
  Georgian, Devanagari, Thai and the other scripts of that package. Arabic
  and Hebrew are written right to left and Arabic letters join: the PDF turns
  on text shaping (HarfBuzz through `uharfbuzz`, with fpdf2's bidirectional
  ordering) when a text needs it.
- Noto Sans CJK (`noto-cjk-sans-otc`, the Simplified Chinese face of the
  collection, which holds the Japanese kana and Korean hangul as well).
- Noto Emoji (`manimgx-fonts`): emoji, in black and white.

The packaged Noto files are variable fonts; their default instance (regular)
is used as it is: making a bold instance takes seconds, so text that falls
back to them is printed regular inside bold headings.

Only the faces the document's text needs are loaded: a Latin-only journal
loads Lato, Noto Sans and the symbols, not the 19 MB CJK collection.
A character no face has is printed as the replacement mark "\ufffd", visibly,
never dropped or turned into a plain "?".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

REPLACEMENT = "\ufffd"
CORE_REPLACEMENT = "?"  # fpdf2's core fonts are latin-1: no better mark exists there
# The face of the CJK collection used (0 JP, 1 KR, 2 SC, 3 TC, 4 HK): all hold
# every character; they differ only in the regional shape of some Han ones.
CJK_FACE_INDEX = 2
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


@dataclass(frozen=True)
class Face:
    family: str
    regular: Path
    bold: Path | None = None
    index: int = 0  # the face's number inside a collection (.ttc)
    shaping: bool = False  # its script needs shaping and right-to-left ordering
    always: bool = False  # loaded for the app's own text too

    @property
    def coverage(self) -> frozenset[int]:
        covered = _cmap(self.regular, self.index)
        return covered & _cmap(self.bold, 0) if self.bold else covered


@dataclass(frozen=True)
class FontChoice:
    """The main family, the fallback faces, and the characters they cover."""

    family: str
    faces: tuple[Face, ...] = ()
    covered: frozenset[int] = field(default_factory=frozenset)
    shaping: bool = False

    @property
    def is_core(self) -> bool:
        return not self.faces

    def printable(self, text: str) -> str:
        """`text` as these fonts can print it: a character none has becomes the replacement mark."""
        out = []
        for char in _normal(text):
            if char == "\n":
                out.append(char)
            elif _invisible(char):
                continue
            elif self.is_core:
                out.append(char if ord(char) < 256 else CORE_REPLACEMENT)
            else:
                out.append(char if ord(char) in self.covered else REPLACEMENT)
        return "".join(out)


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")


def _invisible(char: str) -> bool:
    """Control and format characters (zero-width joiners, bidi marks...) and variation
    selectors: nothing to draw. (Private-use and unassigned characters are not
    invisible: they print as the replacement mark.)"""
    code = ord(char)
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Cs", "Zl", "Zp") or any(code in span for span in _VARIATION_SELECTORS)


@lru_cache(maxsize=32)
def _cmap(path: Path, index: int) -> frozenset[int]:
    with TTFont(path, lazy=True, fontNumber=index) as font:
        return frozenset(font.getBestCmap() or {})


def _lato() -> list[Face]:
    try:
        import font_lato
    except ImportError:
        return []
    folder = Path(font_lato.__file__).parent / "files"
    regular, bold = folder / "Lato-Regular.ttf", folder / "Lato-Bold.ttf"
    return [Face("Lato", regular, bold, always=True)] if regular.is_file() and bold.is_file() else []


# Noto files of manimgx-fonts: (family, file, needs shaping, always loaded), in fallback order.
_NOTO = (
    ("NotoSans", "NotoSans[wght].ttf", False, True),
    ("NotoSansSymbols", "NotoSansSymbols[wght].ttf", False, True),
    ("NotoSansArabic", "NotoSansArabic[wght].ttf", True, False),
    ("NotoSansHebrew", "NotoSansHebrew[wght].ttf", True, False),
    ("NotoSansArmenian", "NotoSansArmenian[wght].ttf", False, False),
    ("NotoSansGeorgian", "NotoSansGeorgian[wght].ttf", False, False),
    ("NotoSansDevanagari", "NotoSansDevanagari[wght].ttf", True, False),
    ("NotoSansBengali", "NotoSansBengali[wght].ttf", True, False),
    ("NotoSansTamil", "NotoSansTamil[wght].ttf", True, False),
    ("NotoSansThai", "NotoSansThai[wght].ttf", True, False),
    ("NotoSansEthiopic", "NotoSansEthiopic[wght].ttf", True, False),
)


def _noto() -> list[Face]:
    try:
        import manimgx_fonts
    except ImportError:
        return []
    folder = Path(manimgx_fonts.__file__).parent
    return [
        Face(family, folder / name, shaping=shaping, always=always)
        for family, name, shaping, always in _NOTO
        if (folder / name).is_file()
    ]


def _cjk() -> list[Face]:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return []
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return [Face("NotoSansCJK", path, index=CJK_FACE_INDEX)] if path.is_file() else []


def _emoji() -> list[Face]:
    try:
        import manimgx_fonts
    except ImportError:
        return []
    path = Path(manimgx_fonts.__file__).parent / "NotoEmoji[wght].ttf"
    return [Face("NotoEmoji", path)] if path.is_file() else []


@lru_cache(maxsize=1)
def packaged_faces() -> tuple[Face, ...]:
    """Every face the installed packages offer, main face first, in fallback order."""
    faces = []
    for face in (*_lato(), *_noto(), *_cjk(), *_emoji()):
        try:
            if face.coverage:
                faces.append(face)
        except Exception:  # an unreadable font file: do without it
            continue
    return tuple(faces)


def choose_font(texts: Iterable[str] = ()) -> FontChoice:
    """The fonts for a document whose patient-written text is `texts`: the faces
    always loaded, plus each other face that draws a character of those texts
    that the faces before it lack."""
    faces = packaged_faces()
    if not faces:
        return FontChoice("helvetica")
    wanted = {ord(char) for text in texts for char in _normal(text) if char != "\n" and not _invisible(char)}
    chosen: list[Face] = []
    covered: set[int] = set()
    for face in faces:
        if face.always:
            chosen.append(face)
            covered |= face.coverage
    for face in faces:
        missing = wanted - covered
        if not missing:
            break
        if face.always or not (missing & face.coverage):
            continue
        chosen.append(face)
        covered |= face.coverage
    shaping = any(face.shaping for face in chosen) and _shaping_available()
    return FontChoice(chosen[0].family, tuple(chosen), frozenset(covered), shaping)


def _shaping_available() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True
