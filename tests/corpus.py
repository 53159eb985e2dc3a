"""A corpus of hostile and odd image files, generated in memory.

Nothing here is committed as a binary: every sample is built from code, so it
is small to keep and easy to read. Each factory returns ``(filename, bytes)``.

- ``BAD``: files the journal must refuse (not images, damaged, too big,
  decompression bombs, formats it does not take).
- ``ODD``: unusual but legitimate photos it must accept and normalise.
  ``ODD_EXPECT`` says how each one must look once stored (upright size and
  where the markers are).

Every picture carries an asymmetric pattern so orientation can be checked
after ingest: on a grey background, a red block in the top-left corner and a
blue block in the top-right corner (for grey-scale images: black top-left,
white top-right). ``marker_positions`` finds them again in a stored photo.

Metadata that must never survive ingest carries the strings in ``SENTINELS``
so a test can search the stored bytes for them.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageCms

Sample = tuple[str, bytes]
Factory = Callable[[], Sample]

BACKGROUND = (128, 128, 128)
RED = (220, 30, 30)
BLUE = (30, 30, 220)
GREY_BACKGROUND, GREY_FIRST, GREY_SECOND = 128, 0, 255

CAPTURED_AT = "2026:11:20 08:30:15"  # EXIF DateTimeOriginal of the metadata samples
SENTINELS = {
    "xmp": b"SECRET-XMP-SENTINEL",
    "comment": b"SECRET-COMMENT-SENTINEL",
    "makernote": b"SECRET-MAKERNOTE-SENTINEL",
    "iptc": b"SECRET-IPTC-SENTINEL",
    "gps": b"SECRET-GPS-SENTINEL",
    "trailer": b"SECRET-MOTION-PHOTO-TRAILER",
}
XMP_NAMESPACE = b"http://ns.adobe.com/xap/1.0/"

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_ORIENTATION, _DATETIME_ORIGINAL, _MAKER_NOTE = 0x0112, 0x9003, 0x927C


# --- pictures ------------------------------------------------------------------


def pattern(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Grey picture with a marker in each top corner (red left, blue right).

    Markers are a quarter of each side (at least one pixel); in "L" mode the
    left marker is black and the right one white.
    """
    width, height = size
    grey = mode in ("L", "I;16")
    image = Image.new("L" if grey else "RGB", size, GREY_BACKGROUND if grey else BACKGROUND)
    block_w, block_h = max(1, width // 4), max(1, height // 4)
    image.paste(GREY_FIRST if grey else RED, (0, 0, block_w, block_h))
    if width > 1:
        image.paste(GREY_SECOND if grey else BLUE, (width - block_w, 0, width, block_h))
    if mode == "I;16":
        return Image.fromarray(np.asarray(image, dtype=np.uint16) * 257)
    return image if image.mode == mode else image.convert(mode)


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def jpeg(size: tuple[int, int] = (160, 120), quality: int = 90, **params) -> bytes:
    return encode(pattern(size), "JPEG", quality=quality, **params)


def noisy_jpeg(size: tuple[int, int] = (256, 192), seed: int = 1) -> bytes:
    """A JPEG whose scan data is long (noise does not compress), for truncation."""
    rng = random.Random(seed)
    image = pattern(size)
    noise = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    return encode(Image.blend(image, noise, 0.3), "JPEG", quality=95)


# --- JPEG segments -------------------------------------------------------------


def segment(marker: int, payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise ValueError("JPEG segment too long")
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def insert_segments(data: bytes, *segments: bytes) -> bytes:
    """Insert raw segments right after SOI (and after APP0 if there is one)."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    pos = 2
    if data[2:4] == b"\xff\xe0":
        (length,) = struct.unpack(">H", data[4:6])
        pos = 4 + length
    return data[:pos] + b"".join(segments) + data[pos:]


def xmp_segment() -> bytes:
    packet = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,22.5N" '
        b'exif:UserComment="' + SENTINELS["xmp"] + b'"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    return segment(0xE1, XMP_NAMESPACE + b"\x00" + packet)


def photoshop_segment() -> bytes:
    """APP13 Photoshop IRB holding an IPTC caption (how editors store locations)."""
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(SENTINELS["iptc"])) + SENTINELS["iptc"]
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    return segment(0xED, b"Photoshop 3.0\x00" + resource)


def vendor_segment() -> bytes:
    """A maker-specific APP segment (like Samsung's APP7 or Apple's APP2 MPF)."""
    return segment(0xE7, b"VENDOR\x00" + SENTINELS["makernote"] + b"\x00" * 16)


def comment_segment() -> bytes:
    return segment(0xFE, b"Taken at home " + SENTINELS["comment"])


def metadata_exif(orientation: int = 1) -> Image.Exif:
    """EXIF with orientation, capture time, a maker note and a GPS position."""
    exif = Image.Exif()
    exif[_ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0132] = "2026:11:21 09:00:00"  # DateTime (modified), not the capture time
    sub = exif.get_ifd(_EXIF_IFD)
    sub[_DATETIME_ORIGINAL] = CAPTURED_AT
    sub[_MAKER_NOTE] = b"Apple iOS\x00\x00\x01MM" + SENTINELS["makernote"]
    gps = exif.get_ifd(_GPS_IFD)
    gps[0x0001] = "N"
    gps[0x0002] = (52.0, 22.0, 30.5)
    gps[0x0003] = "E"
    gps[0x0004] = (4.0, 53.0, 12.25)
    gps[0x001B] = b"ASCII\x00\x00\x00" + SENTINELS["gps"]  # GPSProcessingMethod
    return exif


def srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_with_metadata(orientation: int = 1, size: tuple[int, int] = (160, 120), icc: bytes | None = None) -> bytes:
    """A phone-like JPEG: EXIF (orientation, time, GPS, maker note), XMP, IPTC,
    a vendor APP segment, a comment and an ICC profile (sRGB unless given)."""
    data = encode(pattern(size), "JPEG", quality=90, exif=metadata_exif(orientation), icc_profile=icc or srgb_icc())
    return insert_segments(data, xmp_segment(), photoshop_segment(), vendor_segment(), comment_segment())


# --- ICC profiles ----------------------------------------------------------------


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + _s15(x) + _s15(y) + _s15(z)


def _pad4(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % 4)


def matrix_icc(description: str, primaries: tuple, gamma: float) -> bytes:
    """A minimal ICC v2 RGB display profile (matrix + gamma), built by hand.

    `primaries` are the D50-adapted XYZ of red, green and blue.
    """
    ascii_desc = description.encode("ascii") + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(ascii_desc)) + ascii_desc
    desc += b"\x00" * 8 + b"\x00\x00\x00" + b"\x00" * 67  # no Unicode, no ScriptCode
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256))
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\x00\x00\x00\x00No copyright, test profile\x00"),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(*primaries[0])),
        (b"gXYZ", _xyz(*primaries[1])),
        (b"bXYZ", _xyz(*primaries[2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += _pad4(data)
    header_rest = (
        b"\x00\x00\x00\x00"  # CMM
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + struct.pack(">6H", 2026, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\x00" * 24  # platform, flags, manufacturer, model, attributes
        + struct.pack(">I", 0)  # rendering intent
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\x00" * 4  # creator
        + b"\x00" * 44
    )
    size = 4 + len(header_rest) + 4 + len(table) + len(body)
    profile = struct.pack(">I", size) + header_rest + struct.pack(">I", len(tags)) + table + body
    assert len(profile) == size and size % 4 == 0
    return profile


DISPLAY_P3_PRIMARIES = ((0.5151, 0.2412, -0.0011), (0.2919, 0.6922, 0.0419), (0.1572, 0.0666, 0.7841))
ADOBE_RGB_PRIMARIES = ((0.6097, 0.3111, 0.0195), (0.2053, 0.6257, 0.0609), (0.1492, 0.0632, 0.7446))


def display_p3_icc() -> bytes:
    return matrix_icc("Display P3 (test)", DISPLAY_P3_PRIMARIES, 2.2)


def adobe_rgb_icc() -> bytes:
    return matrix_icc("Adobe RGB (1998) (test)", ADOBE_RGB_PRIMARIES, 563 / 256)


# A flat patch in a wide-gamut photo; converted to sRGB it must change visibly.
WIDE_GAMUT_PATCH = (60, 190, 90)


def wide_gamut_jpeg(icc: bytes, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, WIDE_GAMUT_PATCH)
    return encode(image, "JPEG", quality=95, icc_profile=icc, subsampling=0)


# --- PNG by hand ------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header(width: int, height: int, bit_depth: int = 8, colour_type: int = 0) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + png_chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    )


@functools.cache
def png_bomb_bytes(width: int, height: int) -> bytes:
    """A valid 1-bit grey PNG of width x height black pixels, a few hundred KB at most."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(row) for _ in range(height)]
    chunks.append(compressor.flush())
    return png_header(width, height, 1, 0) + png_chunk(b"IDAT", b"".join(chunks)) + png_chunk(b"IEND", b"")


def declared_size_png(width: int, height: int) -> bytes:
    """A PNG header declaring a size, with one tiny (incomplete) IDAT: a few dozen bytes."""
    idat = zlib.compress(b"\x00" * 64)
    return png_header(width, height, 8, 2) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose SOF header is patched to claim another size."""
    data = bytearray(jpeg((16, 16)))
    pos = 2
    while pos < len(data):
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in (0xC0, 0xC1, 0xC2):
            data[pos + 5 : pos + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        pos += 2 + length
    raise AssertionError("no SOF marker")


# --- BAD: files the journal must refuse -----------------------------------------------


def empty() -> Sample:
    return "empty.jpg", b""


def text_as_jpg() -> Sample:
    return "notes.jpg", b"Day 3: skin feels tight, redness going down.\n" * 20


def html_as_png() -> Sample:
    return (
        "page.png",
        b"<!DOCTYPE html><html><head><title>x</title></head><body><img src=x onerror=alert(1)></body></html>",
    )


def random_bytes() -> Sample:
    data = random.Random(6).randbytes(8192)
    assert data[:2] != b"\xff\xd8"
    return "random.jpg", data


def truncated_jpeg() -> Sample:
    data = noisy_jpeg()
    return "truncated.jpg", data[: len(data) * 6 // 10]


def jpeg_header_only() -> Sample:
    data = jpeg()
    return "header-only.jpg", data[: data.index(b"\xff\xda") + 2]


def zip_as_jpg() -> Sample:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", jpeg())
    return "archive.jpg", buffer.getvalue()


def svg() -> Sample:
    return "drawing.svg", (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<rect width="25" height="25" fill="red"/><script>alert(1)</script></svg>'
    )


def svg_as_jpg() -> Sample:
    return "drawing.jpg", svg()[1]


def pdf_as_jpg() -> Sample:
    return "scan.jpg", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bomb_30000() -> Sample:
    """30000 x 30000 pixels (900 MP) declared in a file of about 100 KB."""
    return "bomb.png", png_bomb_bytes(30000, 30000)


def png_header_bomb() -> Sample:
    """Only a header declaring 30000 x 30000: a few dozen bytes."""
    return "bomb-header.png", declared_size_png(30000, 30000)


def png_over_limit() -> Sample:
    """12000 x 12000 = 144 MP: over the journal's 100 MP limit, under Pillow's hard 200 MP."""
    return "huge.png", declared_size_png(12000, 12000)


def jpeg_bomb_header() -> Sample:
    return "bomb.jpg", jpeg_declaring(65000, 65000)


def png_zero_width() -> Sample:
    return "zero.png", declared_size_png(0, 10)


def oversized_file() -> Sample:
    """A real JPEG padded past 50 MB."""
    data = jpeg()
    return "too-big.jpg", data + b"\x00" * (50 * 1024 * 1024 + 1 - len(data))


def bmp() -> Sample:
    return "photo.bmp", encode(pattern((40, 30)), "BMP")


def ico() -> Sample:
    return "favicon.ico", encode(pattern((32, 32)), "ICO")


def truncated_png() -> Sample:
    data = encode(Image.frombytes("RGB", (128, 128), random.Random(3).randbytes(128 * 128 * 3)), "PNG")
    return "cut.png", data[: len(data) // 2]


def webp_lossless_header(width: int, height: int) -> bytes:
    """A RIFF/WEBP file whose VP8L header declares a size, with a few KB of filler after it."""
    bits = (width - 1) | ((height - 1) << 14)  # alpha hint 0, version 0
    body = b"\x2f" + bits.to_bytes(4, "little") + random.Random(8).randbytes(3000)
    chunk = b"VP8L" + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def webp_extended_header(width: int, height: int) -> bytes:
    """A RIFF/WEBP file with a VP8X canvas of the given size and nothing else of use."""
    body = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    chunk = b"VP8X" + struct.pack("<I", len(body)) + body
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def webp_header_bomb() -> Sample:
    """The issue's 3 KB WebP: 16383 x 16383 pixels declared (268 megapixels)."""
    return "bomb.webp", webp_lossless_header(16383, 16383)


def webp_canvas_bomb() -> Sample:
    return "canvas.webp", webp_extended_header(16384, 16384)


def gif_header_bomb() -> Sample:
    """A GIF whose screen and first frame claim 65535 x 65535."""
    screen = b"GIF89a" + struct.pack("<HHBBB", 65535, 65535, 0, 0, 0)
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 65535, 65535, 0) + b"\x02\x02\x44\x01\x00"
    return "bomb.gif", screen + frame + b"\x3b"


def tiff_header(width: int, height: int, big: bool = False) -> bytes:
    """A little-endian TIFF (or BigTIFF) whose first directory declares a size, and no strips."""
    if big:
        entries = [(256, 16, width), (257, 16, height), (258, 3, 8)]
        directory = struct.pack("<Q", len(entries))
        for tag, kind, value in entries:
            directory += struct.pack("<HHQQ", tag, kind, 1, value)
        return b"II" + struct.pack("<HHHQ", 43, 8, 0, 16) + directory + struct.pack("<Q", 0)
    entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (262, 3, 2), (277, 3, 3)]
    directory = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        directory += struct.pack("<HHII", tag, kind, 1, value)
    return b"II" + struct.pack("<HI", 42, 8) + directory + struct.pack("<I", 0)


