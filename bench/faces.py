"""Calibrate and benchmark face verification (人证比对).

Run from the repository root: `.venv/bin/python -m bench.faces [--faces DIR] [--renders N]`.

Pairs are built from real photos of different people: the photos in `../shared/faces/`
(when it is there) and the two sample faces that ship in registry packages. Each
"live" photo (the verification photo, as uploaded, in varied light) is compared with
ID-card-style renders of the *other* photos: the head-and-shoulders portrait printed
small on a card, photographed at an angle, blurred, noisy and JPEG-compressed, then
rectified back to the card, as the ID front reaches `FaceMatcher.observe`.

Prints the distance distributions, FAR/FRR at the current `FaceSettings` defaults and
at the thresholds the data would choose (FAR <= 1 %: a different person passing with no
finding; FRR <= 5 %: the same person blocked), and seconds per photo.
"""
from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from pipeline.analysis import FaceObservation
from pipeline.faces import FaceMatcher, FaceSettings
from samples import faces as sample_faces

SHARED_FACES = Path(__file__).resolve().parents[1] / ".." / "shared" / "faces"
# Files in the shared folder that are the same shot as another (a resize or a crop):
# a pair of them is not an independent same-person pair.
SAME_SHOT = {"obama_5_small": "obama_1", "obama_partial_face": "obama_1"}
CARD_W, CARD_H = 856, 540  # 85.6 x 54 mm at 10 px/mm


@dataclass
class Shot:
    person: str
    shot: str  # independent photo id
    rgb: np.ndarray


@dataclass
class Observed:
    person: str
    shot: str
    face: FaceObservation


def load_shots(folder: Path) -> list[Shot]:
    shots = [Shot(p, p, sample_faces.photo(p)) for p in sample_faces.PEOPLE]
    if not folder.is_dir():
        print(f"(no {folder}: only the packaged sample faces)")
        return shots
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".jpg", ".jpeg", ".png") or path.name.startswith("group"):
            continue
        stem = path.stem
        person = re.sub(r"_(\d+(_small)?|partial_face)$", "", stem)
        rgb = np.asarray(Image.open(path).convert("RGB"))
        shots.append(Shot(person, SAME_SHOT.get(stem, stem), rgb))
    return shots


