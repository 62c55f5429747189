"""Image quality: can a reviewer (and the OCR) rely on this picture at all?

Each check is a small class with an id, a description, the finding code and the kinds
it applies to, registered in `CHECKS`; `assess_quality` runs those that apply to the
declared kind. A check that fails on a strange image is logged and skipped, never
fatal. Thresholds live in `QualitySettings`, calibrated by `bench/quality.py`.
"""
from __future__ import annotations

import logging

import numpy as np

from pipeline.analysis import Quad, TextLine
from pipeline.findings import Finding
# Importing the check modules registers their checks in CHECKS.
from pipeline.quality import (colour, completeness, exposure, recapture,  # noqa: F401
                              resolution, sharpness)
from pipeline.quality.base import CHECKS, Inspected, QualityCheck
from pipeline.quality.settings import QualitySettings

log = logging.getLogger(__name__)


def assess_quality(image_bgr: np.ndarray, *, kind: str, crop: np.ndarray | None,
                   quad: Quad | None, text_lines: list[TextLine] | None,
                   settings: QualitySettings | None, material: str) -> list[Finding]:
    """Every quality finding for one image of the declared `kind`."""
    if image_bgr is None or image_bgr.size == 0 or min(image_bgr.shape[:2]) < 8:
        return []
    seen = Inspected(image_bgr, kind, crop, quad, list(text_lines or []))
    findings: list[Finding] = []
    for check in CHECKS.values():
        if kind in check.kinds:
            findings.extend(_run(check, seen, settings or QualitySettings(), material))
    return findings


def _run(check: QualityCheck, seen: Inspected, settings: QualitySettings,
         material: str) -> list[Finding]:
    try:
        return check.inspect(seen, settings, material)
    except Exception:  # a weird image must not crash the inspection
        log.exception("quality check %s failed on %s", check.id, material)
        return []


__all__ = ["CHECKS", "QualityCheck", "QualitySettings", "assess_quality"]
