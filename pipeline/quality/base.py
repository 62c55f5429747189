"""What every quality check shares: the views of one image, the check class, the registry.

`Inspected` computes each view once (the document region, its greyscale at the
normalised scale, the text-line heights) however many checks ask for it.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
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

    @property
    def located(self) -> bool:
        return self.crop is not None or self.quad is not None

    @cached_property
    def normalised(self) -> np.ndarray:
        """The document region (or the whole image) at its normal size, never enlarged, BGR."""
        if self.crop is not None and self.crop.size:
            target = self._target(self.crop.shape)
            if self.quad is not None:  # a crop enlarged past its source pixels is shrunk back
                target = min(target, max(quad_size(self.quad)))
            return _shrink(_bgr(self.crop), target)
        if self.quad is not None:
            width, height = quad_size(self.quad)
            scale = min(1.0, self._target((height, width)) / max(width, 1.0))
            image, quad = _bgr(self.image), np.float32(self.quad)
            while scale * image.shape[1] / self.image.shape[1] < 0.5:  # halve before warping
                image, quad = cv2.pyrDown(image), quad / 2
            return _rectify(image, quad, width * scale, height * scale)
        return _shrink(_bgr(self.image), self._target(self.image.shape))

    def _target(self, shape: tuple) -> float:
        """Normal width of the region: per document kind, else a fixed longer side."""
        if self.located and self.kind in NORMAL_WIDTH:
            return float(NORMAL_WIDTH[self.kind])
        return NORMAL_SIDE * shape[1] / max(shape[0], shape[1])

    @cached_property
    def grey(self) -> np.ndarray:
        return cv2.cvtColor(self.normalised, cv2.COLOR_BGR2GRAY)

    @cached_property
    def grey_cumulative(self) -> np.ndarray:
        """Cumulative histogram of `grey`, normalised to 1: percentiles without sorting."""
        counts = cv2.calcHist([self.grey], [0], None, [256], [0, 256]).ravel().astype(np.float64)
        return np.cumsum(counts) / max(1.0, counts.sum())

    def grey_percentile(self, q: float) -> float:
        return float(np.searchsorted(self.grey_cumulative, q / 100.0))

    @cached_property
    def text_area(self) -> tuple[int, int, int, int] | None:
        """Bounding box (x0, y0, x1, y1) of the OCR text lines on the normalised region."""
        boxes = [line.box for line in self.lines if len(line.box) == 4]
        if not boxes:
            return None
        points = np.float32(boxes).reshape(-1, 1, 2)
        h, w = self.grey.shape
        if self.quad is not None:
            corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            matrix = cv2.getPerspectiveTransform(np.float32(self.quad), corners)
            mapped = cv2.perspectiveTransform(points, matrix)[:, 0]
        elif self.crop is None:
            mapped = points[:, 0] * (w / self.image.shape[1])
        else:
            return None  # a crop without its quad: no way back from source pixels
        (x0, y0), (x1, y1) = mapped.min(axis=0), mapped.max(axis=0)
        return int(max(0, x0)), int(max(0, y0)), int(min(w, x1)), int(min(h, y1))

    def to_source(self, box: tuple[int, int, int, int]) -> list[float] | None:
        """A box (x0, y0, x1, y1) on `normalised`, as its bounding box in source pixels."""
        h, w = self.grey.shape
        x0, y0, x1, y1 = box
        points = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).reshape(-1, 1, 2)
        if self.quad is not None:
            corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            matrix = cv2.getPerspectiveTransform(corners, np.float32(self.quad))
            mapped = cv2.perspectiveTransform(points, matrix)[:, 0]
        elif self.crop is None:
            mapped = points[:, 0] * (self.image.shape[1] / w)
        else:
            return None
        return [round(float(v), 1) for v in (*mapped.min(axis=0), *mapped.max(axis=0))]

    @cached_property
    def line_heights(self) -> np.ndarray:
        """Box height of each OCR text line in source pixels (short side of the quad)."""
        return np.array([_box_height(line.box) for line in self.lines if len(line.box) == 4])


class QualityCheck(ABC):
    """One quality rule: an id, a description, the finding code, the kinds it applies to."""

    id: ClassVar[str]
    description: ClassVar[str]
    code: ClassVar[str]
    kinds: ClassVar[frozenset[str]]

    @abstractmethod
    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        """Every finding of this check on one image."""

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


def _shrink(image: np.ndarray, width: float) -> np.ndarray:
    scale = width / image.shape[1]
    if scale >= 1:
        return image
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def _rectify(image: np.ndarray, quad: np.ndarray, width: float, height: float) -> np.ndarray:
    width, height = max(16, int(round(width))), max(16, int(round(height)))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