def live_variant(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The photo as a phone uploads it: other light, colour temperature, JPEG."""
    out = rgb.astype(np.float32) * rng.uniform(0.6, 1.25)
    out *= np.array([rng.uniform(0.85, 1.15), 1.0, rng.uniform(0.85, 1.15)], np.float32)
    out += rng.normal(0, rng.uniform(1, 5), out.shape)
    return jpeg(np.clip(out, 0, 255).astype(np.uint8), int(rng.integers(60, 92)))


def jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", rgb[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1]


def portrait_crop(rgb: np.ndarray, box: list[int]) -> np.ndarray:
    """Head and shoulders around a face box, 26:32 as an ID portrait, white padded."""
    top, right, bottom, left = box
    side = right - left
    w, h = int(side * 2.1), int(side * 2.1 * 32 / 26)
    cx, cy = (left + right) // 2, (top + bottom) // 2
    x0, y0 = cx - w // 2, cy - int(h * 0.45)
    pad = max(w, h)
    padded = cv2.copyMakeBorder(rgb, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(235, 235, 235))
    return padded[y0 + pad:y0 + pad + h, x0 + pad:x0 + pad + w]


def id_card(portrait: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A card with the portrait printed small on the right and grey text bars on the left."""
    card = np.zeros((CARD_H, CARD_W, 3), np.float32)
    card[:] = np.linspace(0, 1, CARD_W)[None, :, None] * [-12, -4, 6] + [236, 240, 246]
    for row in range(6):
        y = 70 + row * 62
        width = int(rng.integers(140, 420))
        card[y:y + 22, 170:170 + width] = 70
    pw = int(rng.integers(190, 250))
    ph = int(pw * 32 / 26)
    small = cv2.resize(portrait, (pw // 2, ph // 2), interpolation=cv2.INTER_AREA)  # print dots
    printed = cv2.resize(small, (pw, ph), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    printed = printed * 0.85 + 0.15 * printed.mean(axis=2, keepdims=True)  # faded inks
    x0, y0 = CARD_W - pw - 50, 60
    card[y0:y0 + ph, x0:x0 + pw] = printed
    return np.clip(card, 0, 255).astype(np.uint8)


def photograph_card(card: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Card on a desk, at an angle, in a 1280x960 phone photo; returns (photo, quad)."""
    W, H = 1280, 960
    width = rng.uniform(0.45, 0.8) * W
    height = width * CARD_H / CARD_W
    cx, cy = W / 2 + rng.uniform(-80, 80), H / 2 + rng.uniform(-60, 60)
    quad = np.array([[cx - width / 2, cy - height / 2], [cx + width / 2, cy - height / 2],
                     [cx + width / 2, cy + height / 2], [cx - width / 2, cy + height / 2]])
    quad += rng.uniform(-0.04, 0.04, quad.shape) * width
    src = np.float32([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]])
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    desk = np.full((H, W, 3), rng.integers(60, 200, 3), np.uint8)
    photo = cv2.warpPerspective(card, matrix, (W, H), dst=desk, borderMode=cv2.BORDER_TRANSPARENT)
    light = np.linspace(rng.uniform(0.7, 1.0), rng.uniform(0.9, 1.15), W)[None, :, None]
    photo = photo.astype(np.float32) * light * [rng.uniform(0.9, 1.1), 1, rng.uniform(0.9, 1.1)]
    photo = cv2.GaussianBlur(photo, (0, 0), rng.uniform(0.5, 1.4))
    photo += rng.normal(0, rng.uniform(2, 6), photo.shape)
    return jpeg(np.clip(photo, 0, 255).astype(np.uint8), int(rng.integers(65, 92))), quad


def rectify(photo: np.ndarray, quad: np.ndarray) -> np.ndarray:
    dst = np.float32([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]])
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(photo, matrix, (CARD_W, CARD_H))


def observe_all(matcher: FaceMatcher, shots: list[Shot], renders: int, rng):
    lives, cards, seconds, card_seconds, missed = [], [], [], [], []
    for shot in shots:
        faces = matcher.observe(shot.rgb)
        if not faces:
            missed.append(f"{shot.shot} (source)")
            continue
        for _ in range(2):
            photo = live_variant(shot.rgb, rng)
            start = time.process_time()  # CPU seconds: other work on the machine does not count
            live = matcher.observe(photo)
            seconds.append(time.process_time() - start)
            if live:
                lives.append(Observed(shot.person, shot.shot, live[0]))
            else:
                missed.append(f"{shot.shot} (live)")
        portrait = portrait_crop(shot.rgb, faces[0].box)
        for _ in range(renders):
            crop = rectify(*photograph_card(id_card(portrait, rng), rng))
            start = time.process_time()
            card_faces = matcher.observe(crop, portrait_region=True)
            card_seconds.append(time.process_time() - start)
            if card_faces:
                cards.append(Observed(shot.person, shot.shot, card_faces[0]))
            else:
                missed.append(f"{shot.shot} (ID render)")
    return lives, cards, (seconds, card_seconds), missed


def pair_distances(matcher: FaceMatcher, lives, cards):
    same, different = [], []
    for live in lives:
        for card in cards:
            if live.shot == card.shot:
                continue  # the ID photo is never the same shot as the live photo
            distance = matcher.compare(live.face, card.face)
            (same if live.person == card.person else different).append(distance)
    return np.array(same), np.array(different)


def rates(same: np.ndarray, different: np.ndarray, grey: float, match: float) -> dict[str, float]:
    return {
        "FAR (different person, no finding: d <= grey)": float(np.mean(different <= grey)),
        "FAR at block (different person not blocked: d <= match)": float(np.mean(different <= match)),
        "FRR (same person blocked: d > match)": float(np.mean(same > match)),
        "same person warned (grey < d <= match)": float(np.mean((same > grey) & (same <= match))),
    }


def chosen_thresholds(same: np.ndarray, different: np.ndarray) -> tuple[float, float]:
    """grey: FAR <= 1 % with no finding; match: FRR <= 5 % of the same person blocked."""
    grey = float(np.quantile(different, 0.01))
    match = float(np.quantile(same, 0.95))
    return grey, max(match, grey)


def show(label: str, values: np.ndarray) -> None:
    q = np.quantile(values, [0, 0.01, 0.05, 0.5, 0.95, 0.99, 1])
    print(f"{label:>10} n={len(values):4d}  " + " ".join(f"{v:.3f}" for v in q)
          + "   (min p1 p5 median p95 p99 max)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=Path, default=SHARED_FACES)
    parser.add_argument("--renders", type=int, default=3, help="ID renders per photo")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    settings = FaceSettings()
    matcher = FaceMatcher(settings)
    shots = load_shots(args.faces)
    people = sorted({s.person for s in shots})
    print(f"{len(shots)} photos of {len(people)} people: {', '.join(people)}")
    rng = np.random.default_rng(args.seed)
    lives, cards, seconds, missed = observe_all(matcher, shots, args.renders, rng)
    print(f"faces found: {len(lives)} live photos, {len(cards)} ID renders; missed: {missed or 'none'}")
    same, different = pair_distances(matcher, lives, cards)
    show("same", same)
    show("different", different)
    print(f"at the defaults grey={settings.grey_threshold} match={settings.match_threshold}:")
    for name, value in rates(same, different, settings.grey_threshold, settings.match_threshold).items():
        print(f"  {name}: {value:.2%}")
    grey, match = chosen_thresholds(same, different)
    print(f"the data alone would choose grey={grey:.3f} match={match:.3f}")
    print("  sweep (threshold: FAR no finding / FRR blocked):", "  ".join(
        f"{t:.2f}: {np.mean(different <= t):.1%}/{np.mean(same > t):.1%}"
        for t in (0.45, 0.5, 0.55, 0.6, 0.65)))
    for label, values in zip(("verification photo", "ID front crop"), seconds):
        print(f"detection + encoding, {label}: {np.mean(values):.3f} CPU s mean, "
              f"median {np.median(values):.3f}, max {np.max(values):.3f} (target <= 0.4)")


if __name__ == "__main__":
    main()
