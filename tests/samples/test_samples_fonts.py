"""Finding a CJK font on the system."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from samples import fonts


def _ink(font) -> int:
    image = Image.new("L", (80, 80), 0)
    ImageDraw.Draw(image).text((10, 10), "证", font=font, fill=255)
    return int((np.asarray(image) > 128).sum())


def test_both_styles_draw_chinese():
    hei, song = fonts.cjk_font(48, "hei"), fonts.cjk_font(48, "song", bold=True)
    assert _ink(hei) > 150 and _ink(song) > 150
    assert all(face.path.exists() for face in fonts.cjk_faces())


def test_the_id_number_font_draws_digits():
    image = Image.new("L", (200, 60), 0)
    ImageDraw.Draw(image).text((5, 5), "1234567890X", font=fonts.digit_font(30), fill=255)
    assert image.getbbox() is not None


def test_a_missing_font_says_what_to_install(monkeypatch):
    fonts.cjk_faces.cache_clear()
    monkeypatch.setattr(fonts, "_fontconfig_faces", lambda: [])
    monkeypatch.setattr(fonts, "_known_file_faces", lambda: [])
    with pytest.raises(fonts.FontNotFound, match="fonts-noto-cjk"):
        fonts.cjk_faces()
    fonts.cjk_faces.cache_clear()
