"""Phone-photo simulation: a document lying on a surface, photographed, then degraded.

`photograph` places a rendered document on a textured background under a camera
that may be rotated (tilt) and oblique (perspective), with a soft shadow and a
mild colour cast; it returns the photo and the document's four corners in it.
`degrade` adds what goes wrong in real uploads: blur, JPEG artefacts, sensor
noise, uneven light, low resolution. Every function is pure: all randomness
comes from the `rng` argument.
"""
from __future__ import annotations

import math
import random
from typing import Any

import cv2
import numpy as np

BACKGROUNDS = ("desk", "wood", "paper", "dark", "fabric", "granite")
# Named presets for benchmarks: keyword arguments of photograph() and degrade().
DEGRADATIONS: dict[str, dict[str, dict[str, Any]]] = {
    "clean": {"photograph": {"tilt_deg": 1.5, "perspective": 0.03},
              "degrade": {"jpeg_quality": 92}},
    "tilt15": {"photograph": {"tilt_deg": 15.0, "perspective": 0.03},
               "degrade": {"jpeg_quality": 90}},
    "perspective": {"photograph": {"tilt_deg": 3.0, "perspective": 0.3},
                    "degrade": {"jpeg_quality": 90}},
    "blur": {"photograph": {"tilt_deg": 2.0, "perspective": 0.03},
             "degrade": {"blur": 3.0, "jpeg_quality": 90}},
    "jpeg40": {"photograph": {"tilt_deg": 2.0, "perspective": 0.03},
               "degrade": {"jpeg_quality": 40}},
    "noise": {"photograph": {"tilt_deg": 2.0, "perspective": 0.03},
              "degrade": {"noise": 14.0, "jpeg_quality": 90}},
    "uneven_light": {"photograph": {"tilt_deg": 2.0, "perspective": 0.03},
                     "degrade": {"uneven_light": 0.6, "jpeg_quality": 90}},
    "low_res": {"photograph": {"tilt_deg": 2.0, "perspective": 0.03},
                "degrade": {"downscale": 0.4, "jpeg_quality": 85}},
}


def photograph(doc_bgr: np.ndarray, rng: random.Random, *, tilt_deg: float = 0.0,
               perspective: float = 0.0, background: str = "desk", scale: float = 1.0,
               margin: float = 0.15, corner_radius: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """The document photographed on `background` ("random" picks one of BACKGROUNDS).

    `tilt_deg` turns it clockwise in the picture; `perspective` (0 to about 0.4) is how
    oblique the camera is (up to that fraction of 90 degrees); `scale` sizes the
    document against its render; `margin` is the surface shown around it, as a
    fraction of its size; `corner_radius` (px of the render) rounds an ID card.
    Returns (BGR uint8 photo, quad): quad is float32 (4, 2), the corners top-left,
    top-right, bottom-right, bottom-left of the document, inside the photo.
    """
    h, w = doc_bgr.shape[:2]
    quad = _camera_quad(w * scale, h * scale, tilt_deg, perspective, rng)
    size, quad = _frame(quad, w * scale, h * scale, margin, rng)
    surface = _surface(background if background != "random" else rng.choice(BACKGROUNDS),
                       size, rng)
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    warp = cv2.getPerspectiveTransform(source, quad)
    paper = cv2.warpPerspective(doc_bgr, warp, size, flags=cv2.INTER_AREA,
                                borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    cover = cv2.warpPerspective(_mask(w, h, corner_radius), warp, size, flags=cv2.INTER_LINEAR)
    surface = _shadow(surface, cover, rng)
    paper -= surface
    paper *= cover[..., None]
    paper += surface
    return _white_balance(paper, rng), quad


def degrade(photo_bgr: np.ndarray, rng: random.Random, *, blur: float = 0.0,
            jpeg_quality: int | None = None, noise: float = 0.0, uneven_light: float = 0.0,
            downscale: float = 1.0) -> np.ndarray:
    """What goes wrong between camera and upload, in the order it happens.

    `uneven_light` (0..1): how much darker the far side is; `blur`: Gaussian sigma
    in pixels; `downscale` (<= 1): the image shrinks (scale a quad by the same
    factor); `noise`: sensor noise standard deviation in grey levels;
    `jpeg_quality`: re-encode as JPEG of that quality.
    """
    image = photo_bgr.astype(np.float32)
    if uneven_light > 0:
        image *= _light_falloff(image.shape[:2], uneven_light, rng)[..., None]
    if blur > 0:
        image = cv2.GaussianBlur(image, (0, 0), blur)
    if downscale < 1.0:
        h, w = image.shape[:2]
        size = (max(1, round(w * downscale)), max(1, round(h * downscale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    if noise > 0:  # mostly luminance noise, some colour noise
        generator = np.random.default_rng(rng.getrandbits(32))
        grain = generator.standard_normal(image.shape, dtype=np.float32)
        image += grain * np.float32(noise * 0.45) + grain[..., :1] * np.float32(noise * 0.8)
    out = np.clip(image, 0, 255).astype(np.uint8)
    if jpeg_quality is not None:
        ok, data = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)])
        out = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else out
    return out


def simulate(doc_bgr: np.ndarray, rng: random.Random, preset: str,
             **photograph_options: Any) -> tuple[np.ndarray, np.ndarray]:
    """Photograph and degrade with a DEGRADATIONS preset (tilt in a random direction,
    background random unless given). Returns (photo, quad), the quad in the final image."""
    settings = DEGRADATIONS[preset]
    options = {"background": "random", **settings["photograph"], **photograph_options}
    options["tilt_deg"] = options.get("tilt_deg", 0.0) * rng.choice((-1, 1))
    photo, quad = photograph(doc_bgr, rng, **options)
    degraded = degrade(photo, rng, **settings["degrade"])
    return degraded, quad * np.float32(degraded.shape[1] / photo.shape[1])


def _camera_quad(w: float, h: float, tilt_deg: float, perspective: float,
                 rng: random.Random) -> np.ndarray:
    """Corners of a w x h document seen by a pinhole camera, centred on the origin."""
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0],
                        [-w / 2, h / 2, 0]], np.float64)
    max_angle = perspective * math.pi / 2
    pitch, yaw = (rng.uniform(-1, 1) * max_angle for _ in range(2))
    if perspective > 0:  # an oblique camera is oblique: at least half the asked angle
        pitch = math.copysign(max(abs(pitch), max_angle / 2), pitch)
    roll = math.radians(tilt_deg)
    rotated = corners @ _rotation(pitch, yaw, roll).T
    focal = 1.6 * max(w, h)
    depth = focal + rotated[:, 2]
    return (rotated[:, :2] * (focal / depth)[:, None]).astype(np.float32)