def tiff_header_bomb() -> Sample:
    return "bomb.tif", tiff_header(60000, 60000)


def bigtiff_header_bomb() -> Sample:
    return "bomb-big.tif", tiff_header(200000, 200000, big=True)


def heic_header_bomb() -> Sample:
    """A real small HEIC whose image extents ('ispe') are patched to 30000 x 30000."""
    data = bytearray(heic()[1])
    pos = data.find(b"ispe")
    while pos >= 0:
        data[pos + 8 : pos + 16] = struct.pack(">II", 30000, 30000)
        pos = data.find(b"ispe", pos + 4)
    return "bomb.heic", bytes(data)


def png_rgba_memory_bomb() -> Sample:
    """10000 x 10000 RGBA (100 megapixels, right at the pixel limit) in a tiny file:
    intact, but decoding it would take far more memory than ingest may use."""
    return "huge-rgba.png", png_header(10000, 10000, 8, 6) + png_chunk(b"IEND", b"")


def png16_memory_bomb() -> Sample:
    """9000 x 9000 16-bit RGBA: the 16 bits double what decoding holds."""
    return "huge16.png", png_header(9000, 9000, 16, 6) + png_chunk(b"IEND", b"")


BAD: dict[str, Factory] = {
    "empty": empty,
    "text_as_jpg": text_as_jpg,
    "html_as_png": html_as_png,
    "random_bytes": random_bytes,
    "truncated_jpeg": truncated_jpeg,
    "jpeg_header_only": jpeg_header_only,
    "truncated_png": truncated_png,
    "zip_as_jpg": zip_as_jpg,
    "svg": svg,
    "svg_as_jpg": svg_as_jpg,
    "pdf_as_jpg": pdf_as_jpg,
    "png_bomb_30000": png_bomb_30000,
    "png_header_bomb": png_header_bomb,
    "png_over_limit": png_over_limit,
    "jpeg_bomb_header": jpeg_bomb_header,
    "png_zero_width": png_zero_width,
    "oversized_file": oversized_file,
    "bmp": bmp,
    "ico": ico,
    "webp_header_bomb": webp_header_bomb,
    "webp_canvas_bomb": webp_canvas_bomb,
    "gif_header_bomb": gif_header_bomb,
    "tiff_header_bomb": tiff_header_bomb,
    "bigtiff_header_bomb": bigtiff_header_bomb,
    "heic_header_bomb": heic_header_bomb,
    "png_rgba_memory_bomb": png_rgba_memory_bomb,
    "png16_memory_bomb": png16_memory_bomb,
}

