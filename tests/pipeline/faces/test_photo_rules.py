"""Photo rules on generated verification photos of the real sample faces."""
from __future__ import annotations

import random

import numpy as np
import pytest

from pipeline.photo_rules import photo_findings
from samples import photos


def codes(matcher, kind: str, image: np.ndarray) -> list[str]:
    found = matcher.observe(np.ascontiguousarray(image[..., ::-1]))
    assert len(found) == 1
    return [f.code for f in photo_findings(kind, image, found, material="p.jpg")]


@pytest.mark.parametrize("person", ["astronaut", "grace_hopper"])
def test_plain_white_background_passes(matcher, person):
    assert codes(matcher, "face_photo", photos.white_background_photo(person, random.Random(1))) == []


@pytest.mark.parametrize("defect", [
    {"wall": "blue"}, {"wall": "grey"}, {"wall": "yellow"}, {"clutter": True},
    {"shadow": 0.55}, {"exposure": 0.5}, {"exposure": 1.45}])
def test_background_that_is_not_plain_white_and_even(matcher, defect):
    image = photos.white_background_photo("astronaut", random.Random(2), **defect)
    assert codes(matcher, "face_photo", image) == ["PHOTO_BACKGROUND"]


@pytest.mark.parametrize("shirt", ["grey", "black", "white", "green", "pink"])
def test_curtain_photo_with_an_allowed_top_passes(matcher, shirt):
    image = photos.curtain_photo("grace_hopper", random.Random(3), shirt=shirt)
    assert codes(matcher, "curtain_photo", image) == []


@pytest.mark.parametrize("shirt, colour", [("red", "red"), ("blue", "blue"), ("navy", "blue")])
def test_red_or_blue_top_on_the_curtain_photo(matcher, shirt, colour):
    image = photos.curtain_photo("astronaut", random.Random(4), shirt=shirt)
    found = matcher.observe(np.ascontiguousarray(image[..., ::-1]))
    findings = photo_findings("curtain_photo", image, found, material="c.jpg")
    assert [f.code for f in findings] == ["PHOTO_CLOTHING"]
    assert findings[0].evidence["colour"] == colour


def test_curtain_photo_without_the_curtain(matcher):
    image = photos.curtain_photo("astronaut", random.Random(5), curtain=False)
    assert codes(matcher, "curtain_photo", image) == ["PHOTO_BACKGROUND"]


def test_other_kinds_and_empty_images_have_no_photo_rules():
    image = photos.white_background_photo("astronaut", random.Random(6), wall="blue")
    assert photo_findings("id_card_front", image, [], material="x") == []
    assert photo_findings("face_photo", np.zeros((0, 0, 3), np.uint8), [], material="x") == []


def test_without_a_face_the_top_band_is_the_background():
    image = photos.white_background_photo("astronaut", random.Random(7), wall="blue")
    assert [f.code for f in photo_findings("face_photo", image, [], material="x")] == ["PHOTO_BACKGROUND"]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("person", ["astronaut", "grace_hopper"])
def test_a_face_cut_from_a_street_or_office_scene(matcher, person, seed):
    """The scene behind is out of focus (few sharp edges) but it is not a wall."""
    image = photos.scene_photo(person, random.Random(seed))
    found = matcher.observe(np.ascontiguousarray(image[..., ::-1]))
    findings = photo_findings("face_photo", image, found, material="p.jpg")
    assert [f.code for f in findings] == ["PHOTO_BACKGROUND"]
    assert "背景杂乱，不是纯色" in findings[0].evidence["problems"]


@pytest.mark.parametrize("person", ["astronaut", "grace_hopper"])
def test_the_face_in_its_own_original_picture(matcher, person):
    image = photos.original_scene_photo(person, random.Random(7))
    assert codes(matcher, "face_photo", image) == ["PHOTO_BACKGROUND"]