def _rotation(pitch: float, yaw: float, roll: float) -> np.ndarray:
    cx, sx, cy, sy, cz, sz = (math.cos(pitch), math.sin(pitch), math.cos(yaw), math.sin(yaw),
                              math.cos(roll), math.sin(roll))
    rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rz @ ry @ rx


def _frame(quad: np.ndarray, w: float, h: float, margin: float,
           rng: random.Random) -> tuple[tuple[int, int], np.ndarray]:
    """Picture size around the quad, the document a little off centre."""
    pad_x, pad_y = margin * w, margin * h
    low, high = quad.min(axis=0), quad.max(axis=0)
    shift_x = pad_x * rng.uniform(0.6, 1.4)
    shift_y = pad_y * rng.uniform(0.6, 1.4)
    placed = quad - low + np.float32([shift_x, shift_y])
    width = int(math.ceil(high[0] - low[0] + shift_x + pad_x * rng.uniform(0.6, 1.4))) + 2
    height = int(math.ceil(high[1] - low[1] + shift_y + pad_y * rng.uniform(0.6, 1.4))) + 2
    return (width, height), placed.astype(np.float32)


def _mask(w: int, h: int, radius: float) -> np.ndarray:
    mask = np.ones((h, w), np.float32)
    r = int(round(radius))
    if r <= 0:
        return mask
    corner = np.zeros((r, r), np.float32)
    cv2.circle(corner, (r, r), r, 1.0, -1, lineType=cv2.LINE_AA)
    mask[:r, :r] = corner
    mask[:r, w - r:] = corner[:, ::-1]
    mask[h - r:, :r] = corner[::-1, :]
    mask[h - r:, w - r:] = corner[::-1, ::-1]
    return mask


