"""IMAGE_LOW_RESOLUTION: the text has too few pixels to be read reliably.

The measure is the lower quartile of the OCR text-line box heights in source pixels
(the OCR reads what the image holds, whatever its size; titles are larger than the
fields that matter). Without text lines: the width of the located card or license,
or the shorter side of a photo.
"""
from __future__ import annotations

import numpy as np

from pipeline.findings import Finding
from pipeline.quality.base import (DOCUMENT_KINDS, PAPER_KINDS, PHOTO_KINDS, Inspected,
                                   QualityCheck, quad_size, register)
from pipeline.quality.settings import QualitySettings


@register
class LowResolutionCheck(QualityCheck):
    id = "low_resolution"
    description = "文字行高度（像素）过小，无法可靠识别"
    code = "IMAGE_LOW_RESOLUTION"
    kinds = DOCUMENT_KINDS | PAPER_KINDS | PHOTO_KINDS

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        measure, value, threshold = _measure(seen, settings)
        if value >= threshold:
            return []
        return [self.finding(
            f"图片分辨率过低（{_describe(measure, value)}，至少需要 {threshold:.0f} 像素），"
            "文字无法清晰辨认。请靠近拍摄或使用更高像素重新拍摄原件。",
            material, measure=measure, value=value, threshold=threshold)]


def _measure(seen: Inspected, settings: QualitySettings) -> tuple[str, float, float]:
    if seen.line_heights.size:
        # The lower quartile: the small print (fields, numbers) must be legible, not the titles.
        return "text_box_px", float(np.percentile(seen.line_heights, 25)), settings.min_text_box_px
    if seen.kind in DOCUMENT_KINDS and seen.located:
        threshold = (settings.min_license_width_px if seen.kind == "business_license"
                     else settings.min_card_width_px)
        return "document_width_px", _document_width(seen), float(threshold)
    return "short_side_px", float(min(seen.image.shape[:2])), float(settings.min_photo_side_px)


def _document_width(seen: Inspected) -> float:
    if seen.quad is not None:
        return max(quad_size(seen.quad))
    return float(max(seen.crop.shape[:2]))


def _describe(measure: str, value: float) -> str:
    return {"text_box_px": f"文字行高约 {value:.0f} 像素",
            "document_width_px": f"证件宽约 {value:.0f} 像素",
            "short_side_px": f"图片短边 {value:.0f} 像素"}[measure]
