"""IMAGE_RECAPTURED: a photo of a screen (pixel grid, moiré) or of a print (halftone).

A camera looking at paper sees no strict periodicity finer than the text pitch. A
screen's pixel grid and a print's halftone dots are periodic, and so is the moiré
they make with the camera's sensor: they show as narrow peaks in the power spectrum,
and, unlike a QR code or a band of security print, everywhere on the document.
Tiles are taken at source resolution (a resize would blur the dots away) across the
document; candidate frequencies are the bins that stand out in the averaged spectrum
(Welch, so single-bin noise cancels), and a candidate counts by its median strength
over the tiles. Strength is a bin over the smoothed spectrum around it. The axes are
left out (text strokes and JPEG block edges put their energy there), and so is the
JPEG 8x8 grid.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.findings import Finding
from pipeline.quality.base import (DOCUMENT_KINDS, HANDHELD_KINDS, PHOTO_KINDS, Inspected,
                                   QualityCheck, register)
from pipeline.quality.settings import QualitySettings

TILE = 256
GRID = (2, 3)  # rows x columns of tiles across the document
LUMA_PERIODS = (2.2, 10.0)  # px: finer than the text pitch (and at most 0.4 text heights)
CHROMA_PERIODS = (2.2, 10.0)  # security print (guilloche) repeats at 12 px and more
CANDIDATES = 5


def tiles(image: np.ndarray, box: tuple[int, int, int, int]) -> list[np.ndarray]:
    """Up to GRID tiles of TILE px spread over the box (x0, y0, x1, y1), source pixels."""
    x0, y0, x1, y1 = box
    size = min(TILE, x1 - x0, y1 - y0)
    if size < 64:
        return []
    rows = np.linspace(y0, y1 - size, GRID[0]).astype(int)
    cols = np.linspace(x0, x1 - size, GRID[1]).astype(int)
    return [image[r:r + size, c:c + size] for r in rows for c in cols]


def periodic_peak(channel_tiles: np.ndarray, periods: tuple[float, float]) -> float:
    """How strongly one frequency stands out in every tile: for the few bins of the band
    that stand out most in the averaged spectrum, the median over tiles of each tile's
    bin-to-neighbourhood ratio; the largest of those medians."""
    n = channel_tiles.shape[-1]
    window = np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)
    centred = channel_tiles - channel_tiles.mean(axis=(1, 2), keepdims=True)
    power = np.abs(np.fft.rfft2(centred * window)) ** 2  # half plane, one per tile
    power = np.fft.fftshift(power, axes=1)
    mask = _band_mask(n, periods)
    average = _ratio(power.mean(axis=0))
    candidates = np.argsort(np.where(mask, average, 0).ravel())[-CANDIDATES:]
    per_tile = np.stack([_ratio(tile).ravel()[candidates] for tile in power])
    return float(np.median(per_tile, axis=0).max())


def _ratio(power: np.ndarray) -> np.ndarray:
    """Each bin over its smoothed neighbourhood (in the log domain)."""
    log_power = np.log(power + 1e-6).astype(np.float32)
    return np.exp(log_power - cv2.GaussianBlur(log_power, (0, 0), 2.5))


def _band_mask(n: int, periods: tuple[float, float]) -> np.ndarray:
    fy, fx = np.mgrid[0:n, 0:n // 2 + 1]
    fy = fy - n // 2
    radius = np.hypot(fx, fy)
    band = (radius >= n / periods[1]) & (radius <= n / periods[0])
    off_axis = (fx > 2) & (np.abs(fy) > 2)
    step = n / 8  # JPEG block grid
    jpeg = (np.abs(fx / step - np.round(fx / step)) * step <= 1.5) & \
           (np.abs(fy / step - np.round(fy / step)) * step <= 1.5)
    return band & off_axis & ~jpeg


def periodicity(image_bgr: np.ndarray, box: tuple[int, int, int, int],
                text_px: float | None = None) -> dict[str, float]:
    """Luma and chroma peak ratios; bands stop short of the text pitch when it is known."""
    patches = tiles(image_bgr, box)
    if not patches:
        return {"luma_peak": 0.0, "chroma_peak": 0.0}
    stack = np.stack(patches).astype(np.float32)
    luma_band = _below_text(LUMA_PERIODS, 0.4 * text_px if text_px else None)
    chroma_band = _below_text(CHROMA_PERIODS, 0.8 * text_px if text_px else None)
    return {"luma_peak": periodic_peak(stack.mean(axis=3), luma_band),
            "chroma_peak": periodic_peak(stack[..., 2] - stack[..., 0], chroma_band)}


def _below_text(band: tuple[float, float], longest: float | None) -> tuple[float, float]:
    """The band, its longest period cut to stay clear of the text pitch."""
    if longest is None:
        return band
    return band[0], max(band[0], min(band[1], longest))


def _document_box(seen: Inspected) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Where to sample, in source pixels: inside the quad, else the crop, else the middle."""
    h, w = seen.image.shape[:2]
    if seen.quad is not None:
        q = np.asarray(seen.quad)
        x0, y0 = np.clip(q.min(axis=0), 0, [w, h])
        x1, y1 = np.clip(q.max(axis=0), 0, [w, h])
        dx, dy = (x1 - x0) * 0.15, (y1 - y0) * 0.15
        return seen.image, (int(x0 + dx), int(y0 + dy), int(x1 - dx), int(y1 - dy))
    if seen.crop is not None:
        ch, cw = seen.crop.shape[:2]
        return seen.crop, (int(cw * 0.1), int(ch * 0.1), int(cw * 0.9), int(ch * 0.9))
    return seen.image, (w // 6, h // 6, w - w // 6, h - h // 6)


@register
class RecaptureCheck(QualityCheck):
    id = "recapture"
    description = "频谱中有周期性峰值：屏幕像素格、摩尔纹或印刷网点"
    code = "IMAGE_RECAPTURED"
    kinds = DOCUMENT_KINDS | HANDHELD_KINDS | PHOTO_KINDS

    def inspect(self, seen: Inspected, settings: QualitySettings, material: str) -> list[Finding]:
        image, box = _document_box(seen)
        if image.ndim != 3:
            return []
        text_px = float(np.median(seen.line_heights)) if seen.line_heights.size else None
        peaks = periodicity(image[..., :3], box, text_px)
        peak = max(peaks.values())
        if peak < settings.max_periodic_peak:
            return []
        return [self.finding(
            "图片疑似翻拍（屏幕或打印件），检测到屏幕像素格、摩尔纹或印刷网点。"
            "请直接拍摄证件原件，不要翻拍屏幕或复印件（如无法提供，需邮寄原件）。",
            material, threshold=settings.max_periodic_peak, **peaks)]
