"""Labelled defective photos of documents, each defect at three strengths.

A defect happens either to the paper before it is photographed (a photocopy, a
halftone print, a screen showing the document) or to the photo (blur, too few
pixels, bad exposure, glare, a cut-off or covered corner). Every strength, mild
included, is meant to be unacceptable: mild is just past what a reviewer would
accept, strong is obvious. `clean_photo` is the ordinary phone photo that must pass.

Callers bring the camera: `photograph(doc_bgr, rng) -> (photo_bgr, quad)`, for
example `samples.camera.photograph`, so the same defects apply to any renderer.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

Quad = list[list[float]]
Photograph = Callable[[np.ndarray, random.Random], tuple[np.ndarray, Quad]]
STRENGTHS = ("mild", "medium", "strong")


@dataclass(frozen=True)
class Labelled:
    image: np.ndarray  # BGR photo
    quad: Quad | None  # where the document lies (may cross the border)
    defect: str | None  # None: a clean photo
    strength: str | None
    code: str | None  # the finding a quality check must raise


def _np(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(32))


def _level(strength: str, mild: float, medium: float, strong: float) -> float:
    return {"mild": mild, "medium": medium, "strong": strong}[strength]


def _doc_width(quad: Quad) -> float:
    q = np.asarray(quad)
    return float((np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2)


# -- defects of the paper, before the photo --------------------------------------------

def photocopy(doc: np.ndarray, strength: str, rng: random.Random) -> np.ndarray:
    """A black-and-white copy (复印件): grey, harder contrast, toner specks."""
    grey = cv2.cvtColor(doc, cv2.COLOR_BGR2GRAY).astype(np.float32)
    gain = _level(strength, 1.15, 1.5, 2.2)
    grey = (grey - 128) * gain + 128 + _np(rng).normal(0, 4, grey.shape)
    speckle = _np(rng).random(grey.shape) < _level(strength, 0.0005, 0.002, 0.006)
    grey[speckle] = 20
    return cv2.cvtColor(np.clip(grey, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)


def halftone(doc: np.ndarray, strength: str, rng: random.Random) -> np.ndarray:
    """The document printed with a CMY halftone screen (a colour print of a photo)."""
    pitch = _level(strength, 3.0, 4.0, 6.0)  # dot pitch in document pixels
    mix = _level(strength, 0.75, 0.9, 1.0)  # how much of the print is screened
    h, w = doc.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    ink = 1 - doc.astype(np.float32) / 255  # C, M, Y as 1 - B, G, R (channel order kept)
    out = np.empty_like(ink)
    for channel, angle in enumerate((15, 75, 0)):
        a = np.deg2rad(angle + rng.uniform(-3, 3))
        u, v = x * np.cos(a) + y * np.sin(a), -x * np.sin(a) + y * np.cos(a)
        screen = (np.cos(2 * np.pi * u / pitch) + np.cos(2 * np.pi * v / pitch) + 2) / 4
        out[..., channel] = (ink[..., channel] > screen).astype(np.float32)
    printed = 255 * (1 - (mix * out + (1 - mix) * ink))
    return np.clip(cv2.GaussianBlur(printed, (0, 0), 0.4), 0, 255).astype(np.uint8)


def screen(doc: np.ndarray, strength: str, rng: random.Random) -> np.ndarray:
    """The document shown on a display and photographed: each screen pixel (3 document
    pixels wide) made of R, G, B stripes with dark gaps between rows; a cool glow."""
    scale = 3
    h, w = doc.shape[:2]
    shown = cv2.resize(doc, (w // scale, h // scale), interpolation=cv2.INTER_AREA)
    big = cv2.resize(shown, (w // scale * scale, h // scale * scale),
                     interpolation=cv2.INTER_NEAREST).astype(np.float32)
    depth = _level(strength, 0.45, 0.65, 0.9)
    mask = np.full(big.shape, 1 - depth, np.float32)
    for column, channel in enumerate((2, 1, 0)):  # R, G, B stripes (BGR order)
        mask[:, column::scale, channel] = 1.0
    mask[scale - 1::scale, :, :] *= 1 - 0.5 * depth  # gaps between pixel rows
    lit = big * mask / mask.mean(axis=(0, 1)) * 0.9
    lit = lit * [1.08, 1.0, 0.92] + 18  # cool backlight, raised black level
    lit = np.clip(lit, 0, 255).astype(np.uint8)
    return cv2.resize(lit, (w, h), interpolation=cv2.INTER_NEAREST)


# -- defects of the photo ---------------------------------------------------------------

def blur(photo: np.ndarray, quad: Quad, strength: str, rng: random.Random) -> np.ndarray:
    """Out of focus or shaken: sigma in card units (a card 856 px wide, text ~30 px)."""
    sigma = _level(strength, 2.6, 3.6, 5.5) * _doc_width(quad) / 856
    if rng.random() < 0.5:
        return cv2.GaussianBlur(photo, (0, 0), sigma)
    length = max(3, int(round(sigma * 3.5)))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return cv2.filter2D(photo, -1, kernel / kernel.sum())


def low_resolution(photo: np.ndarray, quad: Quad, strength: str,
                   rng: random.Random) -> tuple[np.ndarray, Quad]:
    """Too few pixels: the whole photo shrunk so the card is this many px wide."""
    target = _level(strength, 300, 230, 160)
    factor = min(1.0, target / _doc_width(quad))
    small = cv2.resize(photo, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return _jpeg(small, 85), [[x * factor, y * factor] for x, y in quad]


def dark(photo: np.ndarray, quad: Quad, strength: str, rng: random.Random) -> np.ndarray:
    """Underexposed: the paper well below mid-grey, with the sensor noise that comes with it."""
    gain = _level(strength, 0.28, 0.2, 0.12)
    noisy = photo.astype(np.float32) * gain + _np(rng).normal(0, 2.5, photo.shape)
    return _jpeg(np.clip(noisy, 0, 255).astype(np.uint8), 85)


def overexposed(photo: np.ndarray, quad: Quad, strength: str, rng: random.Random) -> np.ndarray:
    """Blown out: the paper clipped to white and the ink washed towards grey."""
    lift = _level(strength, 115, 140, 170)
    washed = photo.astype(np.float32) * (255 - lift) / 200 + lift
    return np.clip(washed, 0, 255).astype(np.uint8)


def glare(photo: np.ndarray, quad: Quad, strength: str, rng: random.Random) -> np.ndarray:
    """A specular reflection (反光) over the text: a clipped white core with a soft halo."""
    q = np.asarray(quad, np.float32)
    u, v = rng.uniform(0.2, 0.6), rng.uniform(0.3, 0.7)
    top = q[0] + (q[1] - q[0]) * u
    bottom = q[3] + (q[2] - q[3]) * u
    centre = top + (bottom - top) * v
    radius = _level(strength, 0.07, 0.11, 0.17) * _doc_width(quad)
    h, w = photo.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    stretch = rng.uniform(1.0, 1.8)
    d2 = ((x - centre[0]) / (radius * stretch)) ** 2 + ((y - centre[1]) / radius) ** 2
    light = np.clip(1.6 - d2, 0, None) * 255  # saturated core, falling off at the rim
    light = np.where(d2 < 1, np.maximum(light, 255), light)[..., None]
    return np.clip(photo.astype(np.float32) + light, 0, 255).astype(np.uint8)


def cut_off(photo: np.ndarray, quad: Quad, strength: str,
            rng: random.Random) -> tuple[np.ndarray, Quad]:
    """The frame cuts off an edge or a corner of the document."""
    q = np.asarray(quad, np.float64)
    overhang = _level(strength, 0.03, 0.08, 0.2) * _doc_width(quad)
    h, w = photo.shape[:2]
    side = rng.choice(("left", "right", "top", "bottom"))
    x0, y0, x1, y1 = 0, 0, w, h
    if side == "left":
        x0 = int(q[:, 0].min() + overhang)
    elif side == "right":
        x1 = int(q[:, 0].max() - overhang)
    elif side == "top":
        y0 = int(q[:, 1].min() + overhang)
    else:
        y1 = int(q[:, 1].max() - overhang)
    return photo[y0:y1, x0:x1].copy(), (q - [x0, y0]).tolist()


def covered(photo: np.ndarray, quad: Quad, strength: str, rng: random.Random) -> np.ndarray:
    """A thumb over a corner of the document (遮挡)."""
    q = np.asarray(quad, np.float32)
    corner = rng.randrange(4)
    inward = (q.mean(axis=0) - q[corner])
    inward /= np.linalg.norm(inward)
    size = _level(strength, 0.07, 0.11, 0.17) * _doc_width(quad)
    centre = q[corner] + inward * size * 0.55
    skin = np.array([rng.uniform(120, 160), rng.uniform(150, 185), rng.uniform(200, 235)])
    axes = (int(size * 0.85), int(size * 0.55))
    angle = float(np.degrees(np.arctan2(inward[1], inward[0])))
    mask = np.zeros(photo.shape[:2], np.float32)
    cv2.ellipse(mask, (int(centre[0]), int(centre[1])), axes, angle, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), max(1.0, size * 0.03))[..., None]
    shading = 0.85 + 0.15 * mask  # a rounded thumb, lit from above
    thumb = skin * shading
    return (photo * (1 - mask) + thumb * mask).astype(np.uint8)


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


PAPER_DEFECTS = {"photocopy": photocopy, "halftone": halftone, "screen": screen}
PHOTO_DEFECTS = {"blur": blur, "low_resolution": low_resolution, "dark": dark,
                 "overexposed": overexposed, "glare": glare, "cut_off": cut_off,
                 "covered": covered}
CODES = {
    "photocopy": "IMAGE_GRAYSCALE", "halftone": "IMAGE_RECAPTURED",
    "screen": "IMAGE_RECAPTURED", "blur": "IMAGE_BLURRY",
    "low_resolution": "IMAGE_LOW_RESOLUTION", "dark": "IMAGE_EXPOSURE",
    "overexposed": "IMAGE_EXPOSURE", "glare": "IMAGE_EXPOSURE",
    "cut_off": "DOCUMENT_INCOMPLETE", "covered": "DOCUMENT_INCOMPLETE",
}
DEFECTS = tuple(CODES)


def clean_photo(doc: np.ndarray, rng: random.Random, photograph: Photograph) -> Labelled:
    photo, quad = photograph(doc, rng)
    return Labelled(photo, quad, None, None, None)


def defective_photo(doc: np.ndarray, defect: str, strength: str, rng: random.Random,
                    photograph: Photograph) -> Labelled:
    """The document photographed with one defect at one strength, labelled with its code."""
    if defect in PAPER_DEFECTS:
        photo, quad = photograph(PAPER_DEFECTS[defect](doc, strength, rng), rng)
    else:
        photo, quad = photograph(doc, rng)
        result = PHOTO_DEFECTS[defect](photo, quad, strength, rng)
        photo, quad = result if isinstance(result, tuple) else (result, quad)
    return Labelled(photo, quad, defect, strength, CODES[defect])
