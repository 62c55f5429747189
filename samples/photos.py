"""Verification photos built from the real sample faces of `samples.faces`.

The person (head and shoulders, cut out of the sample photo with GrabCut) is set on
a new background: a white wall for the face verification photo (人脸核验照片), the
blue 幕布 for a curtain photo, a shirt painted over the torso. Defects are keyword
arguments, so a test asks for exactly the fault it expects to be found.
All images are BGR uint8, like the rest of the pipeline.
"""
from __future__ import annotations

import random
from functools import cache

import cv2
import numpy as np

from samples import faces

SIZE = (600, 800)  # width, height of a phone portrait photo
SHIRTS = {  # BGR
    "grey": (128, 128, 128), "black": (35, 35, 35), "white": (235, 235, 235),
    "green": (70, 140, 60), "beige": (150, 190, 215), "red": (40, 40, 200),
    "blue": (190, 90, 30), "navy": (120, 50, 20), "pink": (170, 120, 235),
}
CURTAIN_BLUE = (200, 120, 30)  # BGR of the 幕布


# Face boxes (top, right, bottom, left) in `faces.portrait(person)`, as dlib finds them.
_FACE_BOX = {"astronaut": (76, 145, 166, 56), "grace_hopper": (118, 266, 341, 43)}


@cache
def _cutout(person: str) -> tuple[np.ndarray, np.ndarray]:
    """(portrait BGR, soft head mask 0..1): GrabCut, kept to an ellipse around the face."""
    portrait = np.ascontiguousarray(faces.portrait(person)[..., ::-1])
    h, w = portrait.shape[:2]
    scale = 100 / w  # GrabCut at a small size: seconds become tens of milliseconds
    small = cv2.resize(portrait, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = np.zeros(small.shape[:2], np.uint8)
    sh, sw = mask.shape
    rect = (int(sw * 0.04), int(sh * 0.02), int(sw * 0.92), int(sh * 0.96))
    models = (np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64))
    cv2.grabCut(small, mask, rect, *models, 4, cv2.GC_INIT_WITH_RECT)
    person_mask = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.float32)
    person_mask = cv2.resize(person_mask, (w, h), interpolation=cv2.INTER_LINEAR)
    top, right, bottom, left = _FACE_BOX[person]
    head = np.zeros((h, w), np.float32)
    centre = ((left + right) // 2, (top + bottom) // 2 - (bottom - top) // 8)
    axes = (int((right - left) * 0.85), bottom - top)
    cv2.ellipse(head, centre, axes, 0, 0, 360, 1.0, -1)
    return portrait, cv2.GaussianBlur(person_mask * head, (0, 0), 1.5)


def _place(person: str, canvas: np.ndarray, rng: random.Random, *, centre_x: float,
           face_width: float, shirt: str) -> np.ndarray:
    """Head and shoulders: a shirt drawn on the canvas, the cut-out head over it."""
    portrait, mask = _cutout(person)
    top, right, bottom, left = _FACE_BOX[person]
    scale = face_width * canvas.shape[1] / (right - left)
    head = cv2.resize(portrait, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    mask = cv2.resize(mask, (head.shape[1], head.shape[0]))
    face_w, face_h = (right - left) * scale, (bottom - top) * scale
    cx = canvas.shape[1] * centre_x
    chin = canvas.shape[0] * rng.uniform(0.58, 0.64)
    canvas = _shoulders(canvas, SHIRTS[shirt], cx, chin, face_w, rng)
    x0, y0 = int(cx - (left + right) / 2 * scale), int(chin - bottom * scale)
    return _blend(canvas, head, mask, x0, y0)


def _shoulders(canvas: np.ndarray, colour: tuple[int, int, int], cx: float, chin: float,
               face_w: float, rng: random.Random) -> np.ndarray:
    h, w = canvas.shape[:2]
    torso = np.zeros((h, w), np.float32)
    x, neck_w, half = int(cx), int(face_w * 0.28), int(face_w * 1.45)
    cv2.rectangle(torso, (x - neck_w, int(chin - face_w * 0.2)),
                  (x + neck_w, int(chin + face_w * 0.4)), 0.5, -1)  # the neck: skin
    shoulder = int(chin + face_w * 0.85)
    cv2.ellipse(torso, (x, shoulder), (half, int(face_w * 0.6)), 0, 180, 360, 1.0, -1)
    cv2.rectangle(torso, (x - half, shoulder), (x + half, h), 1.0, -1)
    neck = (torso == 0.5)[..., None]
    torso = cv2.GaussianBlur((torso > 0).astype(np.float32), (0, 0), 1.5)[..., None]
    shade = np.linspace(1.05, 0.8, w)[None, :, None] * rng.uniform(0.9, 1.05)
    skin = np.array((120, 150, 200), np.float32)
    fill = np.where(neck, skin, np.array(colour, np.float32) * shade)
    return canvas * (1 - torso) + fill * torso


def _blend(canvas: np.ndarray, image: np.ndarray, mask: np.ndarray, x0: int, y0: int) -> np.ndarray:
    out = canvas.astype(np.float32)
    h, w = image.shape[:2]
    cx0, cy0 = max(0, x0), max(0, y0)
    cx1, cy1 = min(canvas.shape[1], x0 + w), min(canvas.shape[0], y0 + h)
    part = (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))
    alpha = mask[part][..., None]
    out[cy0:cy1, cx0:cx1] = out[cy0:cy1, cx0:cx1] * (1 - alpha) + image[part] * alpha
    return out


def _finish(image: np.ndarray, rng: random.Random, *, exposure: float = 1.0) -> np.ndarray:
    """Camera: exposure, a little sensor noise, JPEG."""
    grain = np.random.default_rng(rng.getrandbits(32)).normal(0, 2.0, image.shape)
    noisy = image * exposure + grain
    ok, data = cv2.imencode(".jpg", np.clip(noisy, 0, 255).astype(np.uint8),
                            [cv2.IMWRITE_JPEG_QUALITY, rng.randint(80, 93)])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def _wall(colour: tuple[float, float, float], rng: random.Random, *,
          shadow: float = 0.0) -> np.ndarray:
    """A plain wall, lit a little unevenly; `shadow` darkens one side (0 none .. 1 black)."""
    w, h = SIZE
    light = np.linspace(rng.uniform(0.94, 1.0), rng.uniform(0.94, 1.0), w)
    if shadow:
        side = np.linspace(1 - shadow, 1, w)
        light = light * (side if rng.random() < 0.5 else side[::-1])
    return np.array(colour, np.float32)[None, None, :] * light[None, :, None] * np.ones((h, 1, 1))


def _clutter(canvas: np.ndarray, rng: random.Random) -> np.ndarray:
    """Shelves, frames and objects behind the person: not a plain background."""
    out = canvas.copy()
    for _ in range(40):
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1] // 2)
        colour = [rng.uniform(20, 230) for _ in range(3)]
        cv2.rectangle(out, (x, y), (x + rng.randint(20, 120), y + rng.randint(10, 90)), colour, -1)
    return out


