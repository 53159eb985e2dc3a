"""Which font the PDF summary is set in, and what it can print.

Notes may hold any character, but fpdf2's built-in fonts are latin-1 only.
The choice, in order:

1. Lato from the `font-lato` package (installed with the app through
   requirements.txt, so every patient has it): Western European and Polish.
2. DejaVu Sans when the system has it (most Linux desktops): also Greek,
   Cyrillic and many symbols. With Lato present it is the fallback for the
   characters Lato lacks.
3. fpdf2's core Helvetica.

Whatever no chosen font can draw is printed as "?", so a note never breaks
the export.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
REPLACEMENT = "?"


@dataclass(frozen=True)
class Face:
    family: str
    regular: Path
    bold: Path


@dataclass(frozen=True)
class FontChoice:
    """The main family, an optional fallback family, and the characters they cover."""

    family: str
    faces: tuple[Face, ...] = ()
    covered: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_core(self) -> bool:
        return not self.faces

    def printable(self, text: str) -> str:
        """`text` with every character no chosen font can draw replaced by "?"."""
        text = unicodedata.normalize("NFC", str(text))
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        out = []
        for char in text:
            if char == "\n":
                out.append(char)
            elif unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp"):
                continue  # control and format characters (zero-width joiners, bidi marks...)
            elif self.is_core:
                out.append(char if ord(char) < 256 else REPLACEMENT)
            else:
                out.append(char if ord(char) in self.covered else REPLACEMENT)
        return "".join(out)


def _lato() -> Face | None:
    try:
        import font_lato
    except ImportError:
        return None
    folder = Path(font_lato.__file__).parent / "files"
    regular, bold = folder / "Lato-Regular.ttf", folder / "Lato-Bold.ttf"
    return Face("Lato", regular, bold) if regular.is_file() and bold.is_file() else None


def _dejavu() -> Face | None:
    for folder in DEJAVU_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return Face("DejaVu", regular, bold)
    return None


def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=1)
def choose_font() -> FontChoice:
    """The one place the PDF's font is decided (see the module docstring)."""
    faces = tuple(face for face in (_lato(), _dejavu()) if face is not None)
    usable = []
    covered: set[int] = set()
    for face in faces:
        try:
            # Both styles must cover a character for it to print in bold too.
            codes = _cmap(face.regular) & _cmap(face.bold)
        except Exception:  # an unreadable font file: skip it
            continue
        usable.append(face)
        covered |= codes
    if not usable:
        return FontChoice("helvetica")
    return FontChoice(usable[0].family, tuple(usable), frozenset(covered))
