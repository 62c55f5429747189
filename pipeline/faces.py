"""Faces: find them, encode them (dlib via face_recognition's models), compare them.

The ID card portrait (身份证人像) is small, printed and photographed again, so an
ID front is brought to a fixed working size (upsampled when small) before detection.
A verification photo is detected on a downscaled copy to keep within the time budget.
Distances are Euclidean distances between 128-d descriptors: smaller is more alike.
Thresholds are calibrated by `bench/faces.py` on real photos of different people.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from pipeline.analysis import FaceComparison, FaceObservation, MaterialAnalysis
from pipeline.findings import Finding, Severity
from pipeline.form import FilingForm, FormPerson

# Materials whose picture must show the responsible person's face, and how many
# faces each may show: a handheld ID photo also shows the portrait on the card.
FACE_KINDS: dict[str, int] = {
    "face_photo": 1,
    "curtain_photo": 1,
    "handheld_id_photo": 2,
    "handheld_license_photo": 1,
    "id_card_front": 1,
}
# Photos compared with the ID front of the same person (人证比对).
COMPARED_KINDS = ("face_photo", "curtain_photo", "handheld_id_photo")


@dataclass(frozen=True)
class FaceSettings:
    match_threshold: float = 0.60  # distance above it: a different person (block)
    grey_threshold: float = 0.50  # between grey and match: a reviewer looks (warn)
    upsample: int = 1  # dlib HOG pyramid upsampling on a verification photo
    min_face_px: int = 32  # faces smaller than this (box side, source pixels) are ignored
    detect_max_side: int = 800  # a photo is downscaled to this before detection
    portrait_side: int = 1000  # an ID front is resized to this longer side
    portrait_upsample: int = 1
    jitters: int = 1  # dlib re-samples per descriptor; more is slower and steadier
    # A second face counts only when dlib is this sure (HOG score): an extra person is a
    # block finding, and weak detections on clothing or emblems are not people.
    extra_face_score: float = 0.4


class FaceMatcher:
    """Holds the dlib detector, landmark and descriptor models (load once per process)."""

    def __init__(self, settings: FaceSettings = FaceSettings()) -> None:
        import dlib

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # face_recognition_models uses pkg_resources
            import face_recognition_models as models

        self.settings = settings
        self._detector = dlib.get_frontal_face_detector()
        self._landmarks = dlib.shape_predictor(models.pose_predictor_five_point_model_location())
        self._encoder = dlib.face_recognition_model_v1(models.face_recognition_model_location())

    def observe(self, image_rgb: np.ndarray, *,
                portrait_region: bool = False) -> list[FaceObservation]:
        """Every face large enough to verify, largest first; boxes in `image_rgb` pixels.

        `portrait_region`: the image is an ID front (or its crop), whose printed portrait
        is small; it is resized to `portrait_side` (upsampled when smaller) first.
        """
        image = _as_rgb(image_rgb)
        if image is None:
            return []
        target = self.settings.portrait_side if portrait_region else self.settings.detect_max_side
        scale = _working_scale(image.shape, target, allow_upscale=portrait_region)
        # On a card-shaped crop of the ID front the portrait is in the right half (GB 19083
        # layout): detecting there halves the work of the upsampled search.
        offset = image.shape[1] // 2 if portrait_region and _card_shaped(image.shape) else 0
        work = _resize(image[:, offset:], scale)
        upsample = self.settings.portrait_upsample if portrait_region else self.settings.upsample
        rects = [rect for rect in self._detect(work, upsample)
                 if min(rect.width(), rect.height()) / scale >= self.settings.min_face_px]
        faces = [self._observe_one(work, rect, scale, offset) for rect in rects]
        return sorted(faces, key=lambda f: -_side(f.box))

    def compare(self, a: FaceObservation, b: FaceObservation) -> float:
        return float(np.linalg.norm(np.asarray(a.encoding) - np.asarray(b.encoding)))

    def _detect(self, work: np.ndarray, upsample: int) -> list:
        rects, scores, _ = self._detector.run(work, upsample, 0.0)
        ranked = sorted(zip(scores, rects), key=lambda pair: -pair[0])
        return [rect for rank, (score, rect) in enumerate(ranked)
                if rank == 0 or score >= self.settings.extra_face_score]

    def _observe_one(self, work: np.ndarray, rect, scale: float, offset: int) -> FaceObservation:
        shape = self._landmarks(work, rect)
        descriptor = self._encoder.compute_face_descriptor(work, shape, self.settings.jitters)
        top, right, bottom, left = (round(v / scale) for v in
                                    (rect.top(), rect.right(), rect.bottom(), rect.left()))
        return FaceObservation(box=[top, right + offset, bottom, left + offset],
                               encoding=[float(v) for v in descriptor])


def _as_rgb(image: np.ndarray) -> np.ndarray | None:
    if image is None or image.size == 0 or min(image.shape[:2]) < 16:
        return None
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    image = image[..., :3]
    if image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(image)


def _card_shaped(shape: tuple[int, ...]) -> bool:
    """Landscape at about 85.6 x 54 mm: an ID card crop rather than a whole photo."""
    return 1.45 <= shape[1] / shape[0] <= 1.75


def _working_scale(shape: tuple[int, ...], target: int, *, allow_upscale: bool) -> float:
    scale = target / max(shape[:2])
    return scale if allow_upscale or scale < 1 else 1.0


def _resize(image: np.ndarray, scale: float) -> np.ndarray:
    if abs(scale - 1) < 1e-3:
        return image
    import cv2

    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return np.ascontiguousarray(cv2.resize(image, size, interpolation=interpolation))


def _side(box: list[int]) -> int:
    top, right, bottom, left = box
    return min(bottom - top, right - left)


def face_findings(kind: str, faces: list[FaceObservation], *, material: str) -> list[Finding]:
    """FACE_NOT_FOUND / FACE_MULTIPLE for one material that must show a face."""
    if kind not in FACE_KINDS:
        return []
    if not faces:
        return [_not_found(kind, material)]
    if kind != "id_card_front" and len(faces) > FACE_KINDS[kind]:
        return [_multiple(kind, faces, material)]
    return []


def _not_found(kind: str, material: str) -> Finding:
    where = "身份证人像面" if kind == "id_card_front" else "照片"
    return Finding(
        "FACE_NOT_FOUND",
        f"{where}中未检测到清晰的人脸。请重新拍摄：正面、光线均匀、面部无遮挡，人像完整清晰。",
        material=material, evidence={"kind": kind, "faces_found": 0})


def _multiple(kind: str, faces: list[FaceObservation], material: str) -> Finding:
    return Finding(
        "FACE_MULTIPLE",
        f"照片中检测到 {len(faces)} 张人脸。核验照片只能有负责人本人一人，请单独重新拍摄。",
        material=material,
        evidence={"kind": kind, "faces_found": len(faces), "allowed": FACE_KINDS[kind],
                  "boxes": [f.box for f in faces]})


def compare_faces(app: FilingForm, analyses: list[MaterialAnalysis],
                  settings: FaceSettings) -> tuple[list[FaceComparison], list[Finding]]:
    """Each verification photo against the ID front portrait of the same person."""
    by_file = {a.file: a for a in analyses}
    fronts = _id_fronts(app, by_file)
    rows: list[FaceComparison] = []
    findings: list[Finding] = []
    for material in app.materials:
        if material.kind not in COMPARED_KINDS or material.file not in by_file:
            continue
        photo = by_file[material.file]
        reference = fronts.get(_person_key(app.leader_for(material.person or "subject_leader")))
        row = _compare(photo, reference, settings)
        rows.append(row)
        findings.extend(_mismatch(row, settings))
    return rows, findings


def _person_key(person: FormPerson | None) -> tuple[str, str] | None:
    return (person.cert_type, person.cert_number.upper()) if person else None


def _id_fronts(app: FilingForm, by_file: dict[str, MaterialAnalysis]) -> dict:
    """Person key -> the analysis of their ID front, preferring one with a portrait found."""
    fronts: dict[tuple[str, str] | None, MaterialAnalysis] = {}
    for material in app.materials:
        analysis = by_file.get(material.file)
        if material.kind != "id_card_front" or analysis is None:
            continue
        key = _person_key(app.leader_for(material.person or "subject_leader"))
        if key not in fronts or (analysis.faces and not fronts[key].faces):
            fronts[key] = analysis
    return fronts


def _compare(photo: MaterialAnalysis, reference: MaterialAnalysis | None,
             settings: FaceSettings) -> FaceComparison:
    row = FaceComparison(material=photo.file, reference=reference.file if reference else None,
                         faces_found=len(photo.faces), distance=None, match=None,
                         threshold=settings.grey_threshold)
    if reference is None or not photo.faces or not reference.faces:
        return row
    # Largest face: the person, not the portrait on a card held up to the camera.
    distance = _distance(_largest(photo.faces), _largest(reference.faces))
    row.distance = round(distance, 4)
    row.match = distance <= settings.grey_threshold
    return row


def _largest(faces: list[FaceObservation]) -> FaceObservation:
    return max(faces, key=lambda f: _side(f.box))


def _distance(a: FaceObservation, b: FaceObservation) -> float:
    return float(np.linalg.norm(np.asarray(a.encoding) - np.asarray(b.encoding)))


def _mismatch(row: FaceComparison, settings: FaceSettings) -> list[Finding]:
    if row.distance is None or row.distance <= settings.grey_threshold:
        return []
    block = row.distance > settings.match_threshold
    message = ("核验照片中的人与身份证人像不是同一人。请由证件本人重新拍摄，或上传本人的身份证。"
               if block else
               "核验照片与身份证人像相似度偏低，需人工复核是否为同一人；如人像差异大，请重新拍摄清晰正面照片。")
    return [Finding(
        "FACE_MISMATCH", message, severity=Severity.BLOCK if block else Severity.WARN,
        material=row.material, expected=row.reference, observed=f"{row.distance:.3f}",
        evidence={"distance": row.distance, "match_threshold": settings.match_threshold,
                  "grey_threshold": settings.grey_threshold, "reference": row.reference})]
