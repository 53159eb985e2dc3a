"""Turn an uploaded file into a clean, upright, sRGB JPEG and its thumbnail.

Everything here works on bytes and Pillow images; nothing touches the disk or
the database, so a refused file can never leave anything behind.

Before anything is decoded, the file's header says how large it is
(store.photos.image_limits): too many pixels, or more memory than ingest may take,
and it is refused as too large.

Three paths lead to the stored copy:
- the fast path, for the common upright sRGB JPEG: metadata segments are cut
  out of the file byte by byte, so the photo is never re-encoded (no quality
  loss, and no full-size decode: pixels are only decoded at reduced scale for
  the thumbnail and the measurements);
- the lossless path, for an sRGB JPEG turned by its EXIF orientation: the DCT
  blocks are turned upright by libjpeg-turbo (store.photos.jpeg), then as above;
- the full path for everything else (colour conversion, HEIC, PNG, ...):
  decode, normalise, and encode a fresh JPEG that carries no metadata.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import warnings
from dataclasses import dataclass
from functools import cached_property

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from recovery.language import N_, _
from store.errors import PhotoRejected
from store.photos import image_limits, jpeg

MAX_PHOTO_MB = 50
# Why a file is refused, in the patient's words (never a decoder's own message,
# such as "image file is truncated (48 bytes not processed)").
# Why a file is refused, in the current language when it is raised (the patient reads it).
EMPTY_FILE = N_("the file is empty: it holds no picture (try copying or exporting the photo again)")
DAMAGED = N_(
    "the picture in this file is damaged or cut short, so it cannot be opened "
    "(try copying or exporting the photo again)"
)
MAX_FILE_BYTES = MAX_PHOTO_MB * 1024 * 1024
MAX_PIXELS = 100_000_000
# Photos that must be re-encoded are stored at most this large (see normalise).
MAX_STORED_PIXELS = 24_000_000
# The analysis copy: big enough for measurements, small enough to be cheap.
PREVIEW_LONG_SIDE = 1024
# Smallest long side a reduced-scale JPEG decode may give for the preview.
DRAFT_LONG_SIDE = 900
THUMB_LONG_SIDE = 320
JPEG_QUALITY = 92
THUMB_QUALITY = 80

ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "HEIF", "WEBP", "TIFF", "GIF"}
# File name endings the upload widgets offer; the content decides in the end.
ACCEPTED_EXTENSIONS = ("jpg", "jpeg", "png", "heic", "heif", "webp", "tif", "tiff", "gif")

# Pillow's decompression-bomb guard stays on: it refuses anything above twice
# this many pixels even if our own header check were bypassed.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# A truncated file must be refused, never silently padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

_heif_registered = False


def _register_heif() -> None:
    """pillow-heif is imported on first use: it is slow to load and most
    sessions never see an iPhone photo."""
    global _heif_registered
    if not _heif_registered:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _heif_registered = True


@dataclass(frozen=True)
class IngestedPhoto:
    stored: bytes  # metadata-free sRGB JPEG
    preview: Image.Image  # RGB, long side about PREVIEW_LONG_SIDE, for measurement
    width: int
    height: int
    captured_at: dt.datetime | None
    source_sha256: str
    stored_sha256: str

    @cached_property
    def thumbnail(self) -> bytes:
        """Small JPEG for lists and galleries, made from the preview when first
        asked for (the journal asks in the thread that writes the files, while
        the photo is measured)."""
        # Halve with a box filter, then Lanczos: a few ms instead of ~15 for
        # Lanczos over the whole preview.
        return _encode_jpeg(_downscaled(self.preview, THUMB_LONG_SIDE, reducing_gap=1.5), THUMB_QUALITY)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest(data: bytes, filename: str) -> IngestedPhoto:
    """Validate and normalise one uploaded photo; raise PhotoRejected with the reason."""
    _check_size(data, filename)
    _check_declared(data, filename)
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _ingest(data, filename)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRejected(filename, _too_many_pixels_message()) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise PhotoRejected(filename, _(DAMAGED)) from None


def _check_size(data: bytes, filename: str) -> None:
    if not data:
        raise PhotoRejected(filename, _(EMPTY_FILE))
    if len(data) > MAX_FILE_BYTES:
        size_mb = len(data) / 1024 / 1024
        raise PhotoRejected(
            filename,
            _("the file is {size} MB; photos over {limit} MB are not accepted").format(
                size=f"{size_mb:.0f}", limit=MAX_FILE_BYTES // 2**20
            ),
        )


def _check_declared(data: bytes, filename: str) -> None:
    """Refuse from the header alone what would be too large to decode (see store.photos.image_limits)."""
    found = image_limits.declared(data)
    if found is None:
        return  # not a header we parse: Pillow's own checks and the pixel limit still apply
    if found.width < 1 or found.height < 1:
        raise PhotoRejected(filename, _("the image has no pixels"))
    if found.pixels > MAX_PIXELS:
        raise PhotoRejected(filename, _too_many_pixels_message((found.width, found.height)))
    peak = image_limits.estimated_peak(found, MAX_STORED_PIXELS)
    if peak > image_limits.MEMORY_BUDGET:
        megapixels = found.pixels / 1_000_000
        raise PhotoRejected(
            filename,
            _(
                "the image is {width} x {height} pixels ({megapixels} megapixels), too large to open safely as a "
                "{format} file: it would need about {needed} MB of memory (the limit is {limit} MB). Save it as a "
                "JPEG, or smaller."
            ).format(
                width=found.width,
                height=found.height,
                megapixels=f"{megapixels:.0f}",
                format=found.format,
                needed=peak // image_limits.MB,
                limit=image_limits.MEMORY_BUDGET // image_limits.MB,
            ),
        )


def _too_many_pixels_message(size: tuple[int, int] | None = None) -> str:
    limit = MAX_PIXELS // 1_000_000
    if size:
        return _("the image is {width} x {height} pixels, over the {limit} megapixels limit").format(
            width=size[0], height=size[1], limit=limit
        )
    return _("the image is over the {limit} megapixels limit").format(limit=limit)


def _open(data: bytes, filename: str) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise PhotoRejected(
            filename, _("this is not a photo the journal can read (JPEG, PNG, HEIC, WebP, TIFF or GIF)")
        ) from None
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoRejected(
            filename,
            _("{format} files are not accepted; use JPEG, PNG, HEIC, WebP, TIFF or GIF").format(format=image.format),
        )
    width, height = image.size
    if width < 1 or height < 1:
        raise PhotoRejected(filename, _("the image has no pixels"))
    if width * height > MAX_PIXELS:
        raise PhotoRejected(filename, _too_many_pixels_message(image.size))
    return image


def _ingest(data: bytes, filename: str) -> IngestedPhoto:
    image = _open(data, filename)
    captured_at = capture_time(image)
    fast = _fast_path(data, image)
    if fast is not None:
        stored, preview = fast
        width, height = Image.open(io.BytesIO(stored)).size  # turned, perhaps trimmed
    else:
        upright = normalise(image)
        stored = _encode_jpeg(upright, JPEG_QUALITY)
        width, height = upright.size
        preview = _reduced_preview(upright)
        del upright, image  # a 48 MP bitmap is 144 MB: let it go before the measurements
    return IngestedPhoto(
        stored=stored,
        preview=preview,
        width=width,
        height=height,
        captured_at=captured_at,
        source_sha256=sha256(data),
        stored_sha256=sha256(stored),
    )


# --- capture time -----------------------------------------------------------

_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME = 0x0132
_ORIENTATION = 0x0112


def capture_time(image: Image.Image) -> dt.datetime | None:
    """When the photo was taken, from EXIF, or None when it does not say."""
    try:
        exif = image.getexif()
        raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    except Exception:  # a broken EXIF block only costs us the capture time
        return None
    if not raw:
        return None
    try:
        return dt.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def header_problem(data: bytes, filename: str) -> str | None:
    """Why the file would be refused, judged from its size and header alone
    (for import previews; a damaged picture is only found when decoding)."""
    try:
        _check_size(data, filename)
        _check_declared(data, filename)
        _register_heif()
        _open(data, filename).close()
    except PhotoRejected as exc:
        return exc.reason
    except Exception:
        return _(DAMAGED)
    return None


def read_capture_time(data: bytes) -> dt.datetime | None:
    """Capture time of a file without decoding its pixels (for import planning)."""
    try:
        # Some decoders allocate the picture when a file is opened: judge its header first.
        _check_declared(data, "")
    except PhotoRejected:
        return None
    _register_heif()
    try:
        with Image.open(io.BytesIO(data)) as image:
            return capture_time(image)
    except Exception:
        return None


# --- the fast path: lossless metadata removal from upright sRGB JPEGs --------


# Turning a JPEG upright on its DCT blocks holds two copies of all its
# coefficients (2 bytes each: 6 bytes a pixel at 4:2:0, 12 at 4:4:4); larger
# ones take the full path, which decodes them at half scale.
LOSSLESS_MAX_BYTES = 300 * 1024 * 1024


def _lossless_bytes(info: jpeg.Frame) -> int:
    luma_blocks_per_chroma = (info.mcu_width // 8) * (info.mcu_height // 8)
    coefficients_per_pixel = 1 + (info.components - 1) / luma_blocks_per_chroma
    return int(2 * 2 * coefficients_per_pixel * info.width * info.height)


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION, 1))
    except Exception:  # an unreadable EXIF block: treat the photo as upright
        return 1


def _fits_fast_path(image: Image.Image) -> bool:
    """An sRGB (or untagged) colour JPEG: its DCT data can be kept as it is."""
    if image.format != "JPEG" or image.mode != "RGB":
        return False
    icc = image.info.get("icc_profile")
    return not icc or _is_srgb(icc)


def _is_srgb(icc: bytes) -> bool:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return "srgb" in ImageCms.getProfileDescription(profile).lower()
    except Exception:
        return False


def _fast_path(data: bytes, image: Image.Image) -> tuple[bytes, Image.Image] | None:
    """Stored bytes and preview without re-encoding, or None to take the full path."""
    if not _fits_fast_path(image):
        return None
    stripped = jpeg.strip_metadata(data)
    if stripped is None:
        return None
    orientation = _orientation(image)
    if orientation not in (1, 0):
        info = jpeg.frame(stripped)
        if info is None or _lossless_bytes(info) > LOSSLESS_MAX_BYTES:
            return None
        stripped = jpeg.upright_lossless(stripped, orientation, info)
        if stripped is None:
            return None  # the block grid forbids it without losing too much: re-encode
    try:
        return stripped, decode_preview(stripped)
    except (OSError, SyntaxError, ValueError):
        return None  # let the full path decide, and name the damage if there is any


def decode_preview(jpeg: bytes) -> Image.Image:
    """Decode at a reduced DCT scale: a 12 MP photo is never fully decoded here,
    yet every byte of picture data is read, so a truncated file still fails."""
    image = Image.open(io.BytesIO(jpeg))
    width, height = image.size
    shrink = DRAFT_LONG_SIDE / max(width, height)
    if shrink < 1:
        # Asking for the photo's own aspect lets libjpeg pick the largest
        # reduction (1/2, 1/4, 1/8) that still leaves DRAFT_LONG_SIDE pixels.
        image.draft("RGB", (max(1, int(width * shrink)), max(1, int(height * shrink))))
    image.load()
    return _downscaled(image, PREVIEW_LONG_SIDE)  # converts to RGB if needed, else copies once


# --- the full path ------------------------------------------------------------


def normalise(image: Image.Image) -> Image.Image:
    """Upright 8-bit sRGB RGB pixels from any accepted image (first frame only).

    Works on `image` itself where it can (rotation in place, no copy of an
    image that is already upright RGB): at 48 MP every extra copy is 144 MB
    and tens of milliseconds. The result may be `image`.
    """
    image.seek(0)
    image = _within_stored_size(image)
    # In place: the rotated bitmap replaces the decoded one, which is freed.
    ImageOps.exif_transpose(image, in_place=True)
    return _to_srgb(image, image.info.get("icc_profile"))


def _within_stored_size(image: Image.Image) -> Image.Image:
    """Decoded pixels, halved in width and height when over MAX_STORED_PIXELS.

    A re-encoded 48 MP photo is stored at 12 MP: still 4000 px wide, which is
    ample to compare days, while rotating and encoding the full 48 MP would
    hold two 190 MB bitmaps at once. JPEGs are decoded at half scale directly.
    """
    width, height = image.size
    if width * height <= MAX_STORED_PIXELS:
        image.load()
        return image
    if image.format in ("JPEG", "MPO"):
        image.draft(image.mode, (width // 2, height // 2))
        image.load()
        return image
    image.load()
    if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK", "I", "F", "RGBX"):
        halved = image.reduce(2)
    else:
        # Palette, 1-bit and 16-bit pictures cannot be averaged as they are:
        # every other pixel keeps their palette and range, at no extra memory.
        halved = image.resize((max(1, width // 2), max(1, height // 2)), Image.Resampling.NEAREST)
    halved.info = image.info  # keep the orientation tag and colour profile
    halved.getexif().update(image.getexif())
    return halved


_SRGB = None


def _srgb_profile() -> ImageCms.ImageCmsProfile:
    global _SRGB
    if _SRGB is None:
        _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return _SRGB


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = _sixteen_bit_to_grey(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = _flatten_alpha(image)
    if icc and not _is_srgb(icc) and image.mode in ("RGB", "CMYK", "L"):
        converted = _apply_icc(image, icc)
        if converted is not None:
            return converted
    return image if image.mode == "RGB" else image.convert("RGB")


def _sixteen_bit_to_grey(image: Image.Image) -> Image.Image:
    # Scale the full 16-bit range to 8 bits instead of clipping at 255.
    _, top = image.getextrema()  # one band: (lowest, highest)
    high = 65535 if isinstance(top, (int, float)) and top > 255 else 255
    return image.point(lambda value: value * (255 / high)).convert("L")


def _flatten_alpha(image: Image.Image) -> Image.Image:
    # Transparent parts become white, as they would look on a page.
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _apply_icc(image: Image.Image, icc: bytes) -> Image.Image | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            image, source, _srgb_profile(), outputMode="RGB", renderingIntent=ImageCms.Intent.PERCEPTUAL
        )
    except (ImageCms.PyCMSError, OSError):
        return None  # an unusable profile: fall back to Pillow's plain conversion


def _reduced_preview(upright: Image.Image) -> Image.Image:
    """The analysis copy of a full-size upright image, like the fast path's.

    A box-filter reduction by the largest whole factor that keeps
    DRAFT_LONG_SIDE pixels (what the fast path's reduced-scale JPEG decode
    does too: a 12 MP photo becomes 1008 x 756 either way), then Lanczos
    only if still over PREVIEW_LONG_SIDE. Lanczos over the full 12 MP took
    ~0.3 s; this takes ~10 ms.
    """
    factor = max(upright.size) // DRAFT_LONG_SIDE
    if factor > 1:
        upright = upright.reduce(factor)
    return _downscaled(upright, PREVIEW_LONG_SIDE)


def _downscaled(image: Image.Image, long_side: int, reducing_gap: float = 3.0) -> Image.Image:
    copy = image.convert("RGB") if image.mode != "RGB" else image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS, reducing_gap=reducing_gap)
    return copy


class _StoredCopy(io.BytesIO):
    """An in-memory file with a name. Pillow copies a read-only picture before
    saving it to "the file it was opened from", and takes any two unnamed
    in-memory files for the same one: a HEIC's decoded 12 MP (36 MB) was copied
    for nothing before every encode (~40 ms)."""

    name = "stored.jpg"


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = _StoredCopy()
    # No exif, no icc_profile, no comment: sRGB is what a JPEG without a
    # profile means, and the capture time lives in the database. Pillow
    # writes some of the source's metadata (its JPEG comment) from
    # `image.info` unless told otherwise, so save with that emptied.
    info, image.info = image.info, {}
    try:
        image.save(buffer, format="JPEG", quality=quality, optimize=False)
    finally:
        image.info = info
    return buffer.getvalue()
