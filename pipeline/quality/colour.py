"""IMAGE_GRAYSCALE: a photocopy or black-and-white scan where a colour original is required.

The region is white-balanced on its paper (the mean colour of its brightest quarter),
so a warm or cool light does not count as colour; then the 99th percentile of chroma
(max minus min channel) says whether any part of it is really coloured: a portrait,
the red national emblem, the seal, the blue labels. A grey copy has none, even lying
on a colourful desk, because only the document region is measured.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.findings import Finding
from pipeline.quality.base import DOCUMENT_KINDS, HANDHELD_KINDS, Inspected, QualityCheck, register
from pipeline.quality.exposure import exposure_levels
from pipeline.quality.settings import QualitySettings

SAMPLE_WIDTH = 240  # averaging down to this width removes sensor and JPEG colour noise


def chroma_p99(region_bgr: np.ndarray) -> float:
    """P99 chroma after white balance, scaled as if the paper were white (dim light too)."""
    small = cv2.resize(region_bgr, (SAMPLE_WIDTH, max(1, round(
        SAMPLE_WIDTH * region_bgr.shape[0] / region_bgr.shape[1]))), interpolation=cv2.INTER_AREA)
    pixels = small.reshape(-1, 3).astype(np.float32)
    luma = pixels.mean(axis=1)
    paper = pixels[luma >= np.percentile(luma, 75)].mean(axis=0)
    balanced = pixels * (paper.mean() / np.maximum(paper, 1.0))
    chroma = balanced.max(axis=1) - balanced.min(axis=1)
    return float(np.percentile(chroma, 99) * 255 / max(paper.mean(), 1.0))


def _region(seen: Inspected) -> np.ndarray:
    """The document, its outer 4 % trimmed (desk colour at an imperfect edge); unlocated:
    the middle half of the photo, where a document usually lies."""
    image = seen.normalised
    h, w = image.shape[:2]
    trim = 0.04 if seen.located else 0.25
    return image[int(h * trim):int(h * (1 - trim)), int(w * trim):int(w * (1 - trim))]


def _washed_out(seen: Inspected, settings: QualitySettings) -> bool:
    levels = exposure_levels(seen, settings.clipped_luma)
    return (levels["clipped_fraction"] >= settings.min_clipped_fraction
            and levels["ink_luma"] >= settings.max_ink_luma)


@register
class GrayscaleCheck(QualityCheck):
    id = "grayscale"
    description = "证件区域白平衡后色度过低：复印件或黑白扫描件"
    code = "IMAGE_GRAYSCALE"
    kinds = DOCUMENT_KINDS | HANDHELD_KINDS

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        region = _region(seen)
        if min(region.shape[:2]) < 8 or _washed_out(seen, settings):
            return []  # colours of a blown-out picture cannot be judged (IMAGE_EXPOSURE says so)
        chroma = chroma_p99(region)
        if chroma >= settings.min_chroma:
            return []
        return [self.finding(
            "证件为复印件或黑白扫描件。请提供彩色原件的照片（如只能提供复印件，需邮寄原件）。",
            material, chroma_p99=chroma, threshold=settings.min_chroma)]
