"""Reading one uploaded ID card side or business license.

locate and flatten -> OCR -> turn upright (re-reading only if it had to turn) ->
classify -> parse the fields -> map every box back to the photo -> findings that
need no form: a document of another kind, key fields that could not be read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from pipeline.analysis import ExtractedDocument, Quad, TextLine
from pipeline.documents.classify import Classification, classify
from pipeline.documents.id_card import IdCardBackParser, IdCardFrontParser
from pipeline.documents.license import BusinessLicenseParser
from pipeline.documents.locate import (LocateSettings, as_bgr, card_shaped, find_outline,
                                       flatten)
from pipeline.documents.orient import runs_down, turn_matrix, upright_rotation
from pipeline.findings import Finding
from pipeline.ocr.base import OcrEngine, read_text

PARSERS = {"id_card_front": IdCardFrontParser(), "id_card_back": IdCardBackParser(),
           "business_license": BusinessLicenseParser()}
KIND_NAMES = {"id_card_front": "身份证人像面", "id_card_back": "身份证国徽面",
              "business_license": "营业执照", "other": "其他资料"}
KEY_FIELDS = {"id_card_front": ("name", "id_number"), "id_card_back": ("valid_until",),
              "business_license": ("name", "credit_code")}
FIELD_NAMES = {("id_card_front", "name"): "姓名", ("id_card_front", "id_number"): "公民身份号码",
               ("id_card_back", "valid_until"): "有效期限", ("business_license", "name"): "名称",
               ("business_license", "credit_code"): "统一社会信用代码"}
_TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class ReadingSettings:
    locate: LocateSettings = LocateSettings()
    work_side: int = 2000  # the whole photo's long side, when no outline was found
    # The text detector's input (long side) for a flattened card and page; its cost
    # grows with the pixels, and an ID card's print is large. None: the engine's own.
    card_det_side: int | None = 512
    page_det_side: int | None = 800
    # Without an outline: when nothing is read at the engine's size, look again with
    # this larger detector input; when the text covers less than `zoom_below` of the
    # photo, read that region again from the full-resolution photo.
    search_det_side: int = 1600
    zoom_below: float = 0.3


@dataclass
class DocumentReading:
    detected_kind: str | None
    quad: Quad | None
    crop: np.ndarray | None  # the flattened, upright document (BGR)
    lines: list[TextLine]  # boxes in the original photo's pixels
    extracted: ExtractedDocument | None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _View:
    """The image OCR reads, the matrix taking photo pixels to it, its detector size."""

    image: np.ndarray
    matrix: np.ndarray
    det_side: int | None = None
    lines: list[TextLine] = field(default_factory=list)

    def turned(self, rotation: int) -> "_View":
        height, width = self.image.shape[:2]
        image = cv2.rotate(self.image, _TURNS[rotation])
        return _View(image, turn_matrix((width, height), rotation) @ self.matrix, self.det_side)

    def read(self, engine: OcrEngine) -> "_View":
        self.lines = read_text(engine, self.image, self.det_side)
        return self


def read_document(image_bgr: np.ndarray, declared_kind: str, engine: OcrEngine, *,
                  material: str, settings: ReadingSettings = ReadingSettings()
                  ) -> DocumentReading:
    image_bgr = as_bgr(image_bgr)
    outline = find_outline(image_bgr, settings.locate)
    if outline is not None:
        page = declared_kind == "business_license"
        view = _flattened(image_bgr, outline, settings, page).read(engine)
    else:
        view = _whole_photo(image_bgr, engine, settings)
    view = _upright(view, engine)
    found = classify(view.lines)
    kind = found.kind if found.confident and found.scores.get(declared_kind, 0) < 2 \
        else declared_kind
    extracted = PARSERS[kind].parse(view.lines) if kind in PARSERS else None
    back = np.linalg.inv(view.matrix)
    if extracted is not None:
        extracted.boxes = {name: _map(quad, back) for name, quad in extracted.boxes.items()}
    lines = [TextLine(line.text, line.confidence, _map(line.box, back)) for line in view.lines]
    quad = _map(_corners(view.image), back) if outline is not None else None
    return DocumentReading(
        detected_kind=found.kind, quad=quad, crop=view.image if outline is not None else None,
        lines=lines, extracted=extracted,
        findings=_findings(declared_kind, found, extracted, material))


def _flattened(image: np.ndarray, outline: Quad, settings: ReadingSettings, page: bool
               ) -> _View:
    """The outline flattened; a license (`page`) at a page's size and detector input."""
    crop = flatten(image, outline, settings.locate, page=page)
    height, width = crop.shape[:2]
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(np.float32(outline), corners).astype(float)
    card = card_shaped(width, height) and not page
    det_side = settings.card_det_side if card else settings.page_det_side
    return _View(crop, matrix, det_side)


