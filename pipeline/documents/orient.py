"""Which way up a page is: 0, 90, 180 or 270 degrees, read from its text.

Line boxes say whether text runs across or down the image. The printed order
of a document's labels (姓名 above 公民身份号码, 签发机关 above 有效期限, 名称 above
经营范围) then tells up from down, whatever the engine did to read upside-down
lines. Rotations here are clockwise turns of the image that make it upright.
"""
from __future__ import annotations

import math

import numpy as np

from pipeline.analysis import TextLine
from pipeline.documents.classify import DOCUMENT_KINDS, find_anchors
from pipeline.documents.text import squash


def runs_down(lines: list[TextLine]) -> bool:
    """Whether most text (weighted by length) runs along the image's height."""
    across = down = 0.0
    for line in lines:
        chars = len(squash(line.text))
        if chars < 2:
            continue
        p = np.asarray(line.box, dtype=float)
        width = math.dist(p[0], p[1])
        height = math.dist(p[0], p[3])
        if width > 1.3 * height:
            across += chars
        elif height > 1.3 * width:
            down += chars
    return down > across


def order_score(lines: list[TextLine], size: tuple[int, int], rotation: int) -> int:
    """How well the labels' top-to-bottom order holds after turning by `rotation`."""
    score = 0
    for kind in DOCUMENT_KINDS:
        found = sorted(find_anchors(lines, kind, ordered_only=True), key=lambda item: item[0])
        ys = [turn_point(_centre(line), size, rotation)[1] for _, line in found]
        for i in range(len(ys)):
            for j in range(i + 1, len(ys)):
                score += int(np.sign(ys[j] - ys[i]))
    return score


def upright_rotation(lines: list[TextLine], size: tuple[int, int]) -> int | None:
    """The clockwise turn that makes the page upright, or None if the text cannot say."""
    candidates = (90, 270) if runs_down(lines) else (0, 180)
    scores = [order_score(lines, size, rotation) for rotation in candidates]
    if scores[0] == scores[1]:
        return None
    return candidates[int(np.argmax(scores))]


def turn_point(point: tuple[float, float], size: tuple[int, int], rotation: int
               ) -> tuple[float, float]:
    """Where a point of a (width, height) image lands when the image turns clockwise."""
    x, y = point
    width, height = size
    if rotation == 90:
        return height - y, x
    if rotation == 180:
        return width - x, height - y
    if rotation == 270:
        return y, width - x
    return x, y


def turn_matrix(size: tuple[int, int], rotation: int) -> np.ndarray:
    """The 3x3 matrix of `turn_point`."""
    width, height = size
    matrices = {
        0: [[1, 0, 0], [0, 1, 0]],
        90: [[0, -1, height], [1, 0, 0]],
        180: [[-1, 0, width], [0, -1, height]],
        270: [[0, 1, 0], [-1, 0, width]],
    }
    return np.vstack([np.array(matrices[rotation], dtype=float), [0, 0, 1]])


def _centre(line: TextLine) -> tuple[float, float]:
    p = np.asarray(line.box, dtype=float)
    return float(p[:, 0].mean()), float(p[:, 1].mean())
