"""Image-quality checks on generated phone photos of documents, and their edge cases."""
from __future__ import annotations

import random
from functools import cache

import numpy as np
import pytest

from pipeline.analysis import TextLine
from pipeline.findings import CATALOGUE
from pipeline.quality import CHECKS, QualitySettings, assess_quality
from samples import camera, defects
from samples.documents import random_identity, render_id_back, render_id_front


def phone_photo(doc: np.ndarray, rng: random.Random):
    photo, quad = camera.photograph(doc, rng, tilt_deg=rng.uniform(-6, 6), perspective=0.05,
                                    background="random", scale=1.1, margin=0.2, corner_radius=24)
    return camera.degrade(photo, rng, blur=0.4, noise=2.0, jpeg_quality=88), quad


@cache
def card(side: str = "front", seed: int = 1) -> np.ndarray:
    rng = random.Random(seed)
    render = render_id_front if side == "front" else render_id_back
    return render(random_identity(rng), rng=rng)


def codes(image, quad, kind="id_card_front", lines=()) -> list[str]:
    quad = None if quad is None else np.asarray(quad, float).tolist()
    return [f.code for f in assess_quality(image, kind=kind, crop=None, quad=quad,
                                           text_lines=list(lines), settings=QualitySettings(),
                                           material="m.jpg")]


def lines_of_height(height: float, count: int = 5) -> list[TextLine]:
    return [TextLine("文字", 0.9, [[100, 100 + 60 * i], [400, 100 + 60 * i],
                                   [400, 100 + 60 * i + height], [100, 100 + 60 * i + height]])
            for i in range(count)]


@pytest.mark.parametrize("side, seed", [("front", 1), ("back", 2), ("front", 3)])
def test_ordinary_phone_photo_has_no_findings(side, seed):
    sample = defects.clean_photo(card(side, seed), random.Random(seed), phone_photo)
    assert codes(sample.image, sample.quad, f"id_card_{side}") == []


@pytest.mark.parametrize("defect", defects.DEFECTS)
def test_each_defect_is_found(defect):
    sample = defects.defective_photo(card(), defect, "medium", random.Random(7), phone_photo)
    assert sample.code in codes(sample.image, sample.quad)


def test_small_text_lines_mean_low_resolution():
    sample = defects.clean_photo(card(), random.Random(4), phone_photo)
    assert "IMAGE_LOW_RESOLUTION" in codes(sample.image, sample.quad, lines=lines_of_height(11))
    assert "IMAGE_LOW_RESOLUTION" not in codes(sample.image, sample.quad, lines=lines_of_height(40))


def test_evidence_carries_the_measure_and_the_threshold():
    sample = defects.defective_photo(card(), "blur", "strong", random.Random(5), phone_photo)
    finding = next(f for f in assess_quality(
        sample.image, kind="id_card_front", crop=None, quad=np.asarray(sample.quad).tolist(),
        text_lines=[], settings=QualitySettings(), material="m.jpg") if f.code == "IMAGE_BLURRY")
    assert finding.evidence["edge_width_px"] > finding.evidence["threshold"]
    assert finding.material == "m.jpg" and finding.message


def test_a_rectified_crop_is_used_when_given():
    sample = defects.defective_photo(card(), "photocopy", "mild", random.Random(6), phone_photo)
    import cv2

    quad = np.float32(sample.quad)
    target = np.float32([[0, 0], [856, 0], [856, 540], [0, 540]])
    crop = cv2.warpPerspective(sample.image, cv2.getPerspectiveTransform(quad, target), (856, 540))
    found = assess_quality(sample.image, kind="id_card_front", crop=crop, quad=None, text_lines=[],
                           settings=None, material="m.jpg")
    assert [f.code for f in found] == ["IMAGE_GRAYSCALE"]


def test_colour_is_only_required_of_the_originals():
    photocopy = defects.defective_photo(card(), "photocopy", "strong", random.Random(8), phone_photo)
    assert "IMAGE_GRAYSCALE" in codes(photocopy.image, photocopy.quad, "id_card_front")
    assert "IMAGE_GRAYSCALE" not in codes(photocopy.image, None, "verification_form")
    assert "IMAGE_GRAYSCALE" not in codes(photocopy.image, None, "face_photo")


def _text_over(quad, box=(0.25, 0.15, 0.88, 0.85)) -> list[TextLine]:
    """One OCR line box covering where an ID card back's text lies, in photo pixels."""
    import cv2

    unit = np.float32([[0, 0], [1, 0], [1, 1], [0, 1]])
    matrix = cv2.getPerspectiveTransform(unit, np.float32(quad))
    x0, y0, x1, y1 = box
    corners = np.float32([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]])
    return [TextLine("签发机关", 0.9, cv2.perspectiveTransform(corners, matrix)[0].tolist())]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_colour_is_judged_around_the_text_when_the_card_was_not_located(seed):
    """No outline found: the middle half of the photo held only print on a pale pattern,
    and colour originals were taken for photocopies."""
    back = card("back", seed)
    for doc, copy in ((back, False), (defects.photocopy(back, "mild", random.Random(seed)), True)):
        photo, quad = camera.photograph(doc, random.Random(seed), tilt_deg=4, perspective=0.05,
                                        background="random", scale=1.2, margin=0.08,
                                        corner_radius=24)
        found = codes(photo, None, "id_card_back", _text_over(quad))
        assert ("IMAGE_GRAYSCALE" in found) is copy, (seed, copy)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_hand_held_license_is_judged_on_the_page_it_shows(seed):
    from samples.documents import random_company, render_license

    rng = random.Random(seed)
    page = render_license(random_company(rng), rng=rng)
    for doc, copy in ((page, False), (defects.photocopy(page, "mild", rng), True)):
        photo, _ = camera.photograph(doc, random.Random(seed), tilt_deg=3, perspective=0.03,
                                     background="random", scale=0.9, margin=0.06)
        found = codes(photo, None, "handheld_license_photo")
        assert ("IMAGE_GRAYSCALE" in found) is copy, (seed, copy)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_glare_over_the_text_of_an_unlocated_card_is_found(seed):
    clean = defects.clean_photo(card("front", seed), random.Random(seed), phone_photo)
    glared = defects.defective_photo(card("front", seed), "glare", "medium", random.Random(seed),
                                     phone_photo)
    text = (0.1, 0.1, 0.9, 0.9)
    assert "IMAGE_EXPOSURE" not in codes(clean.image, None, lines=_text_over(clean.quad, text))
    assert "IMAGE_EXPOSURE" in codes(glared.image, None, lines=_text_over(glared.quad, text))