WALLS = {  # BGR: the face photo needs white
    "white": (246, 246, 244), "grey": (150, 150, 150), "blue": (210, 170, 120),
    "yellow": (140, 210, 235), "dark": (70, 70, 70),
}


def white_background_photo(person: str, rng: random.Random, *, wall: str = "white",
                           shadow: float = 0.0, exposure: float = 1.0,
                           clutter: bool = False, shirt: str = "black") -> np.ndarray:
    """The face verification photo: the person on a plain white, evenly lit wall."""
    canvas = _wall(WALLS[wall], rng, shadow=shadow)
    if clutter:
        canvas = _clutter(canvas, rng)
    canvas = _place(person, canvas, rng, centre_x=rng.uniform(0.45, 0.55),
                    face_width=rng.uniform(0.26, 0.32), shirt=shirt)
    return _finish(canvas, rng, exposure=exposure)


def _curtain(rng: random.Random) -> np.ndarray:
    from PIL import Image, ImageDraw

    from samples.fonts import cjk_font

    canvas = _wall(CURTAIN_BLUE, rng)
    picture = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    font = cjk_font(30)
    for row in range(0, SIZE[1], 150):
        draw.text((40 + (row // 150) % 2 * 120, row + 40), "ICP代备案管理系统专用幕布",
                  font=font, fill=(250, 250, 250))
    return np.asarray(picture).astype(np.float32)


def curtain_photo(person: str, rng: random.Random, *, shirt: str = "grey",
                  curtain: bool = True) -> np.ndarray:
    """The 幕布 photo: the person in front of the blue curtain; `curtain=False` a plain room."""
    canvas = _curtain(rng) if curtain else _clutter(_wall((180, 200, 215), rng), rng)
    canvas = _place(person, canvas, rng, centre_x=rng.uniform(0.45, 0.55),
                    face_width=rng.uniform(0.22, 0.27), shirt=shirt)
    return _finish(canvas, rng)


def group_photo(rng: random.Random, *, wall: str = "white") -> np.ndarray:
    """Both sample people side by side: a verification photo with two persons in it."""
    canvas = _wall(WALLS[wall], rng)
    canvas = np.concatenate([canvas, canvas[:, : SIZE[0] // 2]], axis=1)  # a wider frame
    for person, centre in zip(faces.PEOPLE, (0.3, 0.72)):
        canvas = _place(person, canvas, rng, centre_x=centre, face_width=0.15, shirt="black")
    return _finish(canvas, rng)


def _scene(rng: random.Random) -> np.ndarray:
    """An out-of-focus street or office behind the person, as a portrait lens draws it:
    a pale sky or ceiling, façades or shelves in muted colours, soft edges."""
    w, h = SIZE
    base = np.array([rng.uniform(200, 240)] * 3, np.float32) + [rng.uniform(-12, 12)
                                                                  for _ in range(3)]
    canvas = np.ones((h, w, 3), np.float32) * base
    for _ in range(rng.randint(8, 16)):  # blocks: buildings, cabinets, windows, people
        x, y = rng.randrange(-50, w), rng.randrange(int(h * 0.05), h)
        colour = [rng.uniform(60, 235) for _ in range(3)]
        cv2.rectangle(canvas, (x, y), (x + rng.randint(40, 260), y + rng.randint(40, 400)),
                      colour, -1)
    return cv2.GaussianBlur(canvas, (0, 0), rng.uniform(3.0, 7.0))


def scene_photo(person: str, rng: random.Random) -> np.ndarray:
    """A face photo cut from a scene (a street, an office), not taken at a plain wall."""
    canvas = _place(person, _scene(rng), rng, centre_x=rng.uniform(0.45, 0.55),
                    face_width=rng.uniform(0.26, 0.32), shirt="black")
    return _finish(canvas, rng)


def original_scene_photo(person: str, rng: random.Random) -> np.ndarray:
    """The sample picture itself (its own backdrop), cropped around the face to SIZE."""
    picture = np.ascontiguousarray(faces.photo(person)[..., ::-1])
    h, w = picture.shape[:2]
    crop_w = min(w, int(h * SIZE[0] / SIZE[1]))
    cx = _FACE_CENTRE_X[person] + rng.randint(-10, 10)
    x0 = max(0, min(w - crop_w, cx - crop_w // 2))
    return _finish(cv2.resize(picture[:, x0:x0 + crop_w], SIZE,
                              interpolation=cv2.INTER_AREA).astype(np.float32), rng)


_FACE_CENTRE_X = {"astronaut": 210, "grace_hopper": 265}  # in the sample pictures
