"""IMAGE_EXPOSURE: too dark, overexposed, or glare (反光) over the document.

Measured on the document region at its normal size:
- too dark: even the paper (the 90th percentile of luma) is dark;
- overexposed: much of the region is clipped white and the ink (1st percentile)
  has washed out to grey;
- glare: a blown-out blob brighter than the paper, with a wide disc of no ink left
  inside it (an edge lit too brightly is exposure, not a reflection) and, when the
  OCR found text lines, over the text area. Its evidence says where it lies in the photo
  and which text lines it reaches; whether it hides a required field (and so blocks) is
  judged with the fields read, in pipeline.verification.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.findings import Finding
from pipeline.quality.base import (DOCUMENT_KINDS, HANDHELD_KINDS, PAPER_KINDS, PHOTO_KINDS,
                                   Inspected, QualityCheck, register)
from pipeline.quality.settings import QualitySettings

_MESSAGES = {
    "dark": "图片过暗，证件内容看不清。请在光线充足处重新拍摄。",
    "overexposed": "图片过曝，文字发白看不清。请避免强光直射，重新拍摄。",
    "glare": "证件上有反光，遮住了部分文字。请调整角度避开灯光，重新拍摄。",
}


def exposure_levels(seen: Inspected, clipped: float) -> dict[str, float]:
    """Paper level (P90 of luma), ink level (P1: a license's text is sparse) and the
    clipped fraction of the region."""
    below = seen.grey_cumulative[int(np.ceil(clipped)) - 1]
    return {"paper_luma": seen.grey_percentile(90), "ink_luma": seen.grey_percentile(1),
            "clipped_fraction": float(1 - below)}


def glare_radius(seen: Inspected, settings: QualitySettings) -> tuple[float, list[tuple]]:
    """Radius of the largest ink-free blown-out disc, as a fraction of the width, and the
    boxes (on the normalised region) of the blobs wide enough to count: a reflection
    wipes out everything under its core, while clipped paper still has its text (text
    lines leave no wide clear disc). The region's edge bounds the disc, so a bright
    margin along the edge does not count."""
    grey, text_area = seen.grey, seen.text_area
    threshold = max(settings.clipped_luma, seen.grey_percentile(50) + settings.glare_above_paper)
    mask = (grey >= threshold).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    w = grey.shape[1]
    smallest = np.pi * (settings.glare_min_radius * w) ** 2
    distance, best, boxes = None, 0.0, []
    for label in range(1, count):
        x, y, bw, bh, area = stats[label]
        if area < smallest:
            continue
        if text_area is not None and not _overlaps((x, y, x + bw, y + bh), text_area):
            continue
        if distance is None:  # the zero border makes the region's edge an obstacle
            framed = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
            distance = cv2.distanceTransform(framed, cv2.DIST_L2, 3)[1:-1, 1:-1]
        box = (slice(y, y + bh), slice(x, x + bw))
        radius = float(distance[box][labels[box] == label].max())
        best = max(best, radius)
        if radius >= settings.glare_min_radius * w:
            boxes.append((int(x), int(y), int(x + bw), int(y + bh)))
    return best / w, boxes


def glare_evidence(seen: Inspected, boxes: list[tuple]) -> dict:
    """Where the glare lies in the photo (`regions`, source pixels) and the OCR text
    lines it reaches: the verification gate judges glare by the fields under it."""
    regions = [r for r in (seen.to_source(b) for b in boxes) if r is not None]
    reached = [line.text for line in seen.lines
               if len(line.box) == 4 and any(_overlaps(_bounds(line.box), r) for r in regions)]
    return {"regions": regions, "lines_reached": reached[:12]}


def _bounds(box) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    return min(xs), min(ys), max(xs), max(ys)


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@register
class ExposureCheck(QualityCheck):
    id = "exposure"
    description = "过暗、过曝或证件上有反光"
    code = "IMAGE_EXPOSURE"
    kinds = DOCUMENT_KINDS | HANDHELD_KINDS | PAPER_KINDS | PHOTO_KINDS

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        levels = exposure_levels(seen, settings.clipped_luma)
        if levels["paper_luma"] < settings.min_paper_luma:
            return [self._found("dark", material, levels, threshold=settings.min_paper_luma)]
        if (levels["clipped_fraction"] >= settings.min_clipped_fraction
                and levels["ink_luma"] >= settings.max_ink_luma):
            return [self._found("overexposed", material, levels,
                                threshold=settings.max_ink_luma)]
        if seen.kind in DOCUMENT_KINDS and (seen.located or seen.text_area is not None):
            # unlocated (a pale card on a pale desk): a disc over its text still counts
            glare, boxes = glare_radius(seen, settings)
            if glare >= settings.glare_min_radius:
                return [self._found("glare", material, {**levels, "glare_radius": glare},
                                    threshold=settings.glare_min_radius,
                                    **glare_evidence(seen, boxes))]
        return []

    def _found(self, rule: str, material: str, levels: dict, *, threshold: float,
               **where) -> Finding:
        return self.finding(_MESSAGES[rule], material, rule=rule, threshold=threshold,
                            **levels, **where)
