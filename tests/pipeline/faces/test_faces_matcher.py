"""FaceMatcher on the real sample faces: detection, ID-card portraits, distances."""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.faces import FaceSettings
from samples import faces


def id_card_with(person: str, card_width: int) -> np.ndarray:
    """An ID-card-like crop (RGB): the portrait printed small on the right of a pale card."""
    height = int(card_width * 54 / 85.6)
    card = np.full((height, card_width, 3), (236, 240, 246), np.uint8)
    pw = int(card_width * 0.26)
    ph = int(pw * 32 / 26)
    portrait = cv2.resize(faces.portrait(person), (pw, ph), interpolation=cv2.INTER_AREA)
    x0, y0 = card_width - pw - int(card_width * 0.06), int(height * 0.12)
    card[y0:y0 + ph, x0:x0 + pw] = portrait
    return card


def test_finds_one_face_in_each_sample_photo(matcher):
    for person in faces.PEOPLE:
        found = matcher.observe(faces.photo(person))
        assert len(found) == 1, person  # astronaut: a weak detection on the suit is not a person
        assert len(found[0].encoding) == 128


def test_boxes_are_in_source_pixels_after_downscaling(matcher):
    photo = faces.photo("grace_hopper")
    large = cv2.resize(photo, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_CUBIC)
    expected = [v * 2.5 for v in matcher.observe(photo)[0].box]
    assert overlap(matcher.observe(large)[0].box, expected) > 0.75


def overlap(a: list[float], b: list[float]) -> float:
    """Intersection over union of two (top, right, bottom, left) boxes."""
    top, right = max(a[0], b[0]), min(a[1], b[1])
    bottom, left = min(a[2], b[2]), max(a[3], b[3])
    inter = max(0, right - left) * max(0, bottom - top)
    area = lambda box: (box[1] - box[3]) * (box[2] - box[0])  # noqa: E731
    return inter / (area(a) + area(b) - inter)


def test_same_person_is_near_and_different_people_are_far(matcher):
    settings = FaceSettings()
    astronaut = matcher.observe(faces.photo("astronaut"))[0]
    astronaut_card = matcher.observe(id_card_with("astronaut", 856), portrait_region=True)[0]
    hopper_card = matcher.observe(id_card_with("grace_hopper", 856), portrait_region=True)[0]
    assert matcher.compare(astronaut, astronaut_card) < settings.grey_threshold
    assert matcher.compare(astronaut, hopper_card) > settings.match_threshold


def test_small_id_portrait_is_upsampled_before_detection(matcher):
    card = id_card_with("astronaut", 300)  # portrait ~78 px wide, the face ~35 px
    assert matcher.observe(card, portrait_region=True)
    settings_without_upsampling = FaceSettings(portrait_side=300, portrait_upsample=0)
    from pipeline.faces import FaceMatcher

    assert FaceMatcher(settings_without_upsampling).observe(card, portrait_region=True) == []


def test_blank_grey_and_tiny_images_give_no_faces(matcher):
    assert matcher.observe(np.full((300, 400, 3), 200, np.uint8)) == []
    assert matcher.observe(np.full((300, 400), 90, np.uint8)) == []
    assert matcher.observe(np.zeros((5, 5, 3), np.uint8)) == []