def _shadow(surface: np.ndarray, cover: np.ndarray, rng: random.Random) -> np.ndarray:
    """A soft drop shadow: the document is lit from one side and lies a little raised.

    Worked out at 1/8 scale: a shadow has no detail worth the full resolution.
    """
    h, w = cover.shape
    small = cv2.resize(cover, (max(2, w // 8), max(2, h // 8)), interpolation=cv2.INTER_AREA)
    spread = max(1.0, 0.012 * max(small.shape))
    offset = np.float32([[1, 0, rng.uniform(-1, 1) * spread], [0, 1, rng.uniform(0.3, 1) * spread]])
    moved = cv2.warpAffine(small, offset, (small.shape[1], small.shape[0]))
    soft = cv2.resize(cv2.GaussianBlur(moved, (0, 0), spread), (w, h),
                      interpolation=cv2.INTER_LINEAR)
    surface *= (1.0 - rng.uniform(0.25, 0.45) * soft)[..., None]
    return surface


def _white_balance(photo: np.ndarray, rng: random.Random) -> np.ndarray:
    """A camera's colour cast and exposure, mild and random."""
    exposure = rng.uniform(0.92, 1.04)
    gains = [rng.uniform(0.94, 1.06) * exposure, rng.uniform(0.97, 1.03) * exposure,
             rng.uniform(0.94, 1.06) * exposure]
    photo *= np.float32(gains)
    return cv2.convertScaleAbs(photo)  # saturating cast to uint8


def _light_falloff(shape: tuple[int, int], strength: float, rng: random.Random) -> np.ndarray:
    """1 at the lit side falling to 1 - strength, along a random direction or around a spot."""
    h, w = shape
    sh, sw = max(2, h // 8), max(2, w // 8)
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    x, y = x / (sw - 1), y / (sh - 1)
    if rng.random() < 0.5:
        angle = rng.uniform(0, 2 * math.pi)
        ramp = (x - 0.5) * math.cos(angle) + (y - 0.5) * math.sin(angle)
        ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    else:
        ramp = np.hypot(x - rng.uniform(0.1, 0.9), y - rng.uniform(0.1, 0.9))
        ramp = ramp / max(float(ramp.max()), 1e-6)
    falloff = (1.0 - strength * ramp).astype(np.float32)
    return cv2.resize(falloff, (w, h), interpolation=cv2.INTER_LINEAR)


def _surface(kind: str, size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A BGR float32 texture of `size` (w, h): what the document lies on."""
    w, h = size
    noise = np.random.default_rng(rng.getrandbits(32))
    small = (max(2, w // 4), max(2, h // 4))
    if kind not in _TEXTURES:
        raise ValueError(f"unknown background {kind!r}; choose from {BACKGROUNDS} or 'random'")
    texture = _TEXTURES[kind](small, rng, noise)
    texture += noise.standard_normal(texture.shape[:2] + (1,), dtype=np.float32) * 3.0
    return cv2.resize(texture, (w, h), interpolation=cv2.INTER_LINEAR)


def _plain(colour: tuple[float, float, float], size: tuple[int, int], noise: np.random.Generator,
           blotch: float) -> np.ndarray:
    w, h = size
    low = noise.standard_normal((max(2, h // 24), max(2, w // 24), 1), dtype=np.float32)
    low = cv2.resize(low, (w, h), interpolation=cv2.INTER_CUBIC)[..., None] * blotch
    return np.asarray(colour, np.float32) + low


def _desk(size, rng, noise):  # type: ignore[no-untyped-def]
    colour = rng.choice(((200, 204, 206), (176, 190, 200), (222, 222, 218), (150, 160, 168)))
    return _plain(tuple(c * rng.uniform(0.9, 1.08) for c in colour), size, noise, 5.0)


def _wood(size, rng, noise):  # type: ignore[no-untyped-def]
    """Planks with long, slightly wavy grain running along x."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    bend = cv2.resize(noise.standard_normal((4, 6), dtype=np.float32), (w, h),
                      interpolation=cv2.INTER_CUBIC) * rng.uniform(2, 5)
    grain = np.sin((y + bend + 1.5 * np.sin(x / rng.uniform(30, 80))) / rng.uniform(0.8, 1.6))
    fine = noise.standard_normal((h, 1), dtype=np.float32) * 0.3  # streaks along the grain
    plank = ((y // max(8, h // rng.randint(3, 6))) % 2)[..., None] * rng.uniform(-12, 12)
    base = np.asarray(rng.choice(((60, 110, 160), (80, 130, 180), (40, 80, 120))), np.float32)
    return base * (0.85 + 0.1 * grain[..., None] + fine[..., None]) + plank


def _paper_surface(size, rng, noise):  # type: ignore[no-untyped-def]
    return _plain((236, 238, 240), size, noise, 3.0)


def _dark(size, rng, noise):  # type: ignore[no-untyped-def]
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = (np.sin(x * 1.7) * np.sin(y * 1.7)) * 4.0
    return _plain((38, 36, 40), size, noise, 6.0) + weave[..., None]


def _fabric(size, rng, noise):  # type: ignore[no-untyped-def]
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = (np.sin(x * 1.3) + np.sin(y * 1.3)) * 6.0
    colour = rng.choice(((120, 70, 40), (60, 110, 70), (70, 70, 150), (150, 140, 120)))
    return _plain(colour, size, noise, 8.0) + weave[..., None]


def _granite(size, rng, noise):  # type: ignore[no-untyped-def]
    w, h = size
    speckle = noise.standard_normal((h, w, 1), dtype=np.float32) * 22.0
    return _plain((150, 150, 148), size, noise, 10.0) + speckle


_TEXTURES = {"desk": _desk, "wood": _wood, "paper": _paper_surface, "dark": _dark,
             "fabric": _fabric, "granite": _granite}