def test_an_outline_on_no_edge_says_nothing_of_the_frame():
    """A pale card on a pale desk: the outline was fitted to a faint region and one corner
    landed past the frame. Nothing in the photo shows a side there: no cut-off finding."""
    rng = np.random.default_rng(3)
    photo = np.clip(rng.normal(224, 1.5, (700, 1100, 3)), 0, 255).astype(np.uint8)
    photo[60:640, 120:1000] += 3  # the card, barely lighter than the desk
    guessed = [[150.0, 40.0], [1110.0, 130.0], [1040.0, 820.0], [90.0, 650.0]]
    assert "DOCUMENT_INCOMPLETE" not in codes(photo, guessed, "id_card_back")
    cut = defects.defective_photo(card("back", 2), "cut_off", "strong", random.Random(9),
                                  phone_photo)
    assert "DOCUMENT_INCOMPLETE" in codes(cut.image, cut.quad, "id_card_back")


@pytest.mark.parametrize("image", [
    np.zeros((1, 1, 3), np.uint8), np.zeros((0, 0, 3), np.uint8), np.full((40, 30), 128, np.uint8),
    np.random.default_rng(1).integers(0, 255, (300, 200, 4), dtype=np.uint8),
    np.full((600, 800, 3), 255, np.uint8)])
@pytest.mark.parametrize("kind", ["id_card_front", "business_license", "face_photo", "other"])
def test_strange_images_do_not_crash(image, kind):
    found = assess_quality(image, kind=kind, crop=None, quad=None, text_lines=[],
                           settings=QualitySettings(), material="x")
    assert all(f.code in CATALOGUE for f in found)


def test_degenerate_quad_and_crop_do_not_crash():
    image = np.full((400, 600, 3), 200, np.uint8)
    for quad in ([[5, 5], [5, 5], [5, 5], [5, 5]], [[-50, -50], [900, -40], [880, 700], [-60, 690]]):
        found = assess_quality(image, kind="id_card_front", crop=np.zeros((3, 3, 3), np.uint8),
                               quad=quad, text_lines=[], settings=None, material="x")
        assert all(f.code in CATALOGUE for f in found)


def test_a_failing_check_is_skipped(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(CHECKS["blur"], "inspect", explode)
    sample = defects.defective_photo(card(), "dark", "strong", random.Random(9), phone_photo)
    assert codes(sample.image, sample.quad) == ["IMAGE_EXPOSURE"]


def test_every_check_is_described_and_raises_a_catalogue_code():
    assert len(CHECKS) == 6
    for check_id, check in CHECKS.items():
        assert check.id == check_id and check.description and check.kinds
        assert check.code in CATALOGUE


def test_a_flat_scan_with_one_odd_corner_is_not_called_covered():
    """A scan fills the frame and nothing held it: a stamp or a printed mark in one corner
    is not a thumb. The same card photographed on a desk with that corner still is."""
    doc = card("back", 3).copy()
    h, w = doc.shape[:2]
    doc[: h // 6, w - w // 8:] = (60, 90, 200)  # a red mark over the top-right corner
    scan_quad = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]
    assert "DOCUMENT_INCOMPLETE" not in codes(doc, scan_quad, kind="id_card_back")
    photo, quad = phone_photo(doc, random.Random(5))
    assert "DOCUMENT_INCOMPLETE" in codes(photo, quad, kind="id_card_back")


def test_unlocated_text_cut_by_the_frame_is_incomplete():
    photo, quad = phone_photo(card("front", 2), random.Random(6))
    right = int(np.asarray(quad)[:, 0].max() * 0.8)
    cut = photo[:, :right].copy()
    lines = [TextLine("公民身份号码", 0.9, [[200, 500], [right - 3, 500], [right - 3, 530],
                                          [200, 530]])]
    found = assess_quality(cut, kind="id_card_front", crop=None, quad=None, text_lines=lines,
                           settings=QualitySettings(), material="m.jpg")
    incomplete = [f for f in found if f.code == "DOCUMENT_INCOMPLETE"]
    assert incomplete and incomplete[0].evidence["sides"] == ["right"]
    inside = [TextLine("公民身份号码", 0.9, [[200, 500], [right - 200, 500],
                                          [right - 200, 530], [200, 530]])]
    assert "DOCUMENT_INCOMPLETE" not in codes(cut, None, lines=inside)
