"""Printed security artwork: guilloche backgrounds, paper grain, QR codes, ink blending.

Guilloche (扭索纹) is the fine interlaced line pattern printed under the text of
ID cards and licenses; here it is the sum of a few families of wavy lines and
rosettes, each with random period, amplitude and phase, so no two documents carry
the same background.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache

import cv2
import numpy as np
from PIL import Image

Colour = tuple[int, int, int]


def guilloche(size: tuple[int, int], rng: random.Random, base: Colour,
              inks: Sequence[Colour], strength: float = 0.55, step: int = 2,
              grain: float = 0.0) -> np.ndarray:
    """An RGB float32 background of `size` (w, h) with one line family per ink.

    Computed at 1/`step` resolution (with `grain` of paper) and scaled up, which a
    print's fine lines survive.
    """
    w, h = size
    x, y = _grid(max(1, w // step), max(1, h // step), step)
    out = np.empty(x.shape + (3,), np.float32)
    out[:] = base
    for colour in inks:
        weight = _line_family(rng, x, y, w, h) * np.float32(strength)
        out += weight[..., None] * (np.asarray(colour, np.float32) - out)
    if grain:
        out += paper_grain((x.shape[1], x.shape[0]), rng, grain)
    return cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR) if step > 1 else out


@cache
def _grid(sw: int, sh: int, step: int) -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32) * step
    x.flags.writeable = y.flags.writeable = False
    return x, y


def _line_family(rng: random.Random, x: np.ndarray, y: np.ndarray, w: int, h: int) -> np.ndarray:
    """Thin lines along the level sets of a wavy field (cos raised to 2^k sharpens them)."""
    period = rng.uniform(6.0, 12.0)
    if rng.random() < 0.5:
        angle = rng.uniform(0, np.pi)
        along = x * np.float32(np.cos(angle)) + y * np.float32(np.sin(angle))
        across = y * np.float32(np.cos(angle)) - x * np.float32(np.sin(angle))
        field = across + np.float32(rng.uniform(8, 40)) * np.sin(
            along / np.float32(rng.uniform(25, 120)) + np.float32(rng.uniform(0, 6.3)))
    else:
        cx, cy = rng.uniform(-0.2, 1.2) * w, rng.uniform(-0.2, 1.2) * h
        radius = np.hypot(x - np.float32(cx), y - np.float32(cy))
        theta = np.arctan2(y - np.float32(cy), x - np.float32(cx))
        field = radius + np.float32(rng.uniform(4, 18)) * np.sin(
            np.float32(rng.randint(6, 36)) * theta + radius / np.float32(rng.uniform(30, 90)))
    lines = (np.cos(field * np.float32(2 * np.pi / period)) + np.float32(1.0)) * np.float32(0.5)
    for _ in range(rng.randint(2, 3)):
        lines *= lines
    return lines


def tint(size: tuple[int, int], rng: random.Random, colour: Colour, centre: tuple[float, float],
         radius: float, strength: float) -> np.ndarray:
    """A soft round wash of `colour` (weights H x W x 1 and the colour), as a printed glow."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = centre[0] * w, centre[1] * h
    falloff = np.exp(-(((x - cx) / (radius * w)) ** 2 + ((y - cy) / (radius * h)) ** 2))
    return (falloff * strength * rng.uniform(0.7, 1.2))[..., None]


def apply_tint(image: np.ndarray, weights: np.ndarray, colour: Colour) -> np.ndarray:
    return image + weights * (np.asarray(colour, np.float32) - image)


def paper_grain(size: tuple[int, int], rng: random.Random, amount: float = 6.0) -> np.ndarray:
    """Fibre grain and faint blotches of paper, as an additive H x W x 1 float32 field."""
    w, h = size
    noise = np.random.default_rng(rng.getrandbits(32))
    fine = noise.standard_normal((h, w), dtype=np.float32) * np.float32(amount * 0.5)
    coarse = noise.standard_normal((max(2, h // 40), max(2, w // 40)), dtype=np.float32)
    coarse = cv2.resize(coarse * np.float32(amount * 0.6), (w, h), interpolation=cv2.INTER_CUBIC)
    return (fine + coarse)[..., None]


def finish(image: np.ndarray) -> np.ndarray:
    return np.clip(image, 0, 255).astype(np.uint8)


def qr_code(text: str, module: int) -> Image.Image:
    """A real QR code (greyscale, black on white) with `module` pixels per module."""
    matrix = cv2.QRCodeEncoder.create().encode(text)
    big = cv2.resize(matrix, None, fx=module, fy=module, interpolation=cv2.INTER_NEAREST)
    return Image.fromarray(big)


def multiply(page: Image.Image, stamp: Image.Image, xy: tuple[int, int]) -> None:
    """Print an RGBA `stamp` on an RGB page as ink does: darkening, never covering."""
    x, y = xy
    region = (x, y, x + stamp.width, y + stamp.height)
    base = np.asarray(page.crop(region), np.float32)
    rgba = np.asarray(stamp, np.float32) / 255.0
    colour, alpha = rgba[..., :3], rgba[..., 3:4]
    printed = base * (1.0 - alpha * (1.0 - colour))
    page.paste(Image.fromarray(finish(printed)), region[:2])


def ink_texture(alpha: np.ndarray, rng: random.Random, patchiness: float = 0.35) -> np.ndarray:
    """Uneven inking of a stamp: lighter patches and a few dry spots."""
    noise = np.random.default_rng(rng.getrandbits(32))
    h, w = alpha.shape
    blotch = cv2.resize(noise.uniform(0, 1, (max(2, h // 12), max(2, w // 12))).astype(np.float32),
                        (w, h), interpolation=cv2.INTER_CUBIC)
    dry = noise.uniform(0, 1, (max(2, h // 3), max(2, w // 3))).astype(np.float32) > 0.03
    speck = cv2.resize(dry.astype(np.float32), (w, h), interpolation=cv2.INTER_NEAREST)
    level = 1.0 - patchiness * np.clip(blotch, 0, 1)
    return alpha * level * speck


def signature_strokes(rng: random.Random, box: tuple[int, int, int, int]) -> list[np.ndarray]:
    """A handwritten-looking scribble inside `box`: a few looping strokes, left to right."""
    x0, y0, x1, y1 = box
    strokes = []
    cursor = x0
    for _ in range(rng.randint(2, 4)):
        span = (x1 - x0) * rng.uniform(0.2, 0.4)
        t = np.linspace(0, 1, 60)
        loops = rng.uniform(1.5, 4.0)
        xs = cursor + span * t + span * 0.12 * np.sin(2 * np.pi * loops * t)
        mid, amp = (y0 + y1) / 2 + rng.uniform(-0.15, 0.15) * (y1 - y0), (y1 - y0) * 0.35
        ys = mid + amp * np.cos(2 * np.pi * loops * t + rng.uniform(0, 6.3)) * (1 - 0.4 * t)
        strokes.append(np.stack([np.clip(xs, x0, x1), np.clip(ys, y0, y1)], axis=1))
        cursor += span * rng.uniform(0.7, 1.0)
    return strokes
