"""Step photos: accept an upload, prove it is an image, strip metadata and re-encode it small.

Re-encoding from pixels (never copying the file) is what removes EXIF, GPS and any other
metadata; orientation is applied first so the picture still looks the right way up.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from app.i18n import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1280
# Refuse absurd dimensions before decoding: a tiny file can claim a huge canvas (decompression bomb).
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "HEIF", "MPO", "BMP"}
OutputFormat = Literal["webp", "jpeg"]
CONTENT_TYPES: dict[str, str] = {"webp": "image/webp", "jpeg": "image/jpeg"}


class PhotoError(ValueError):
    """An upload we cannot use; the message is shown next to the photo field."""


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    data: bytes
    content_type: str
    width: int
    height: int


def process_upload(
    data: bytes, *, output: OutputFormat = "webp", max_side: int = MAX_SIDE
) -> ProcessedPhoto:
    """A clean, small copy of an uploaded photo, or PhotoError saying what to do instead."""
    if len(data) > MAX_UPLOAD_BYTES:
        size_mb = len(data) / (1024 * 1024)
        size = f"{size_mb:.0f}"
        raise PhotoError(_("This photo is %(size)s MB. Please choose one under 10 MB.", size=size))
    if not data:
        raise PhotoError(_("That file is empty. Please choose a photo."))
    image = _open_checked(data)
    try:
        image = ImageOps.exif_transpose(image) or image
        image = _flatten(image)
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if output == "webp":
            image.save(out, format="WEBP", quality=80, method=4)
        else:
            image.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    except (OSError, ValueError, SyntaxError) as exc:
        raise PhotoError(_("This photo could not be read. Please try another one.")) from exc
    return ProcessedPhoto(out.getvalue(), CONTENT_TYPES[output], image.width, image.height)


def _open_checked(data: bytes) -> Image.Image:
    """Open and verify the bytes as an image without trusting the file name or type."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoError(_("Please choose a photo (JPEG, PNG, WebP or HEIC)."))
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(_("This photo is too large to use. Please choose a smaller one."))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            _("This photo is too large to use. Please choose a smaller one.")
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise PhotoError(
            _("This file is not a photo we can use. Please choose an image.")
        ) from None
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB without alpha (JPEG has none; WebP would keep transparency we do not need)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image.copy()
