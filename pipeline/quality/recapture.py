"""IMAGE_RECAPTURED: a photo of a screen (pixel grid, moiré) or of a print (halftone).

A camera looking at paper sees no strict periodicity finer than the text pitch. A
screen's pixel grid and a print's halftone dots are periodic, and so is the moiré
they make with the camera's sensor: they show as narrow peaks in the power spectrum,
and, unlike a QR code or a patch of security print, everywhere on the document.

Tiles come from the rectified crop, else from the source inside the quad (never from
a downscaled copy, which would blur the dots away). Candidate frequencies are the
bins that stand out in the averaged spectrum (Welch, so single-bin noise cancels); a
candidate counts by its median strength over the tiles, strength being a bin over the
smoothed spectrum around it. Fine line patterns of security print (guilloche) are
periodic too, but run one way and are fuzzy, while a pixel grid or a halftone screen
is a lattice: two directions are required, or one far sharper than print makes. The
exact axes (text strokes, JPEG block edges) and the JPEG 8x8 grid are left out, and
so are periods longer than 0.4 text heights (the text pitch and its harmonics).
"""
from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
import scipy.fft

from pipeline.findings import Finding
from pipeline.quality.base import (DOCUMENT_KINDS, HANDHELD_KINDS, PHOTO_KINDS, Inspected,
                                   QualityCheck, quad_size, register)
from pipeline.quality.settings import QualitySettings

TILE = 256
GRID = (2, 2)  # rows x columns of tiles across the document
LUMA_PERIODS = (2.2, 10.0)  # px: finer than the text pitch (and at most 0.4 text heights)
CHROMA_PERIODS = (2.2, 10.0)
CANDIDATES = 8
# Text height as a fraction of the document width, when the OCR found no line.
TEXT_FRACTION = {"id_card_front": 0.035, "id_card_back": 0.035, "business_license": 0.012}


def tiles(image: np.ndarray, box: tuple[int, int, int, int]) -> list[np.ndarray]:
    """Up to GRID tiles of TILE px spread over the box (x0, y0, x1, y1), source pixels."""
    x0, y0, x1, y1 = box
    size = min(TILE, x1 - x0, y1 - y0)
    if size < 64:
        return []
    rows = np.linspace(y0, y1 - size, GRID[0]).astype(int)
    cols = np.linspace(x0, x1 - size, GRID[1]).astype(int)
    return [image[r:r + size, c:c + size] for r in rows for c in cols]