# Words the refusal message must contain for each bad file (any one of them).
BAD_REASON: dict[str, tuple[str, ...]] = {
    "empty": ("empty",),
    "text_as_jpg": ("not a photo",),
    "html_as_png": ("not a photo",),
    "random_bytes": ("not a photo",),
    "truncated_jpeg": ("damaged", "incomplete"),
    "jpeg_header_only": ("damaged", "incomplete", "not a photo"),
    "truncated_png": ("damaged", "incomplete"),
    "zip_as_jpg": ("not a photo",),
    "svg": ("not a photo",),
    "svg_as_jpg": ("not a photo",),
    "pdf_as_jpg": ("not a photo",),
    "png_bomb_30000": ("megapixels",),
    "png_header_bomb": ("megapixels",),
    "png_over_limit": ("megapixels",),
    "jpeg_bomb_header": ("megapixels",),
    "png_zero_width": ("damaged", "no pixels", "not a photo"),
    "oversized_file": ("MB",),
    "bmp": ("BMP",),
    "ico": ("ICO",),
    "webp_header_bomb": ("megapixels",),
    "webp_canvas_bomb": ("megapixels",),
    "gif_header_bomb": ("megapixels",),
    "tiff_header_bomb": ("megapixels",),
    "bigtiff_header_bomb": ("megapixels",),
    "heic_header_bomb": ("megapixels",),
    "png_rgba_memory_bomb": ("too large",),
    "png16_memory_bomb": ("too large",),
}


