"""DOCUMENT_INCOMPLETE: a corner or edge of the card or license outside the frame, or covered.

Outside the frame: the located quad touches or crosses the image border. Covered: a
thumb or an object over a corner; the four corner patches of a card or license are
blank print of the same paper, so one whose chromaticity (a*, b*, brightness
excluded since light falls unevenly) stands far from the others is covered.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.findings import Finding
from pipeline.quality.base import DOCUMENT_KINDS, Inspected, QualityCheck, register
from pipeline.quality.settings import QualitySettings

PATCH = (0.10, 0.07)  # corner patch height, width as fractions of the document
INSET = 0.015


def corners_outside(quad, shape: tuple[int, ...], margin: float) -> list[int]:
    """Indices of quad corners closer than `margin` (fraction of the side) to the border."""
    h, w = shape[:2]
    mx, my = margin * w, margin * h
    return [i for i, (x, y) in enumerate(quad)
            if x < mx or y < my or x > w - 1 - mx or y > h - 1 - my]


def corner_deviation(document_bgr: np.ndarray) -> tuple[int, float]:
    """(corner index clockwise from top-left, its chromaticity distance from the others)."""
    lab = cv2.cvtColor(document_bgr, cv2.COLOR_BGR2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    ph, pw, ih, iw = int(h * PATCH[0]), int(w * PATCH[1]), int(h * INSET), int(w * INSET)
    if min(ph, pw) < 2:
        return 0, 0.0
    origins = [(ih, iw), (ih, w - iw - pw), (h - ih - ph, w - iw - pw), (h - ih - ph, iw)]
    means = np.array([lab[y:y + ph, x:x + pw, 1:].reshape(-1, 2).mean(axis=0) for y, x in origins])
    deviations = [np.linalg.norm(means[i] - np.median(np.delete(means, i, axis=0), axis=0))
                  for i in range(4)]
    worst = int(np.argmax(deviations))
    return worst, float(deviations[worst])


@register
class IncompleteDocumentCheck(QualityCheck):
    id = "incomplete"
    description = "证件边角超出画面或被遮挡"
    code = "DOCUMENT_INCOMPLETE"
    kinds = DOCUMENT_KINDS

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        if seen.quad is not None:
            outside = corners_outside(seen.quad, seen.image.shape, settings.border_margin)
            if outside:
                return [self.finding(
                    "证件边角超出画面，没有拍全。请把证件四个角完整拍入画面后重新拍摄。",
                    material, rule="outside_frame", corners=outside,
                    threshold=settings.border_margin)]
        if not seen.located:
            return []
        corner, deviation = corner_deviation(seen.normalised)
        if deviation < settings.corner_deviation:
            return []
        return [self.finding(
            "证件的一角被手指或物品遮挡。请拿开遮挡物，完整拍摄证件后重新上传。",
            material, rule="covered", corner=corner, deviation=deviation,
            threshold=settings.corner_deviation)]
