"""Building synthetic OCR output: text lines placed on a page, optionally tilted."""
from __future__ import annotations

import math

from pipeline.analysis import TextLine


def line(text: str, x: float, y: float, *, h: float = 32, w: float | None = None,
         confidence: float = 0.99) -> TextLine:
    """A horizontal line box with its top-left corner at (x, y)."""
    width = w if w is not None else sum(h if ord(ch) > 0x2E80 else 0.55 * h for ch in text)
    return TextLine(text, confidence, [[x, y], [x + width, y], [x + width, y + h], [x, y + h]])


def tilted(lines: list[TextLine], degrees: float, centre: tuple[float, float] = (400, 300)
           ) -> list[TextLine]:
    """The same lines with the page turned by `degrees` (counter-clockwise on screen)."""
    a = math.radians(-degrees)
    cx, cy = centre

    def turn(p: list[float]) -> list[float]:
        x, y = p[0] - cx, p[1] - cy
        return [cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)]

    return [TextLine(t.text, t.confidence, [turn(p) for p in t.box]) for t in lines]


def rotated_page(lines: list[TextLine], size: tuple[int, int], rotation: int) -> list[TextLine]:
    """The lines as an engine reads them off a page turned `rotation` degrees clockwise.

    Boxes keep the engines' habit: clockwise from the top-left corner of the image.
    """
    width, height = size

    def turn(p: list[float]) -> list[float]:
        x, y = p
        return {90: [height - y, x], 180: [width - x, height - y], 270: [y, width - x]}.get(
            rotation, [x, y])

    out = []
    for t in lines:
        points = [turn(p) for p in t.box]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        box = [[min(xs), min(ys)], [max(xs), min(ys)], [max(xs), max(ys)], [min(xs), max(ys)]]
        out.append(TextLine(t.text, t.confidence, box))
    return out
