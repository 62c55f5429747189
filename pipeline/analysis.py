"""What the inspection of one material yields, independent of the form.

A `MaterialAnalysis` depends only on the image bytes, the declared kind and the
pipeline version, so workers store it keyed by (sha256, kind, PIPELINE_VERSION)
and never inspect the same image twice. Everything that needs the form, the
clock or another material (name and number comparison, face matching, expiry)
happens later, in `pipeline.compare`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.findings import Finding

Quad = list[list[float]]  # four (x, y) points, clockwise from top-left, original image pixels


@dataclass
class TextLine:
    text: str
    confidence: float
    box: Quad


@dataclass
class ExtractedDocument:
    """Fields read from an ID card side or a business license (contract field names)."""

    kind: str  # id_card_front | id_card_back | business_license
    fields: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    boxes: dict[str, Quad] = field(default_factory=dict)  # field -> box in the original image
    raw: dict[str, str] = field(default_factory=dict)  # field -> text as OCR read it


@dataclass
class FaceObservation:
    box: list[int]  # top, right, bottom, left in original image pixels
    encoding: list[float]  # 128-d dlib descriptor


@dataclass
class MaterialAnalysis:
    file: str
    kind: str  # as declared at intake
    width: int = 0
    height: int = 0
    detected_kind: str | None = None  # id_card_front | id_card_back | business_license | other
    document_quad: Quad | None = None  # where the card or license lies in the photo
    lines: list[TextLine] = field(default_factory=list)
    extracted: ExtractedDocument | None = None
    faces: list[FaceObservation] = field(default_factory=list)
    phash: str | None = None
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    errors: dict[str, str] = field(default_factory=dict)  # stage -> what failed

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["findings"] = [f.to_dict() for f in self.findings]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MaterialAnalysis":
        data = dict(data)
        data["lines"] = [TextLine(**line) for line in data.get("lines", [])]
        if data.get("extracted"):
            data["extracted"] = ExtractedDocument(**data["extracted"])
        data["faces"] = [FaceObservation(**face) for face in data.get("faces", [])]
        data["findings"] = [Finding.from_dict(f) for f in data.get("findings", [])]
        return cls(**data)


@dataclass
class FaceComparison:
    """One row of the contract's `faces` list."""

    material: str
    reference: str | None
    faces_found: int
    distance: float | None
    match: bool | None
    threshold: float | None = None
