"""Setting printed text: letter spacing, justified labels, line wrapping, ink colours."""
from __future__ import annotations

import random

from PIL import ImageDraw, ImageFont

Colour = tuple[int, int, int]
Font = ImageFont.FreeTypeFont
# Characters that may not start a line (避头点) and may not end one (避尾点).
_NO_LINE_START = "，。、；：？！）》」』”’%.,;:)"
_NO_LINE_END = "（《「『“‘("


def ink(rng: random.Random, base: Colour, spread: int = 12) -> Colour:
    """`base` shifted a little, as real ink and printers differ."""
    r, g, b = (max(0, min(255, c + rng.randint(-spread, spread))) for c in base)
    return r, g, b


def width(text: str, font: Font, spacing: float = 0.0) -> float:
    if not text:
        return 0.0
    return font.getlength(text) + spacing * (len(text) - 1)


def draw(canvas: ImageDraw.ImageDraw, x: float, baseline: float, text: str, font: Font,
         fill: Colour, spacing: float = 0.0) -> float:
    """Draw `text` left-aligned on a baseline; returns the x where it ends."""
    if not spacing:
        canvas.text((x, baseline), text, font=font, fill=fill, anchor="ls")
        return x + font.getlength(text)
    for char in text:
        canvas.text((x, baseline), char, font=font, fill=fill, anchor="ls")
        x += font.getlength(char) + spacing
    return x - spacing


def draw_centered(canvas: ImageDraw.ImageDraw, centre_x: float, baseline: float, text: str,
                  font: Font, fill: Colour, spacing: float = 0.0) -> None:
    draw(canvas, centre_x - width(text, font, spacing) / 2, baseline, text, font, fill, spacing)


def draw_justified(canvas: ImageDraw.ImageDraw, x: float, baseline: float, text: str,
                   font: Font, fill: Colour, span: float) -> None:
    """Spread a short label over `span` pixels, as 名　　称 on a license."""
    if len(text) < 2:
        draw(canvas, x, baseline, text, font, fill)
        return
    gap = (span - font.getlength(text)) / (len(text) - 1)
    draw(canvas, x, baseline, text, font, fill, max(gap, 0.0))


def wrap(text: str, font: Font, max_width: float, spacing: float = 0.0) -> list[str]:
    """Break `text` into lines no wider than `max_width`, keeping punctuation rules."""
    lines: list[str] = []
    line, used = "", 0.0
    for char in text:
        advance = font.getlength(char)
        if line and used + advance > max_width and char not in _NO_LINE_START:
            line, carried = _carry_opening(line)
            lines.append(line)
            line, used = carried, (font.getlength(carried) + spacing if carried else 0.0)
        line += char
        used += advance + spacing
    if line:
        lines.append(line)
    return lines


def _carry_opening(line: str) -> tuple[str, str]:
    """An opening bracket at a line end moves to the next line."""
    if len(line) > 1 and line[-1] in _NO_LINE_END:
        return line[:-1], line[-1]
    return line, ""
