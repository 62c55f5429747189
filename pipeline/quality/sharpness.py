"""IMAGE_BLURRY: edges too wide on the document region at its normal size.

For a blurred step of contrast C, the steepest gradient is about C / w, where w is
the edge's rise width; so on the steepest edges (text strokes, the card's print),
local contrast over gradient estimates the edge width in pixels, independent of
lighting and contrast. A sharp photo of a card brought to 856 px wide has edges
about 3-3.5 px wide by this measure; defocus or shake widens them.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.findings import Finding
from pipeline.quality.base import (DOCUMENT_KINDS, HANDHELD_KINDS, PAPER_KINDS, Inspected,
                                   QualityCheck, register)
from pipeline.quality.settings import QualitySettings

MIN_CONTRAST = 40  # grey levels between the two sides of an edge worth measuring
MIN_EDGE_PIXELS = 40  # per orientation
STEEPEST = 96  # percentile of gradient, per orientation: the edge centres


TAN_22_5 = float(np.tan(np.pi / 8))


def edge_width(grey: np.ndarray) -> tuple[float, int]:
    """(edge width in px, edge pixels measured): the widest of four edge orientations.

    Each orientation is measured apart, so shake (which widens only the edges across
    its direction) counts as much as defocus.
    """
    image = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 0.6)
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3)
    smooth = np.clip(image, 0, 255).astype(np.uint8)
    window = np.ones((11, 11), np.uint8)
    contrast = cv2.subtract(cv2.dilate(smooth, window), cv2.erode(smooth, window))
    at = np.flatnonzero(contrast.ravel() >= MIN_CONTRAST)  # only these pixels are measured
    gx, gy = gx.ravel()[at] / 8, gy.ravel()[at] / 8
    steepness = np.hypot(gx, gy)
    rises = contrast.ravel()[at].astype(np.float32)
    orientation = _orientation(gx, gy)
    widths, counted = [], 0
    for direction in range(4):
        chosen = orientation == direction
        steep, rise = steepness[chosen], rises[chosen]
        if steep.size < MIN_EDGE_PIXELS * 10:
            continue
        edge = steep >= np.percentile(steep, STEEPEST)
        widths.append(float(np.median(rise[edge] / np.maximum(steep[edge], 1e-3))))
        counted += int(edge.sum())
    return (max(widths), counted) if widths else (0.0, counted)


def _orientation(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """The gradient's direction modulo 180 degrees to the nearest 45: 0 across vertical
    edges, 2 across horizontal ones, 1 and 3 the diagonals (no arctangent needed)."""
    ax, ay = np.abs(gx), np.abs(gy)
    diagonal = np.where(gx * gy > 0, np.int8(1), np.int8(3))
    return np.where(ay <= TAN_22_5 * ax, np.int8(0),
                    np.where(ax <= TAN_22_5 * ay, np.int8(2), diagonal))


@register
class BlurCheck(QualityCheck):
    id = "blur"
    description = "证件区域边缘过宽（按标准尺寸归一化后测量）"
    code = "IMAGE_BLURRY"
    kinds = DOCUMENT_KINDS | HANDHELD_KINDS | PAPER_KINDS

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        width, edges = edge_width(seen.grey)
        if not edges or width <= settings.max_edge_width_px:
            return []
        return [self.finding(
            f"图片模糊（边缘宽度约 {width:.1f} 像素，上限 {settings.max_edge_width_px:.1f}），"
            "文字不清晰。请对焦后保持手机稳定重新拍摄。",
            material, edge_width_px=width, threshold=settings.max_edge_width_px,
            edge_pixels=edges, normal_width=seen.grey.shape[1])]