# --- ODD: unusual photos the journal must accept ---------------------------------------


def plain_jpeg() -> Sample:
    return "plain.jpg", jpeg()


def progressive_jpeg() -> Sample:
    return "progressive.jpg", jpeg(progressive=True)


def grey_jpeg() -> Sample:
    return "grey.jpg", encode(pattern((160, 120), "L"), "JPEG", quality=90)


def cmyk_jpeg() -> Sample:
    return "print.jpg", encode(pattern((160, 120)).convert("CMYK"), "JPEG", quality=90)


def png_rgb() -> Sample:
    return "screen.png", encode(pattern((160, 120)), "PNG")


def png_grey16() -> Sample:
    return "scan16.png", encode(pattern((160, 120), "I;16"), "PNG")


def png_rgba() -> Sample:
    """RGBA with a fully transparent bottom half (it must become white, not black)."""
    image = pattern((160, 120)).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 60, 160, 120))
    return "cutout.png", encode(image, "PNG")


def png_palette() -> Sample:
    return "palette.png", encode(pattern((160, 120)).quantize(8), "PNG")


def gif_palette() -> Sample:
    return "palette.gif", encode(pattern((160, 120)).quantize(8), "GIF")


def gif_animated() -> Sample:
    """Three frames; only the first carries the pattern."""
    first = pattern((160, 120))
    others = [Image.new("RGB", (160, 120), colour) for colour in ((0, 200, 0), (200, 200, 0))]
    return "animated.gif", encode(first, "GIF", save_all=True, append_images=others, duration=100, loop=0)


