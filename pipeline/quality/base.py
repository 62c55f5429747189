"""What every quality check shares: the views of one image, the check class, the registry.

`Inspected` computes each view once (the document region, its greyscale at the
normalised scale, the text-line heights) however many checks ask for it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

import cv2
import numpy as np

from pipeline.analysis import Quad, TextLine
from pipeline.findings import Finding
from pipeline.quality.settings import QualitySettings

# Kinds that must be photos of a colour original: the card or license itself.
DOCUMENT_KINDS = frozenset({"id_card_front", "id_card_back", "business_license"})
HANDHELD_KINDS = frozenset({"handheld_id_photo", "handheld_license_photo"})
PHOTO_KINDS = frozenset({"face_photo", "curtain_photo"}) | HANDHELD_KINDS
# Everything else is paper: forms, letters, certificates (scans or photos, colour or not).
PAPER_KINDS = frozenset({
    "verification_form", "authorization_letter", "domain_certificate", "domain_owner_proof",
    "site_construction_plan", "pre_approval", "commitment_letter", "other"})
# The document region is brought to this width (downscaling only) before measuring.
NORMAL_WIDTH = {"id_card_front": 856, "id_card_back": 856, "business_license": 1200}
NORMAL_SIDE = 1024  # any other image: the longer side


@dataclass
class Inspected:
    """One uploaded image and what the document stage found in it."""

    image: np.ndarray  # BGR, source pixels
    kind: str
    crop: np.ndarray | None = None
    quad: Quad | None = None
    lines: list[TextLine] = field(default_factory=list)

    @cached_property
    def document(self) -> np.ndarray:
        """The rectified document when one was located, else the whole image (BGR)."""
        if self.crop is not None and self.crop.size:
            return _bgr(self.crop)
        if self.quad is not None and _inside_enough(self.quad, self.image.shape):
            return _rectify(_bgr(self.image), np.float32(self.quad))
        return _bgr(self.image)

    @property
    def located(self) -> bool:
        return self.crop is not None or self.quad is not None

    @cached_property
    def normalised(self) -> np.ndarray:
        """The document region at the kind's normal size (never enlarged), BGR."""
        doc = self.document
        target = NORMAL_WIDTH.get(self.kind) if self.located else None
        scale = target / doc.shape[1] if target else NORMAL_SIDE / max(doc.shape[:2])
        if scale >= 1:
            return doc
        return cv2.resize(doc, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)

    @cached_property
    def grey(self) -> np.ndarray:
        return cv2.cvtColor(self.normalised, cv2.COLOR_BGR2GRAY)

    @cached_property
    def line_heights(self) -> np.ndarray:
        """Box height of each OCR text line in source pixels (short side of the quad)."""
        return np.array([_box_height(line.box) for line in self.lines if len(line.box) == 4])


class QualityCheck:
    """One quality rule: an id, a description, the finding code, the kinds it applies to."""

    id: ClassVar[str]
    description: ClassVar[str]
    code: ClassVar[str]
    kinds: ClassVar[frozenset[str]]

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        raise NotImplementedError

    def finding(self, message: str, material: str, **evidence) -> Finding:
        return Finding(self.code, message, material=material,
                       evidence={"check": self.id, **_plain(evidence)})


CHECKS: dict[str, QualityCheck] = {}


def register(cls: type[QualityCheck]) -> type[QualityCheck]:
    CHECKS[cls.id] = cls()
    return cls


def _plain(evidence: dict) -> dict:
    """Numbers rounded and made JSON-native, so evidence stores as it prints."""
    return {k: round(float(v), 4) if isinstance(v, (float, np.floating)) else v
            for k, v in evidence.items()}


def _bgr(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return image[..., :3] if image.shape[2] > 3 else image


def _box_height(box: Quad) -> float:
    q = np.asarray(box, np.float64)
    sides = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    ends = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    return float(min(sides, ends))


def quad_size(quad: Quad) -> tuple[float, float]:
    """(width, height) of a quad: the mean lengths of opposite sides."""
    q = np.asarray(quad, np.float64)
    width = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    height = (np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2
    return float(width), float(height)


def _inside_enough(quad: Quad, shape: tuple[int, ...]) -> bool:
    width, height = quad_size(quad)
    return width >= 16 and height >= 16


def _rectify(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    width, height = (max(16, int(round(v))) for v in quad_size(quad.tolist()))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
