"""Collecting a document's fields with their confidence, box and raw text."""
from __future__ import annotations

from pipeline.analysis import ExtractedDocument
from pipeline.documents.layout import Value

# Below compare_documents' low-confidence line (0.80): a mismatch is a warning for a
# reviewer, never a block.
REPAIRED_CONFIDENCE = 0.75  # repaired by a check digit, snapped, or read without its label
INVALID_CONFIDENCE = 0.5  # a number that fails its check digit however it is read


class Fields:
    """Collects field values with their confidence, box and raw text."""

    def __init__(self, kind: str) -> None:
        self.doc = ExtractedDocument(kind=kind)

    def put(self, name: str, text: str, value: Value, confidence: float | None = None) -> None:
        if not text:
            return
        self.doc.fields[name] = text
        self.doc.confidence[name] = round(min(value.confidence, confidence or 1.0), 4)
        self.doc.boxes[name] = value.quad
        self.doc.raw[name] = value.raw
