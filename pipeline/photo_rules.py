"""Photo rules from the filing guides (seeds: 拍照核验, 幕布拍照说明).

- Face verification photo (人脸核验): 背景颜色必须为白色，背景不能太亮或太暗 — a plain
  white, evenly lit background.
- Curtain photo (幕布): 整个画面背景必须都是幕布，且为蓝色 — the blue curtain fills the
  background; 避免身着红色或者蓝色上衣 — no red or blue top.

The background is what lies above the shoulders beside the head: the person is found
from the largest face box, so hair, shoulders and clothes are never taken for wall.
Without a face, the top band of the photo stands in for the background.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.analysis import FaceObservation
from pipeline.findings import Finding

WORK_SIDE = 480  # measured on a copy this size: colour statistics need no detail


@dataclass(frozen=True)
class PhotoRuleSettings:
    min_white_luma: float = 150.0  # median background luma: darker is grey or dim
    max_white_chroma: float = 40.0  # median background chroma (max - min channel)
    max_clipped_fraction: float = 0.9  # background blown out to pure white
    max_light_spread: float = 70.0  # P95 - P5 of smoothed background luma: uneven light
    max_edge_fraction: float = 0.06  # background pixels on an edge: not plain
    # background pixels (Lab) more than PATCH_STEP from the wall's own slow light trend:
    # things behind the person, even out of focus (a street, an office), not a shadow
    max_patch_fraction: float = 0.06
    min_curtain_fraction: float = 0.6  # background pixels that are curtain blue
    max_top_colour_fraction: float = 0.4  # torso pixels that are red, or blue


def photo_findings(kind: str, image_bgr: np.ndarray, faces: list[FaceObservation], *,
                   material: str,
                   settings: PhotoRuleSettings = PhotoRuleSettings()) -> list[Finding]:
    """PHOTO_BACKGROUND / PHOTO_CLOTHING for a face_photo or a curtain_photo."""
    if kind not in ("face_photo", "curtain_photo") or image_bgr is None or image_bgr.size == 0:
        return []
    image, scale = _work_copy(image_bgr)
    face = _scaled(max(faces, key=_width), scale) if faces else None
    background = image[_background_mask(image.shape, face)]
    if background.size == 0:
        return []
    if kind == "face_photo":
        return _white_background(image, face, settings, material)
    return _curtain(background, image, face, settings, material)


def _work_copy(image: np.ndarray) -> tuple[np.ndarray, float]:
    image = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    scale = min(1.0, WORK_SIDE / max(image.shape[:2]))
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return image[..., :3], scale


def _width(face: FaceObservation) -> int:
    return face.box[1] - face.box[3]


def _scaled(face: FaceObservation, scale: float) -> tuple[int, int, int, int]:
    return tuple(int(v * scale) for v in face.box)


def _background_mask(shape: tuple[int, ...], face: tuple[int, int, int, int] | None) -> np.ndarray:
    """Above the shoulders and beside the head; the top band when there is no face."""
    h, w = shape[:2]
    mask = np.zeros((h, w), bool)
    if face is None:
        mask[: max(1, h // 5)] = True
        return mask
    top, right, bottom, left = face
    fw, fh = right - left, bottom - top
    mask[: max(0, int(bottom + 0.3 * fh))] = True
    mask[max(0, int(top - 0.9 * fh)):int(bottom + 0.3 * fh),
         max(0, int(left - 0.6 * fw)):int(right + 0.6 * fw)] = False
    return mask


def _white_background(image: np.ndarray, face, settings: PhotoRuleSettings,
                      material: str) -> list[Finding]:
    mask = _background_mask(image.shape, face)
    pixels = image[mask].astype(np.float32)
    luma = pixels.mean(axis=1)
    chroma = pixels.max(axis=1) - pixels.min(axis=1)
    smooth = cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), (0, 0), 6)[mask]
    p5, p95 = np.percentile(smooth, [5, 95])
    measures = {
        "luma": float(np.median(luma)), "chroma": float(np.median(chroma)),
        "clipped_fraction": float(np.mean(luma >= 252)), "light_spread": float(p95 - p5),
        "edge_fraction": _edge_fraction(image, mask),
        "patch_fraction": _patch_fraction(image, mask),
    }
    problems = _white_problems(measures, settings)
    if not problems:
        return []
    return [Finding(
        "PHOTO_BACKGROUND",
        f"人脸核验照片背景不符合要求：{'、'.join(problems)}。"
        "请站在白色、光线均匀的纯色墙面前重新拍摄，背景不能太亮或太暗。",
        material=material, expected="白色纯色背景，光线均匀", observed="、".join(problems),
        evidence={"rule": "white_background", "problems": problems,
                  **{k: round(v, 3) for k, v in measures.items()}})]


def _white_problems(m: dict[str, float], s: PhotoRuleSettings) -> list[str]:
    problems = []
    if m["luma"] < s.min_white_luma:
        problems.append("背景过暗或不是白色")
    elif m["clipped_fraction"] > s.max_clipped_fraction:
        problems.append("背景过亮（过曝）")
    if m["chroma"] > s.max_white_chroma:
        problems.append("背景有颜色，不是白色")
    if m["light_spread"] > s.max_light_spread:
        problems.append("背景光线不均匀（有阴影）")
    if m["edge_fraction"] > s.max_edge_fraction or m["patch_fraction"] > s.max_patch_fraction:
        problems.append("背景杂乱，不是纯色")
    return problems


def _edge_fraction(image: np.ndarray, mask: np.ndarray) -> float:
    grey = cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), (0, 0), 1.0).astype(np.float32)
    gradient = cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    inner = cv2.erode(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    return float(np.mean(gradient[inner] > 60)) if inner.any() else 0.0


PATCH_STEP = 15.0  # Lab distance


def _patch_fraction(image: np.ndarray, mask: np.ndarray) -> float:
    """Share of the background that stands apart from the wall's slow light trend (the
    background smoothed over a twelfth of the width, the person left out): a shadow or
    a lamp changes slowly, the things of a scene do not, however blurred."""
    lab = cv2.cvtColor(image, cv2.COLOR_BGR2LAB).astype(np.float32)
    trend = _slow_trend(lab, mask.astype(np.float32), image.shape[1] / 12)
    fine = cv2.GaussianBlur(lab, (0, 0), 2)
    return float(np.mean(np.linalg.norm(fine - trend, axis=2)[mask] > PATCH_STEP))


def _slow_trend(lab: np.ndarray, weight: np.ndarray, sigma: float) -> np.ndarray:
    """The weighted Gaussian mean of `lab` at `sigma`, taken on an eighth-size copy (a
    slow trend needs no detail) and brought back to full size."""
    h, w = weight.shape
    size = (max(1, w // 8), max(1, h // 8))
    small_lab = cv2.resize(lab * weight[..., None], size, interpolation=cv2.INTER_AREA)
    small_weight = cv2.resize(weight, size, interpolation=cv2.INTER_AREA)
    trend = cv2.GaussianBlur(small_lab, (0, 0), sigma / 8) / (
        cv2.GaussianBlur(small_weight, (0, 0), sigma / 8)[..., None] + 1e-6)
    return cv2.resize(trend, (w, h), interpolation=cv2.INTER_LINEAR)


def _colour_fractions(pixels_bgr: np.ndarray) -> dict[str, float]:
    """Fractions of pixels that are clearly red, and clearly blue (OpenCV HSV, hue 0-180)."""
    hsv = cv2.cvtColor(pixels_bgr.reshape(-1, 1, 3).astype(np.uint8), cv2.COLOR_BGR2HSV)[:, 0]
    hue, sat, val = hsv[:, 0].astype(int), hsv[:, 1], hsv[:, 2]
    red = ((hue <= 8) | (hue >= 170)) & (sat >= 90) & (val >= 60)
    blue = (hue >= 95) & (hue <= 130) & (sat >= 70) & (val >= 45)
    return {"red": float(red.mean()), "blue": float(blue.mean())}


def _curtain(background: np.ndarray, image: np.ndarray, face, settings: PhotoRuleSettings,
             material: str) -> list[Finding]:
    findings = []
    blue = _colour_fractions(background)["blue"]
    if blue < settings.min_curtain_fraction:
        findings.append(Finding(
            "PHOTO_BACKGROUND",
            "幕布照片的背景必须全部是蓝色幕布。请站在幕布正前方，让幕布铺满整个背景后重新拍摄。",
            material=material, expected="蓝色幕布铺满背景", observed=f"蓝色占背景 {blue:.0%}",
            evidence={"rule": "blue_curtain", "blue_fraction": round(blue, 3),
                      "threshold": settings.min_curtain_fraction}))
    top = _torso(image, face)
    if top is not None:
        findings.extend(_clothing(top, settings, material))
    return findings


def _torso(image: np.ndarray, face) -> np.ndarray | None:
    """The chest below the neck, as wide as the face."""
    if face is None:
        return None
    top, right, bottom, left = face
    fw, fh = right - left, bottom - top
    cx = (left + right) // 2
    y0, y1 = int(bottom + 0.6 * fh), int(bottom + 1.8 * fh)
    region = image[max(0, y0):min(image.shape[0], y1),
                   max(0, int(cx - 0.8 * fw)):min(image.shape[1], int(cx + 0.8 * fw))]
    return region.reshape(-1, 3) if region.shape[0] >= 4 and region.shape[1] >= 4 else None


def _clothing(top: np.ndarray, settings: PhotoRuleSettings, material: str) -> list[Finding]:
    fractions = _colour_fractions(top)
    colour, fraction = max(fractions.items(), key=lambda item: item[1])
    if fraction < settings.max_top_colour_fraction:
        return []
    name = {"red": "红色", "blue": "蓝色"}[colour]
    return [Finding(
        "PHOTO_CLOTHING",
        f"幕布照片中穿着{name}上衣。拍摄幕布照片时不能穿红色或蓝色上衣，请换其他颜色的上衣重新拍摄。",
        material=material, expected="非红色、非蓝色上衣", observed=f"{name}上衣",
        evidence={"rule": "top_colour", "colour": colour, "fraction": round(fraction, 3),
                  **{f"{k}_fraction": round(v, 3) for k, v in fractions.items()},
                  "threshold": settings.max_top_colour_fraction})]