def webp() -> Sample:
    return "photo.webp", encode(pattern((160, 120)), "WEBP", quality=90)


def webp_lossless_alpha() -> Sample:
    return "alpha.webp", encode(pattern((160, 120)).convert("RGBA"), "WEBP", lossless=True)


def tiff() -> Sample:
    return "scan.tif", encode(pattern((160, 120)), "TIFF", compression="tiff_lzw")


def heic() -> Sample:
    import pillow_heif

    pillow_heif.register_heif_opener()
    return "IMG_0001.HEIC", encode(pattern((160, 120)), "HEIF", quality=90)


def one_pixel() -> Sample:
    return "dot.png", encode(Image.new("RGB", (1, 1), RED), "PNG")


def panorama() -> Sample:
    return "panorama.jpg", jpeg((12000, 200), quality=80)


def thin_panorama() -> Sample:
    """So thin that the measuring region is under 8 pixels high once scaled down."""
    return "thin.jpg", jpeg((12000, 64), quality=80)


def exif_upright() -> Sample:
    """Upright sRGB phone JPEG full of metadata (takes the lossless fast path)."""
    return "upright.jpg", jpeg_with_metadata(orientation=1)


def exif_rotated() -> Sample:
    """Orientation 6 (stored sideways, shown turned 90 degrees clockwise)."""
    return "IMG_sideways.jpg", jpeg_with_metadata(orientation=6)


