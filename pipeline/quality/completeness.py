"""DOCUMENT_INCOMPLETE: a corner or edge of the card or license outside the frame, or covered.

Outside the frame: the located quad touches or crosses the image border; or, with no
outline found (a card a quarter out of the frame is no card shape), its text lines
reach the frame's side. Whether that stops verification (a field or the portrait gone)
is judged with the fields read, in pipeline.verification. Covered: a thumb or an
object over a corner; never on a flat scan, whose outline fills the frame. The four corners of a card or license are printed
alike (blank paper, or the same border ornament), so a corner patch whose
chromaticity (a*, b*: brightness is left out, light falls unevenly) or texture (mean
absolute lightness step: a thumb is smooth over a printed border) stands far from the
median of the other three is covered.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.documents.locate import side_support
from pipeline.findings import Finding
from pipeline.quality.base import DOCUMENT_KINDS, Inspected, QualityCheck, register
from pipeline.quality.settings import QualitySettings

PATCH = 0.06  # corner patch side, as a fraction of the document width
INSET = 0.01
CHROMA_SCALE, TEXTURE_SCALE = 12.0, 7.0  # to rank corners; the thresholds are settings


def corners_outside(quad, shape: tuple[int, ...], margin: float) -> list[int]:
    """Indices of quad corners closer than `margin` (fraction of the side) to the border."""
    h, w = shape[:2]
    mx, my = margin * w, margin * h
    return [i for i, (x, y) in enumerate(quad)
            if x < mx or y < my or x > w - 1 - mx or y > h - 1 - my]


def corner_deviation(document_bgr: np.ndarray) -> tuple[int, float, float]:
    """(corner clockwise from top-left, its chromaticity and its texture distance from the
    median of the other three) for the corner that stands out most."""
    h, w = document_bgr.shape[:2]
    side, inset = int(w * PATCH), int(w * INSET)
    if side < 4 or h < 2 * (side + inset):
        return 0, 0.0, 0.0
    origins = [(inset, inset), (inset, w - inset - side), (h - inset - side, w - inset - side),
               (h - inset - side, inset)]
    patches = np.stack([document_bgr[y:y + side, x:x + side] for y, x in origins])
    lab = cv2.cvtColor(patches.reshape(-1, side, 3), cv2.COLOR_BGR2LAB).astype(np.float32)
    lab = lab.reshape(4, side, side, 3)
    chroma = lab[..., 1:].reshape(4, -1, 2).mean(axis=1)
    light = lab[..., 0]
    texture = (np.abs(np.diff(light, axis=1)).mean(axis=(1, 2))
               + np.abs(np.diff(light, axis=2)).mean(axis=(1, 2)))
    chroma_dev, texture_dev = _deviations(chroma), _deviations(texture[:, None])
    worst = int(np.argmax(np.maximum(chroma_dev / CHROMA_SCALE, texture_dev / TEXTURE_SCALE)))
    return worst, float(chroma_dev[worst]), float(texture_dev[worst])


def _shown(seen: Inspected, settings: QualitySettings) -> bool:
    """Whether the photo shows the outline at all: one of its sides lies on a real edge.
    An outline fitted to a pale card on a pale desk can sit on no edge anywhere, and its
    corners then fall where they will, past the frame too."""
    return max(side_support(seen.image, seen.quad)) >= settings.min_side_support


def lines_at_border(seen: Inspected, margin: float) -> list[str]:
    """Sides of the photo ("left", "top", "right", "bottom") that an OCR text line reaches:
    printed text cut by the frame is a document running past it."""
    h, w = seen.image.shape[:2]
    mx, my = max(2.0, margin * w), max(2.0, margin * h)
    sides = set()
    for line in seen.lines:
        if len(line.box) != 4:
            continue
        xs, ys = [p[0] for p in line.box], [p[1] for p in line.box]
        sides |= {side for side, hit in (("left", min(xs) < mx), ("top", min(ys) < my),
                                         ("right", max(xs) > w - 1 - mx),
                                         ("bottom", max(ys) > h - 1 - my)) if hit}
    return sorted(sides)


BAND = 0.15  # of the image side: where a document past the frame loses its text


def frame_bands(shape: tuple[int, ...], sides: list[str]) -> list[list[float]]:
    """The strips along the named sides of the frame (x0, y0, x1, y1 in source pixels):
    where fields are lost when the document runs past that side."""
    h, w = shape[:2]
    strips = {"left": [0, 0, BAND * w, h], "right": [(1 - BAND) * w, 0, w, h],
              "top": [0, 0, w, BAND * h], "bottom": [0, (1 - BAND) * h, w, h]}
    return [[round(float(v), 1) for v in strips[side]] for side in sides]


def _corner_sides(quad, corners: list[int], shape: tuple[int, ...]) -> list[str]:
    """The sides of the frame that the given quad corners reach or cross."""
    h, w = shape[:2]
    sides = set()
    for x, y in (quad[i] for i in corners):
        sides |= {side for side, hit in (("left", x < 0.01 * w), ("right", x > 0.99 * w),
                                         ("top", y < 0.01 * h), ("bottom", y > 0.99 * h))
                  if hit}
    return sorted(sides)


def fills_frame(seen: Inspected, share: float) -> bool:
    """A flat scan: the outline covers nearly the whole picture (nothing held it)."""
    if seen.quad is None:
        return False
    area = cv2.contourArea(np.float32(seen.quad).reshape(-1, 1, 2))
    return area >= share * seen.image.shape[0] * seen.image.shape[1]


def _deviations(values: np.ndarray) -> np.ndarray:
    return np.array([np.linalg.norm(values[i] - np.median(np.delete(values, i, axis=0), axis=0))
                     for i in range(len(values))])


@register
class IncompleteDocumentCheck(QualityCheck):
    id = "incomplete"
    description = "证件边角超出画面或被遮挡"
    code = "DOCUMENT_INCOMPLETE"
    kinds = DOCUMENT_KINDS

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        if seen.quad is not None:
            outside = corners_outside(seen.quad, seen.image.shape, settings.border_margin)
            if outside and _shown(seen, settings):
                return [self.finding(
                    "证件边角超出画面，没有拍全。请把证件四个角完整拍入画面后重新拍摄。",
                    material, rule="outside_frame", corners=outside,
                    regions=frame_bands(seen.image.shape, _corner_sides(seen.quad, outside,
                                                                        seen.image.shape)),
                    threshold=settings.border_margin)]
        elif seen.lines:  # no outline: printed text cut by the frame tells
            sides = lines_at_border(seen, settings.text_border_margin)
            if sides:
                return [self.finding(
                    "证件有一部分在画面之外，没有拍全。请把整张证件拍入画面后重新拍摄。",
                    material, rule="text_at_border", sides=sides,
                    regions=frame_bands(seen.image.shape, sides),
                    threshold=settings.text_border_margin)]
        if not seen.located or fills_frame(seen, settings.scan_fill):
            return []  # a flat scan: nothing held the page, no corner is covered
        corner, chroma, texture = corner_deviation(seen.normalised)
        if (chroma < settings.corner_chroma_deviation
                and texture < settings.corner_texture_deviation):
            return []
        return [self.finding(
            "证件的一角被手指或物品遮挡。请拿开遮挡物，完整拍摄证件后重新上传。",
            material, rule="covered", corner=corner, chroma_deviation=chroma,
            texture_deviation=texture, chroma_threshold=settings.corner_chroma_deviation,
            texture_threshold=settings.corner_texture_deviation)]
