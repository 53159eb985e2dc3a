"""How large an upload would be once decoded, read from its header before anything is decoded.

A few kilobytes can declare a picture of gigapixels (a WebP of one colour, a
PNG of zeros). Decoders allocate what the header declares, so the size must be
judged from the header itself, by our own small parsers, before Pillow (or
libwebp, libheif) is handed the file: Pillow's WebP and HEIF plugins already
allocate when a file is opened.

The estimate follows what ingest does with each kind of file (store.photos.imaging):
the decoded bitmap in the decoder's own buffer and Pillow's, then at most a
few working copies of the picture it stores (rotation, colour conversion,
flattening transparency), at no more than MAX_STORED_PIXELS. A file whose
estimate exceeds MEMORY_BUDGET is refused as too large: an intact picture is
never called damaged for being big.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from store.photos import jpeg

MB = 1024 * 1024
# Peak memory one upload may take, with room below the 512 MB promised for
# the whole ingest (Python's own objects, the stored copy, the preview).
MEMORY_BUDGET = 400 * MB
# Bytes per pixel that decoding takes before ingest's own copies: Pillow keeps
# three-band pictures in four bytes; libwebp and libheif decode into a buffer
# of their own that Pillow then copies.
_DECODER_BYTES = {"JPEG": 4, "PNG": 4, "GIF": 4, "TIFF": 4, "WEBP": 8, "HEIF": 7}
_WORKING_COPIES = 3  # rotation, colour conversion, flattening: each at most one picture more
_STORED_BYTES = 4


@dataclass(frozen=True)
class Declared:
    format: str  # JPEG, PNG, GIF, TIFF, WEBP or HEIF
    width: int
    height: int
    bytes_per_sample: int = 1  # 2 for 16-bit PNG and TIFF, 10/12-bit HEIF

    @property
    def pixels(self) -> int:
        return self.width * self.height


def declared(data: bytes) -> Declared | None:
    """The format and size a file declares, or None when its header is not one we parse."""
    for parse in (_jpeg, _png, _gif, _webp, _tiff, _heif):
        try:
            found = parse(data)
        except (struct.error, IndexError, ValueError):
            found = None
        if found is not None:
            return found
    return None


def estimated_peak(found: Declared, max_stored_pixels: int) -> int:
    """Bytes of memory ingest may need at its peak for this file."""
    decoded = found.pixels
    if found.format == "JPEG" and found.pixels > max_stored_pixels:
        # Large JPEGs are decoded at half scale by the DCT (store.photos.imaging).
        decoded = found.pixels // 4
    decoder = decoded * _DECODER_BYTES[found.format] * found.bytes_per_sample
    stored = min(decoded, max_stored_pixels) * _STORED_BYTES
    if found.format != "JPEG" and found.pixels > max_stored_pixels:
        stored = found.pixels // 4 * _STORED_BYTES
    return decoder + _WORKING_COPIES * stored


# --- parsers -------------------------------------------------------------------------


def _jpeg(data: bytes) -> Declared | None:
    info = jpeg.frame(data)
    if info is None:
        return None
    return Declared("JPEG", info.width, info.height, 2 if info.precision > 8 else 1)


def _png(data: bytes) -> Declared | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height, bit_depth = struct.unpack(">IIB", data[16:25])
    return Declared("PNG", width, height, 2 if bit_depth == 16 else 1)


def _gif(data: bytes) -> Declared | None:
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return None
    width, height = struct.unpack("<HH", data[6:10])
    # A frame may be declared larger than the screen; the decoder sizes for the larger.
    pos = 13
    if data[10] & 0x80:
        pos += 3 * (2 ** ((data[10] & 0x07) + 1))
    while pos < len(data):
        block = data[pos]
        if block == 0x2C:  # image descriptor
            left, top, frame_w, frame_h = struct.unpack("<HHHH", data[pos + 1 : pos + 9])
            return Declared("GIF", max(width, left + frame_w), max(height, top + frame_h))
        if block == 0x21:  # extension: label, then sub-blocks
            pos += 2
            while pos < len(data) and data[pos]:
                pos += data[pos] + 1
            pos += 1
        else:
            break
    return Declared("GIF", width, height)


def _webp(data: bytes) -> Declared | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    body = data[20:]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(body[4:7], "little")
        height = 1 + int.from_bytes(body[7:10], "little")
        return Declared("WEBP", width, height)
    if chunk == b"VP8L":
        if body[0] != 0x2F:
            raise ValueError("not a lossless WebP bitstream")
        bits = int.from_bytes(body[1:5], "little")
        return Declared("WEBP", 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF))
    if chunk == b"VP8 ":
        if body[3:6] != b"\x9d\x01\x2a":
            raise ValueError("not a lossy WebP bitstream")
        width, height = struct.unpack("<HH", body[6:10])
        return Declared("WEBP", width & 0x3FFF, height & 0x3FFF)
    return None


def _tiff(data: bytes) -> Declared | None:
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None:
        return None
    (magic,) = struct.unpack(order + "H", data[2:4])
    if magic == 42:
        (offset,) = struct.unpack(order + "I", data[4:8])
        (count,) = struct.unpack(order + "H", data[offset : offset + 2])
        entries, entry_size, first = count, 12, offset + 2
        value_at, value_format = 8, {3: "H", 4: "I"}
    elif magic == 43:  # BigTIFF
        (offset,) = struct.unpack(order + "Q", data[8:16])
        (count,) = struct.unpack(order + "Q", data[offset : offset + 8])
        entries, entry_size, first = count, 20, offset + 8
        value_at, value_format = 12, {3: "H", 4: "I", 16: "Q"}
    else:
        return None
    tags: dict[int, int] = {}
    for index in range(min(entries, 4096)):
        at = first + index * entry_size
        tag, kind = struct.unpack(order + "HH", data[at : at + 4])
        if tag in (256, 257, 258) and kind in value_format:
            fmt = value_format[kind]
            (value,) = struct.unpack(order + fmt, data[at + value_at : at + value_at + struct.calcsize(fmt)])
            tags[tag] = value
    if 256 not in tags or 257 not in tags:
        return None
    # BitsPerSample with several samples points elsewhere; 16-bit files say 16 inline only for grey.
    bits = tags.get(258, 8)
    return Declared("TIFF", tags[256], tags[257], 2 if bits == 16 else 1)


def _heif(data: bytes) -> Declared | None:
    """The largest image extent ('ispe') an ISO-BMFF HEIF/AVIF file declares."""
    if data[4:8] != b"ftyp":
        return None
    largest: tuple[int, int] | None = None
    pos = data.find(b"ispe")
    while pos >= 4:
        # size(4) 'ispe' version/flags(4) width(4) height(4)
        width, height = struct.unpack(">II", data[pos + 8 : pos + 16])
        if largest is None or width * height > largest[0] * largest[1]:
            largest = (width, height)
        pos = data.find(b"ispe", pos + 4)
    if largest is None:
        return None
    deep = b"pixi" in data and _heif_depth(data) > 8
    return Declared("HEIF", largest[0], largest[1], 2 if deep else 1)


def _heif_depth(data: bytes) -> int:
    pos = data.find(b"pixi")
    channels = data[pos + 8]
    return max(data[pos + 9 : pos + 9 + channels], default=8)