def png_exif_rotated() -> Sample:
    return "sideways.png", encode(pattern((160, 120)), "PNG", exif=metadata_exif(6))


def display_p3() -> Sample:
    return "p3.jpg", wide_gamut_jpeg(display_p3_icc())


def adobe_rgb() -> Sample:
    return "adobe.jpg", wide_gamut_jpeg(adobe_rgb_icc())


def broken_icc() -> Sample:
    """A JPEG whose ICC profile is garbage: the profile is ignored, the photo kept."""
    return "broken-icc.jpg", jpeg(icc_profile=b"not an icc profile" * 10)


def motion_photo() -> Sample:
    """A JPEG followed by an 'MP4' after EOI, the way Google motion photos are laid out."""
    trailer = b"\x00\x00\x00\x18ftypmp42" + SENTINELS["trailer"] + random.Random(4).randbytes(2048)
    return "PXL_MP.jpg", jpeg() + trailer


def mpo() -> Sample:
    first = pattern((160, 120))
    second = Image.new("RGB", (160, 120), (0, 200, 0))
    return "stereo.mpo", encode(first, "MPO", save_all=True, append_images=[second], quality=90)


def jpeg_named_png() -> Sample:
    return "really-a-jpeg.png", jpeg()


ODD: dict[str, Factory] = {
    "plain_jpeg": plain_jpeg,
    "progressive_jpeg": progressive_jpeg,
    "grey_jpeg": grey_jpeg,
    "cmyk_jpeg": cmyk_jpeg,
    "png_rgb": png_rgb,
    "png_grey16": png_grey16,
    "png_rgba": png_rgba,
    "png_palette": png_palette,
    "gif_palette": gif_palette,
    "gif_animated": gif_animated,
    "webp": webp,
    "webp_lossless_alpha": webp_lossless_alpha,
    "tiff": tiff,
    "heic": heic,
    "one_pixel": one_pixel,
    "panorama": panorama,
    "thin_panorama": thin_panorama,
    "exif_upright": exif_upright,
    "exif_rotated": exif_rotated,
    "png_exif_rotated": png_exif_rotated,
    "display_p3": display_p3,
    "adobe_rgb": adobe_rgb,
    "broken_icc": broken_icc,
    "motion_photo": motion_photo,
    "mpo": mpo,
    "jpeg_named_png": jpeg_named_png,
}


@dataclass(frozen=True)
class Expect:
    size: tuple[int, int]  # upright (width, height) once stored
    corners: dict[str, str] | None = None  # corner -> what marker_positions must find; None: not checked
    grey: bool = False  # markers are black/white rather than red/blue


_UPRIGHT = {"top-left": "first", "top-right": "second", "bottom-left": "background", "bottom-right": "background"}
_TURNED_CW = {"top-left": "background", "top-right": "first", "bottom-left": "background", "bottom-right": "second"}