def _whole_photo(image: np.ndarray, engine: OcrEngine, settings: ReadingSettings) -> _View:
    """No outline: read the photo; look harder for small print; zoom into the text."""
    view = _region(image, (0, 0, image.shape[1], image.shape[0]), settings.work_side).read(engine)
    if not view.lines and max(view.image.shape[:2]) > settings.search_det_side * 0.75:
        view.det_side = settings.search_det_side
        view.read(engine)
    region = _text_region(view, image.shape, settings.zoom_below)
    if region is None:
        return view
    zoomed = _region(image, region, settings.work_side).read(engine)
    return zoomed if len(zoomed.lines) >= len(view.lines) else view


def _region(image: np.ndarray, box: tuple[int, int, int, int], longest: int) -> _View:
    """`box` (x0, y0, x1, y1 of the photo) as a view at most `longest` pixels long."""
    x0, y0, x1, y1 = box
    scale = min(1.0, longest / max(x1 - x0, y1 - y0))
    part = image[y0:y1, x0:x1]
    if scale < 1.0:
        part = cv2.resize(part, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    matrix = np.diag([scale, scale, 1.0]) @ np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1.0]])
    return _View(np.ascontiguousarray(part), matrix)


def _text_region(view: _View, shape: tuple[int, ...], share: float
                 ) -> tuple[int, int, int, int] | None:
    """The photo box around all text read, when the text fills little of the view."""
    if not view.lines:
        return None
    points = np.float32([p for line in view.lines for p in line.box])
    (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
    height, width = view.image.shape[:2]
    if (x1 - x0) * (y1 - y0) >= share * width * height:
        return None
    margin = max(0.15 * max(x1 - x0, y1 - y0), 40.0)
    corners = np.float32([[x0 - margin, y0 - margin], [x1 + margin, y1 + margin]])
    (a, b), (c, d) = cv2.perspectiveTransform(corners.reshape(-1, 1, 2),
                                              np.linalg.inv(view.matrix)).reshape(2, 2)
    return (int(max(0, a)), int(max(0, b)), int(min(shape[1], c)), int(min(shape[0], d)))


def _upright(view: _View, engine: OcrEngine) -> _View:
    """Turn and re-read only when the first read says the page is not upright."""
    if not view.lines:
        return view
    height, width = view.image.shape[:2]
    rotation = upright_rotation(view.lines, (width, height))
    if rotation == 0:
        return view
    if rotation is not None:
        return view.turned(rotation).read(engine)
    tries = (90, 270) if runs_down(view.lines) else (180,)
    best, best_score = view, _anchor_count(view.lines)
    for turn in tries:
        candidate = view.turned(turn).read(engine)
        if _anchor_count(candidate.lines) > best_score:
            best, best_score = candidate, _anchor_count(candidate.lines)
    return best


def _anchor_count(lines: list[TextLine]) -> int:
    return max(classify(lines).scores.values(), default=0)


def _findings(declared: str, found: Classification, extracted: ExtractedDocument | None,
              material: str) -> list[Finding]:
    # Both sides of a card on one page carry the declared side too: not the wrong kind.
    if found.confident and found.kind not in (None, declared) and \
            found.scores.get(declared, 0) < 2:
        seen, wanted = KIND_NAMES[found.kind or "other"], KIND_NAMES.get(declared, declared)
        return [Finding(
            code="MATERIAL_WRONG_KIND", material=material, field="kind",
            expected=declared, observed=found.kind,
            message=f"上传的图片识别为「{seen}」，不是所选的「{wanted}」，请上传正确的资料。",
            evidence={"scores": found.scores})]
    fields = extracted.fields if extracted is not None else {}
    return [_unread(declared, name, fields, found, material)
            for name in KEY_FIELDS.get(declared, ()) if not fields.get(name)]


def _unread(declared: str, name: str, fields: dict[str, str], found: Classification,
            material: str) -> Finding:
    if name == "credit_code" and fields.get("registration_number"):
        return _no_credit_code(material, fields["registration_number"], found)
    return Finding(
        code="LICENSE_UNREADABLE" if declared == "business_license" else "ID_UNREADABLE",
        material=material, field=name,
        message=f"未能识别{KIND_NAMES[declared]}上的{FIELD_NAMES[declared, name]}，"
                "请上传清晰、完整、无反光的证件照片，或由审核人员人工核对。",
        evidence={"scores": found.scores})


def _no_credit_code(material: str, number: str, found: Classification) -> Finding:
    """A license that prints a 注册号 and no credit code has none: not a failed read."""
    return Finding(
        code="LICENSE_NO_CREDIT_CODE", material=material, field="credit_code",
        observed=number,
        message=f"营业执照未载统一社会信用代码，载有注册号「{number}」（2015 年前的旧版执照"
                "或个体工商户执照），请以注册号核对证件号码，必要时请申请人提供换发后的新版营业执照。",
        evidence={"scores": found.scores})


def _map(quad: Quad, matrix: np.ndarray) -> Quad:
    points = cv2.perspectiveTransform(np.float32(quad).reshape(-1, 1, 2), matrix)
    return [[round(float(x), 1), round(float(y), 1)] for x, y in points.reshape(-1, 2)]


def _corners(image: np.ndarray) -> Quad:
    height, width = image.shape[:2]
    return [[0.0, 0.0], [float(width), 0.0], [float(width), float(height)], [0.0, float(height)]]
