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

from pipeline.documents.locate import find_outline
from pipeline.findings import Finding
from pipeline.quality.base import DOCUMENT_KINDS, HANDHELD_KINDS, Inspected, QualityCheck, register
from pipeline.quality.exposure import exposure_levels
from pipeline.quality.settings import QualitySettings

SAMPLE_WIDTH = 240  # averaging down to this width removes sensor and JPEG colour noise
TEXT_MARGIN = 0.15  # around the text of an unlocated document: its emblem, seal, portrait


def chroma_p99(region_bgr: np.ndarray) -> float:
    """P99 chroma after white balance, scaled as if the paper were white (dim light too)."""
    blue, green, red = (plane.ravel() for plane in cv2.split(_average_down(region_bgr)))
    luma = (blue + green + red) / 3
    bright = luma >= np.percentile(luma, 75)
    paper = np.array([blue[bright].mean(), green[bright].mean(), red[bright].mean()])
    gain = paper.mean() / np.maximum(paper, 1.0)
    blue, green, red = blue * gain[0], green * gain[1], red * gain[2]
    chroma = np.maximum(np.maximum(blue, green), red) - np.minimum(np.minimum(blue, green), red)
    return float(np.percentile(chroma, 99) * 255 / max(paper.mean(), 1.0))


def _average_down(region_bgr: np.ndarray) -> np.ndarray:
    """Block means over a whole number of pixels, to about SAMPLE_WIDTH wide (OpenCV's
    fast path for area averaging), as float32."""
    factor = max(1, round(region_bgr.shape[1] / SAMPLE_WIDTH))
    h, w = (region_bgr.shape[0] // factor) * factor, (region_bgr.shape[1] // factor) * factor
    if h == 0:
        return region_bgr.astype(np.float32)
    small = cv2.resize(region_bgr[:h, :w], (w // factor, h // factor),
                       interpolation=cv2.INTER_AREA)
    return small.astype(np.float32)


def _region(seen: Inspected) -> np.ndarray:
    """The document, its outer 4 % trimmed (desk colour at an imperfect edge). Unlocated:
    around its text, where OCR read some; a photo that is not read (a hand-held one) has
    its document outline looked for here; else the middle half of the photo. The middle
    half of a license is black print on cream: its seal and border lie outside it."""
    if not seen.located and seen.kind not in DOCUMENT_KINDS:
        outline = find_outline(seen.image)
        if outline is not None:
            seen = Inspected(seen.image, seen.kind, quad=outline)
    image = seen.normalised
    h, w = image.shape[:2]
    if seen.located:
        return _trimmed(image, 0.04)
    if seen.text_area is not None:
        x0, y0, x1, y1 = seen.text_area
        dx, dy = TEXT_MARGIN * (x1 - x0), TEXT_MARGIN * (y1 - y0)
        return image[int(max(0, y0 - dy)):int(min(h, y1 + dy)),
                     int(max(0, x0 - dx)):int(min(w, x1 + dx))]
    return _trimmed(image, 0.25)


def _trimmed(image: np.ndarray, share: float) -> np.ndarray:
    h, w = image.shape[:2]
    return image[int(h * share):int(h * (1 - share)), int(w * share):int(w * (1 - share))]


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
