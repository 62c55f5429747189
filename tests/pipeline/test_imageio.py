"""The working image every check reads: upright, 8-bit BGR, whatever the upload's format."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from pipeline.imageio import working_image, working_jpeg

GRADIENT = np.tile(np.linspace(0, 255, 160).astype(np.uint8), (90, 1))  # dark left, light right


def _encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("make", [
    lambda: _encoded(Image.fromarray(GRADIENT.astype(np.uint16) * 257), "PNG"),  # 16-bit grey
    lambda: _encoded(Image.fromarray(GRADIENT, "L").convert("RGBA"), "PNG"),
    lambda: _encoded(Image.fromarray(GRADIENT, "L").convert("P"), "PNG"),
    lambda: _encoded(Image.fromarray(GRADIENT, "L").convert("CMYK"), "JPEG", quality=95),
    lambda: _encoded(Image.fromarray(GRADIENT, "L"), "JPEG", quality=95, progressive=True),
], ids=["png16", "rgba", "palette", "cmyk", "progressive"])
def test_every_format_reads_as_the_same_8_bit_picture(make):
    image = working_image(make())
    assert image.shape == (90, 160, 3) and image.dtype == np.uint8
    grey = image.mean(axis=2)
    assert abs(grey[:, :10].mean() - 5) < 12 and abs(grey[:, -10:].mean() - 250) < 12


def test_exif_orientation_is_applied_and_dropped():
    picture = np.zeros((90, 160, 3), np.uint8)
    picture[:, :40] = 255  # a white band on the left of the upright picture
    stored = Image.fromarray(picture).transpose(Image.Transpose.ROTATE_90)  # as a phone stores it
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to show"
    data = _encoded(stored, "JPEG", quality=95, exif=exif.tobytes())
    image = working_image(data)
    assert image.shape == (90, 160, 3)
    assert image[:, :30].mean() > 200 and image[:, 60:].mean() < 40
    shown = Image.open(io.BytesIO(working_jpeg(data)))
    assert shown.size == (160, 90) and not shown.getexif()
