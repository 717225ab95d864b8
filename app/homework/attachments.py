"""Checking a homework attachment: an image or a PDF, size-limited, never trusted as sent.

Images are decoded and re-encoded with Pillow, which proves they are images and drops metadata a
phone photo carries (location, device). PDFs must look like PDFs and carry no script or launch
actions. The declared name and content type are ignored: the bytes decide.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from app.i18n import N_

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 24_000_000
IMAGE_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "WEBP": ("image/webp", "webp"),
}
# PDF features that can run code or smuggle files: refuse instead of trying to sanitise.
PDF_DANGEROUS = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia|XFA)\b")


class AttachmentError(ValueError):
    """Why an upload was refused, in words for the person uploading: `message` is a catalog
    message (English), `params` its placeholders; `str()` is the English sentence."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


@dataclass(frozen=True, slots=True)
class CheckedAttachment:
    media_type: str
    extension: str
    data: bytes


def safe_filename(name: str, extension: str) -> str:
    """A download name without paths or odd characters, with the extension the bytes earned."""
    stem = re.sub(r"[^A-Za-z0-9 ._-]+", "", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    stem = stem.rsplit(".", 1)[0].strip(" .")[:60] or "attachment"
    return f"{stem}.{extension}"


def check(data: bytes) -> CheckedAttachment:
    """Accept a PNG, JPEG or WebP image, or a PDF, up to MAX_BYTES; re-encode images."""
    if not data:
        raise AttachmentError(N_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise AttachmentError(
            N_("The file is larger than %(mb)s MB."), mb=MAX_BYTES // (1024 * 1024)
        )
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    return _check_image(data)


def _check_pdf(data: bytes) -> CheckedAttachment:
    if b"%%EOF" not in data[-1024:]:
        raise AttachmentError(N_("The PDF looks incomplete."))
    if PDF_DANGEROUS.search(data):
        raise AttachmentError(
            N_("The PDF contains scripts or embedded files, which are not allowed.")
        )
    return CheckedAttachment("application/pdf", "pdf", data)


def _check_image(data: bytes) -> CheckedAttachment:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                if fmt not in IMAGE_FORMATS:
                    raise AttachmentError(N_("Please attach a PNG, JPEG or WebP image, or a PDF."))
                if probe.width * probe.height > MAX_PIXELS:
                    raise AttachmentError(N_("The image is too large."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                out = io.BytesIO()
                if fmt == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=88)
                else:
                    image.save(out, fmt)
    except AttachmentError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise AttachmentError(N_("Please attach a PNG, JPEG or WebP image, or a PDF.")) from None
    media_type, extension = IMAGE_FORMATS[fmt]
    return CheckedAttachment(media_type, extension, out.getvalue())