ODD_EXPECT: dict[str, Expect] = {name: Expect((160, 120), _UPRIGHT) for name in ODD}
ODD_EXPECT.update(
    {
        "grey_jpeg": Expect((160, 120), _UPRIGHT, grey=True),
        "png_grey16": Expect((160, 120), _UPRIGHT, grey=True),
        # Transparent pixels become white, as on a page.
        "png_rgba": Expect((160, 120), {**_UPRIGHT, "bottom-left": "white", "bottom-right": "white"}),
        "one_pixel": Expect((1, 1)),
        "panorama": Expect((12000, 200), _UPRIGHT),
        "thin_panorama": Expect((12000, 64), _UPRIGHT),
        "exif_rotated": Expect((120, 160), _TURNED_CW),
        "png_exif_rotated": Expect((120, 160), _TURNED_CW),
        "display_p3": Expect((64, 48)),
        "adobe_rgb": Expect((64, 48)),
    }
)
assert set(ODD_EXPECT) == set(ODD) and set(BAD_REASON) == set(BAD)

# Where the two markers land for each EXIF orientation (first = red, second = blue),
# written out by hand from the EXIF specification, and whether width/height swap.
ORIENTATION_MARKERS: dict[int, tuple[str, str, bool]] = {
    1: ("top-left", "top-right", False),
    2: ("top-right", "top-left", False),
    3: ("bottom-right", "bottom-left", False),
    4: ("bottom-left", "bottom-right", False),
    5: ("top-left", "bottom-left", True),
    6: ("top-right", "bottom-right", True),
    7: ("bottom-right", "top-right", True),
    8: ("bottom-left", "top-left", True),
}


# --- big, cached ----------------------------------------------------------------------


@functools.cache
def _photo_48mp_bytes() -> bytes:
    return jpeg((8000, 6000), quality=85)


def photo_48mp() -> Sample:
    """An 8000 x 6000 JPEG like a 48 MP phone camera makes (built once per process)."""
    return "48mp.jpg", _photo_48mp_bytes()


# --- names -----------------------------------------------------------------------------

HOSTILE_NAMES: tuple[str, ...] = (
    "../../../etc/passwd.jpg",
    "..\\..\\windows\\system32\\photo.jpg",
    "/absolute/path.jpg",
    "photo\x00.jpg",
    "<script>alert(1)</script>.jpg",
    "Ω unicode – jour 3 😊.jpg",
    "x" * 1000 + ".jpg",
    "",
)


# --- reading a stored picture back -----------------------------------------------------

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")


def corner_means(image: Image.Image) -> dict[str, tuple[float, float, float]]:
    """Mean RGB of the inner part of each corner's marker-sized block."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    block_w, block_h = max(1, width // 4), max(1, height // 4)
    # Stay inside the block, away from its edges (JPEG blur, chroma subsampling).
    inset_w, inset_h = block_w // 4, block_h // 4
    boxes = {
        "top-left": (inset_w, inset_h, block_w - inset_w, block_h - inset_h),
        "top-right": (width - block_w + inset_w, inset_h, width - inset_w, block_h - inset_h),
        "bottom-left": (inset_w, height - block_h + inset_h, block_w - inset_w, height - inset_h),
        "bottom-right": (width - block_w + inset_w, height - block_h + inset_h, width - inset_w, height - inset_h),
    }
    means = {}
    for corner, box in boxes.items():
        pixels = np.asarray(rgb.crop(box), dtype=np.float64).reshape(-1, 3)
        means[corner] = tuple(float(value) for value in pixels.mean(axis=0))
    return means


def classify(colour: tuple[float, float, float], grey: bool = False) -> str:
    """'first', 'second', 'background', 'white' or 'unknown' for a corner's mean colour."""
    r, g, b = colour
    if grey:
        level = (r + g + b) / 3
        if level < 50:
            return "first"
        if level > 205:
            return "second"
        return "background" if abs(level - GREY_BACKGROUND) < 40 else "unknown"
    if r - g > 100 and r - b > 100:
        return "first"
    if b - r > 100 and b - g > 100:
        return "second"
    if min(r, g, b) > 230:
        return "white"
    if max(r, g, b) - min(r, g, b) < 30 and abs(g - BACKGROUND[1]) < 40:
        return "background"
    return "unknown"


def marker_positions(image: Image.Image, grey: bool = False) -> dict[str, str]:
    """Corner -> what is there (see `classify`)."""
    return {corner: classify(mean, grey) for corner, mean in corner_means(image).items()}