def periodic_peaks(channel_tiles: np.ndarray,
                   periods: tuple[float, float]) -> list[tuple[float, float]]:
    """(orientation in degrees, strength) of the bins that stand out most in the averaged
    spectrum; a bin's strength is the median over tiles of its ratio to its neighbourhood,
    so a pattern in one corner (a QR code, the emblem) does not count."""
    n = channel_tiles.shape[-1]
    mask = _band_mask(n, periods)
    if not mask.any():
        return []
    centred = channel_tiles - channel_tiles.mean(axis=(1, 2), keepdims=True)
    spectrum = scipy.fft.rfft2(centred * _window(n))  # float32 in, complex64 out
    power = np.fft.fftshift(spectrum.real ** 2 + spectrum.imag ** 2, axes=1)
    average = _ratio(power.mean(axis=0))
    allowed = np.flatnonzero(mask)
    top = min(CANDIDATES, allowed.size)
    candidates = allowed[np.argpartition(average.ravel()[allowed], -top)[-top:]]
    strength = np.median(np.stack([_ratio(tile).ravel()[candidates] for tile in power]), axis=0)
    fy, fx = np.unravel_index(candidates, average.shape)
    angles = np.degrees(np.arctan2(fy - n // 2, fx))
    return list(zip(angles.tolist(), strength.tolist()))


@lru_cache(maxsize=8)
def _window(n: int) -> np.ndarray:
    return np.outer(np.hanning(n), np.hanning(n)).astype(np.float32)


def lattice_strength(peaks: list[tuple[float, float]]) -> float:
    """Strength of a two-dimensional lattice: the strongest peak, and the strongest at
    least 30 degrees away from it, the weaker of the two. A screen's pixel grid and a
    halftone screen are lattices; printed line patterns (guilloche) run one way."""
    if not peaks:
        return 0.0
    angle, strongest = max(peaks, key=lambda peak: peak[1])
    across = [s for a, s in peaks if _angular_gap(a, angle) >= 30]
    return min(strongest, max(across, default=0.0))


def _angular_gap(a: float, b: float) -> float:
    gap = abs(a - b) % 180
    return min(gap, 180 - gap)


def _ratio(power: np.ndarray) -> np.ndarray:
    """Each bin over its smoothed neighbourhood (in the log domain)."""
    log_power = np.log(power + 1e-6).astype(np.float32)
    return np.exp(log_power - cv2.GaussianBlur(log_power, (0, 0), 2.5))


def _band_mask(n: int, periods: tuple[float, float]) -> np.ndarray:
    radius, allowed = _spectrum_grid(n)
    return (radius >= n / periods[1]) & (radius <= n / periods[0]) & allowed


@lru_cache(maxsize=8)
def _spectrum_grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each bin's radius in the shifted half spectrum, and whether it may hold a peak:
    off the exact axes and away from the JPEG 8x8 block grid."""
    fy, fx = np.mgrid[0:n, 0:n // 2 + 1]
    fy = fy - n // 2
    radius = np.hypot(fx, fy)
    off_axis = (fx > 0) & (fy != 0)
    step = n / 8  # JPEG block grid
    jpeg = (np.abs(fx / step - np.round(fx / step)) * step <= 1.5) & \
           (np.abs(fy / step - np.round(fy / step)) * step <= 1.5)
    allowed = off_axis & ~jpeg
    radius.flags.writeable = allowed.flags.writeable = False  # shared by every call
    return radius, allowed


def periodicity(image_bgr: np.ndarray, box: tuple[int, int, int, int],
                text_px: float | None = None) -> dict[str, float]:
    """Lattice strength over luma and chroma together (a screen's rows show in luma, its
    RGB columns in chroma); bands stop short of the text pitch when it is known."""
    patches = tiles(image_bgr, box)
    if not patches:
        return {"lattice": 0.0, "strongest": 0.0}
    stack = np.stack(patches).astype(np.float32)
    blue, green, red = stack[..., 0], stack[..., 1], stack[..., 2]
    luma_band = _below_text(LUMA_PERIODS, 0.4 * text_px if text_px else None)
    chroma_band = _below_text(CHROMA_PERIODS, 0.4 * text_px if text_px else None)
    peaks = (periodic_peaks((blue + green + red) / 3, luma_band)
             + periodic_peaks(red - blue, chroma_band))
    return {"lattice": lattice_strength(peaks),
            "strongest": max((s for _, s in peaks), default=0.0)}


def _below_text(band: tuple[float, float], longest: float | None) -> tuple[float, float]:
    """The band, its longest period cut to stay clear of the text pitch."""
    if longest is None:
        return band
    return band[0], max(band[0], min(band[1], longest))


def _document_box(seen: Inspected) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """Where to sample: the rectified crop, else inside the quad, else the middle."""
    if seen.crop is not None and seen.crop.ndim == 3 and not _cut_off(seen):
        ch, cw = seen.crop.shape[:2]
        return seen.crop, (int(cw * 0.1), int(ch * 0.1), int(cw * 0.9), int(ch * 0.9))
    h, w = seen.image.shape[:2]
    if seen.quad is not None:
        q = np.asarray(seen.quad)
        x0, y0 = np.clip(q.min(axis=0), 0, [w, h])
        x1, y1 = np.clip(q.max(axis=0), 0, [w, h])
        dx, dy = (x1 - x0) * 0.15, (y1 - y0) * 0.15
        return seen.image, (int(x0 + dx), int(y0 + dy), int(x1 - dx), int(y1 - dy))
    return seen.image, (w // 6, h // 6, w - w // 6, h - h // 6)


def _cut_off(seen: Inspected) -> bool:
    """The quad leaves the photo: the crop's outer part is padding, not document."""
    if seen.quad is None:
        return False
    h, w = seen.image.shape[:2]
    q = np.asarray(seen.quad)
    return bool((q < 0).any() or (q[:, 0] > w).any() or (q[:, 1] > h).any())


def _text_height(seen: Inspected, image: np.ndarray) -> float | None:
    """Text height in the sampled image's pixels: the document's width times the kind's
    text fraction; else the OCR lines (source pixels, right when sampling the source)."""
    if seen.kind in TEXT_FRACTION and (seen.crop is not None or seen.quad is not None):
        width = image.shape[1] if image is seen.crop else max(quad_size(seen.quad))
        return TEXT_FRACTION[seen.kind] * width
    if seen.line_heights.size and image is seen.image:
        return float(np.median(seen.line_heights))
    return None


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
        peaks = periodicity(image[..., :3], box, _text_height(seen, image))
        if (peaks["lattice"] < settings.min_lattice_peak
                and peaks["strongest"] < settings.min_single_peak):
            return []
        return [self.finding(
            "图片疑似翻拍（屏幕或打印件），检测到屏幕像素格、摩尔纹或印刷网点。"
            "请直接拍摄证件原件，不要翻拍屏幕或复印件（如无法提供，需邮寄原件）。",
            material, lattice_threshold=settings.min_lattice_peak,
            single_threshold=settings.min_single_peak, **peaks)]
