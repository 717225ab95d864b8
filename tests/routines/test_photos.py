"""Photos: size and type checks, EXIF/GPS stripped, orientation applied, resized, re-encoded."""

import io

import pytest
from PIL import Image

from app.routines import photos


def _jpeg(size: tuple[int, int] = (2000, 1000), exif: Image.Exif | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    # left half red, right half blue, so orientation changes are visible
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif if exif is not None else Image.Exif())
    return out.getvalue()


def _gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 0.0)
    return exif


def test_gps_exif_is_stripped_and_photo_resized() -> None:
    original = _jpeg(exif=_gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture carries GPS
    result = photos.process_upload(original)
    assert result.content_type == "image/webp"
    assert (result.width, result.height) == (1280, 640)
    cleaned = Image.open(io.BytesIO(result.data))
    assert cleaned.format == "WEBP"
    exif = cleaned.getexif()
    assert not exif.get_ifd(0x8825)
    assert 0x010F not in exif
    assert b"PhoneMaker" not in result.data
    assert "exif" not in cleaned.info


def test_orientation_is_applied_before_stripping() -> None:
    # Orientation 6 = rotate 90° clockwise for display: a landscape file shows as portrait.
    result = photos.process_upload(
        _jpeg(size=(400, 200), exif=_gps_exif(orientation=6)), output="jpeg"
    )
    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == (200, 400)
    shown = Image.open(io.BytesIO(result.data)).convert("RGB")
    assert 0x0112 not in shown.getexif()
    top, bottom = shown.getpixel((100, 20)), shown.getpixel((100, 380))
    assert top[0] > top[2]  # red (the left of the file) is on top after rotating clockwise
    assert bottom[2] > bottom[0]


def test_small_png_with_transparency_is_kept_small_and_flattened() -> None:
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    result = photos.process_upload(out.getvalue())
    shown = Image.open(io.BytesIO(result.data))
    assert (shown.width, shown.height) == (300, 200)
    assert shown.mode == "RGB"


def test_upload_over_ten_megabytes_is_refused_clearly() -> None:
    with pytest.raises(photos.PhotoError, match="under 10 MB"):
        photos.process_upload(b"\xff" * (20 * 1024 * 1024))


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7 not a picture", b"GIF89a-truncated", b"<svg xmlns='http://www.w3.org/2000/svg'/>"],
)
def test_non_images_are_refused(data: bytes) -> None:
    with pytest.raises(photos.PhotoError, match="not a photo"):
        photos.process_upload(data)


def test_empty_and_truncated_files_are_refused() -> None:
    with pytest.raises(photos.PhotoError, match="empty"):
        photos.process_upload(b"")
    with pytest.raises(photos.PhotoError):
        photos.process_upload(_jpeg()[:400])


def test_unlisted_format_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="TIFF")
    with pytest.raises(photos.PhotoError, match="JPEG, PNG"):
        photos.process_upload(out.getvalue())


def test_huge_canvas_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (10000, 6000)).save(out, format="PNG")
    with pytest.raises(photos.PhotoError, match="too large"):
        photos.process_upload(out.getvalue())
