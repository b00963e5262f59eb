"""Uploaded photos lose their EXIF metadata, above all the GPS position, before they are stored (PIPL; Art. 23)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hotline.lib.errors import InvalidInput
from hotline.tickets import attachments

GPS_IFD = 0x8825


def photo_with_gps(fmt: str = "JPEG", *, noisy: bool = False) -> bytes:
    """A real 64×48 photo whose EXIF says where it was taken (27.24°N 111.47°E, Shaoyang) and by which camera."""
    image = Image.effect_noise((64, 48), 80).convert("RGB") if noisy else Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (27.0, 14.0, 24.0), 3: "E", 4: (111.0, 28.0, 12.0)})
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def check(content: bytes, name: str = "site.jpg") -> attachments.CheckedUpload:
    return attachments.check_upload(SimpleUploadedFile(name, content, content_type="image/jpeg"), field="photos")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_it_removes_gps_and_camera_exif_from_a_photo(fmt: str) -> None:
    raw = photo_with_gps(fmt)
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD), "the test photo must carry a GPS position"
    stored = check(raw).content
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(GPS_IFD) == {}
        assert image.format == fmt
        assert image.size == (48, 64), "the orientation tag is applied to the pixels before it is dropped"
    assert b"CanaryCam" not in stored


def test_it_refuses_a_photo_whose_pixels_do_not_decode() -> None:
    raw = photo_with_gps(noisy=True)
    truncated = raw[:len(raw) // 2]  # header and EXIF intact, pixel data cut short
    with pytest.raises(InvalidInput) as refused:
        check(truncated)
    assert refused.value.code == "file_not_an_image"
