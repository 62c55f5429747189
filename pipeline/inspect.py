"""Inspect one material: the form-independent half of an inspection.

Preprocess (decode, orient) -> read the document -> faces -> photo rules -> quality
-> a `MaterialAnalysis`. Each stage that fails leaves its error in `errors` and an
empty result; the others still run. Engines come in through `Toolkit`, created
once per worker process.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np

from pipeline.analysis import MaterialAnalysis
from pipeline.findings import Finding
from pipeline.imageio import check_decodes, working_image

log = logging.getLogger(__name__)

DOCUMENT_KINDS = frozenset({"id_card_front", "id_card_back", "business_license"})
FACE_PHOTO_KINDS = frozenset({"face_photo", "curtain_photo", "handheld_id_photo"})
UNREADABLE = {"id_card_front": "ID_UNREADABLE", "id_card_back": "ID_UNREADABLE",
              "business_license": "LICENSE_UNREADABLE"}


@dataclass
class Toolkit:
    """The long-lived engines and settings one worker process inspects with."""

    ocr: Any = None  # pipeline.ocr.OcrEngine
    faces: Any = None  # pipeline.faces.FaceMatcher
    quality_settings: Any = None  # pipeline.quality.QualitySettings
    face_settings: Any = None  # pipeline.faces.FaceSettings
    extra: dict[str, Any] = field(default_factory=dict)


@contextmanager
def _stage(analysis: MaterialAnalysis, name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    except Exception as exc:  # one failing stage gives an empty result, not a crashed run
        log.exception("stage %s failed on %s", name, analysis.file)
        analysis.errors[name] = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        analysis.timings[name] = round(time.perf_counter() - started, 4)


def analyze_material(data: bytes, *, file: str, kind: str, tools: Toolkit) -> MaterialAnalysis:
    analysis = MaterialAnalysis(file=file, kind=kind)
    image = None
    with _stage(analysis, "decode"):
        check_decodes(data)
        image = working_image(data)
        analysis.height, analysis.width = image.shape[:2]
    if image is None:
        analysis.findings.append(_undecodable(analysis))
        return analysis
    with _stage(analysis, "phash"):
        from pipeline.duplicates import perceptual_hash

        analysis.phash = perceptual_hash(image)
    crop = _read_document(analysis, image, tools) if kind in DOCUMENT_KINDS else None
    _observe_faces(analysis, image, crop, tools)
    _check_quality(analysis, image, crop, tools)
    _unreadable_on_failure(analysis)
    return analysis


def _undecodable(analysis: MaterialAnalysis) -> Finding:
    """A file that cannot be decoded (a damaged image, a PDF PDFium cannot render) can
    be inspected no further; it blocks, so the case is never recommended for approval."""
    return Finding(code="MATERIAL_UNREADABLE", severity="block", material=analysis.file,
                   message="文件已损坏或无法读取，未能自动检查，请申请人重新上传。",
                   evidence={"error": analysis.errors.get("decode", "")})


def _read_document(analysis: MaterialAnalysis, image: np.ndarray, tools: Toolkit):
    reading = None
    with _stage(analysis, "document"):
        from pipeline.documents import read_document

        reading = read_document(image, analysis.kind, tools.ocr, material=analysis.file)
        analysis.detected_kind = reading.detected_kind
        analysis.document_quad = reading.quad
        analysis.lines = reading.lines
        analysis.extracted = reading.extracted
        analysis.findings.extend(reading.findings)
    return reading.crop if reading is not None else None


def _observe_faces(analysis: MaterialAnalysis, image: np.ndarray, crop, tools: Toolkit) -> None:
    if analysis.kind not in FACE_PHOTO_KINDS and analysis.kind != "id_card_front":
        return
    if analysis.kind == "id_card_front" and analysis.detected_kind not in (None, "id_card_front"):
        return  # a wrong-kind upload has no portrait to look for
    with _stage(analysis, "faces"):
        from pipeline.faces import face_findings

        on_card = analysis.kind == "id_card_front"
        source = crop if (on_card and crop is not None) else image
        faces = tools.faces.observe(np.ascontiguousarray(source[:, :, ::-1]),
                                    portrait_region=on_card)
        if on_card and crop is not None:
            faces = _to_original(faces, analysis, crop)
        analysis.faces = faces
        analysis.findings.extend(face_findings(analysis.kind, faces, material=analysis.file))
    if analysis.kind in ("face_photo", "curtain_photo"):
        with _stage(analysis, "photo_rules"):
            from pipeline.photo_rules import photo_findings

            analysis.findings.extend(
                photo_findings(analysis.kind, image, analysis.faces, material=analysis.file))


def _to_original(faces, analysis: MaterialAnalysis, crop: np.ndarray):
    """Face boxes found on the rectified crop, mapped back to the photo for the UI."""
    import cv2

    if not analysis.document_quad:
        return faces
    height, width = crop.shape[:2]
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(corners, np.float32(analysis.document_quad))
    for face in faces:
        top, right, bottom, left = face.box
        box = np.float32([[[left, top], [right, top], [right, bottom], [left, bottom]]])
        mapped = cv2.perspectiveTransform(box, matrix)[0]
        xs, ys = mapped[:, 0], mapped[:, 1]
        face.box = [int(ys.min()), int(xs.max()), int(ys.max()), int(xs.min())]
    return faces


def _check_quality(analysis: MaterialAnalysis, image: np.ndarray, crop, tools: Toolkit) -> None:
    with _stage(analysis, "quality"):
        from pipeline.quality import assess_quality

        analysis.findings.extend(assess_quality(
            image, kind=analysis.kind, crop=crop, quad=analysis.document_quad,
            text_lines=analysis.lines, settings=tools.quality_settings, material=analysis.file))


def _unreadable_on_failure(analysis: MaterialAnalysis) -> None:
    """A document whose reading crashed cannot be compared: say so to the reviewer."""
    code = UNREADABLE.get(analysis.kind)
    if code and "document" in analysis.errors and not any(
            f.code == code for f in analysis.findings):
        analysis.findings.append(Finding(
            code=code, severity="warn", material=analysis.file,
            message="自动识别失败，请人工核对证件信息。",
            evidence={"error": analysis.errors["document"]}))
