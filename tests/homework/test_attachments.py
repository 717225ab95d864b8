"""Attachments: only real images or clean PDFs, size-limited, metadata stripped."""

import io

import pytest
from PIL import Image

from app.homework.attachments import MAX_BYTES, AttachmentError, check, safe_filename


def _image(fmt: str, size: tuple[int, int] = (20, 10), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, fmt, **save)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("fmt", "media"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_images_are_accepted_and_reencoded(fmt: str, media: str) -> None:
    checked = check(_image(fmt))
    assert checked.media_type == media
    with Image.open(io.BytesIO(checked.data)) as img:
        assert img.size == (20, 10)


def test_jpeg_metadata_is_dropped() -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    data = _image("JPEG", exif=exif.tobytes())
    assert b"PhoneMaker" in data
    assert b"PhoneMaker" not in check(data).data


def test_clean_pdf_is_accepted_unchanged() -> None:
    checked = check(PDF)
    assert checked.media_type == "application/pdf"
    assert checked.data == PDF


@pytest.mark.parametrize(
    "marker", [b"/JavaScript", b"/JS", b"/Launch", b"/OpenAction", b"/EmbeddedFile"]
)
def test_pdf_with_active_content_is_refused(marker: bytes) -> None:
    with pytest.raises(AttachmentError, match="scripts"):
        check(PDF.replace(b"/Type /Catalog", b"/Type /Catalog " + marker + b" (x)"))


def test_truncated_pdf_is_refused() -> None:
    with pytest.raises(AttachmentError, match="incomplete"):
        check(PDF[:-7])


@pytest.mark.parametrize(
    "data", [b"", b"<html><script>alert(1)</script>", b"GIF89a" + b"\0" * 40, _image("PNG")[:30]]
)
def test_other_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(AttachmentError):
        check(data)


def test_gif_is_refused() -> None:
    with pytest.raises(AttachmentError, match="PNG, JPEG or WebP"):
        check(_image("GIF"))


def test_too_large_is_refused() -> None:
    with pytest.raises(AttachmentError, match="larger than 5 MB"):
        check(PDF + b" " * MAX_BYTES)


def test_too_many_pixels_is_refused() -> None:
    with pytest.raises(AttachmentError, match="too large"):
        check(_image("PNG", (6000, 5000)))


@pytest.mark.parametrize(
    ("name", "ext", "expected"),
    [
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\x\\My plan.exe", "png", "My plan.png"),
        ("<script>.pdf", "pdf", "script.pdf"),
        ("", "jpg", "attachment.jpg"),
    ],
)
def test_safe_filename(name: str, ext: str, expected: str) -> None:
    assert safe_filename(name, ext) == expected
