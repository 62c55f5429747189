"""Quality verdicts on photos drawn in a style the checks were not tuned on
(samples.lighting), read end to end: OCR, faces, quality, then the verification gate."""
from __future__ import annotations

import datetime as dt
import random

import cv2
import numpy as np
import pytest

from pipeline.faces import FaceMatcher, FaceSettings
from pipeline.findings import Severity
from pipeline.inspect import Toolkit, analyze_material
from pipeline.verification import gate_quality
from samples import lighting
from samples.applications.parts import document_photo
from samples.documents import (CORNER_RADIUS, random_company, random_identity, render_id_back,
                               render_id_front, render_license)


@pytest.fixture(scope="module")
def tools(rapid_engine) -> Toolkit:
    return Toolkit(ocr=rapid_engine, faces=FaceMatcher(FaceSettings()))


def inspect(image: np.ndarray, kind: str, tools: Toolkit):
    data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 92])[1].tobytes()
    analysis = analyze_material(data, file="m.jpg", kind=kind, tools=tools)
    return analysis, gate_quality(list(analysis.findings), [analysis])


def identity(seed: int):
    return random_identity(random.Random(seed), sex="女", person="astronaut")


@pytest.mark.parametrize("seed", [3, 7])
def test_a_card_a_quarter_out_of_the_frame_is_incomplete(tools, seed):
    rng = random.Random(seed)
    photo, quad = document_photo(render_id_front(identity(seed)), rng, CORNER_RADIUS)
    cut, _ = lighting.cut_quarter(photo, quad, "right" if seed == 7 else "left")
    _, findings = inspect(cut, "id_card_front", tools)
    incomplete = [f for f in findings if f.code == "DOCUMENT_INCOMPLETE"]
    assert incomplete and incomplete[0].severity == Severity.BLOCK
    assert incomplete[0].evidence["rule"] == "text_at_border"
    assert incomplete[0].evidence["blocks_verification"]  # a field or the portrait is gone


@pytest.mark.parametrize("seed", [0, 1])
def test_glare_over_a_blank_part_of_the_card_is_a_warning(tools, seed):
    rng = random.Random(seed)
    person = identity(seed)
    photo, quad = document_photo(render_id_back(person), rng, CORNER_RADIUS)
    shone = lighting.hiding_glare(photo, quad, (rng.uniform(0.3, 0.7), 0.54), rng, radius=0.07)
    analysis, findings = inspect(shone, "id_card_back", tools)
    glare = next(f for f in findings if f.code == "IMAGE_EXPOSURE")
    until = person.valid_until
    assert analysis.extracted.fields["valid_until"] == (
        until.isoformat() if isinstance(until, dt.date) else "long_term")
    assert glare.severity == Severity.WARN
    assert glare.evidence["regions"] and glare.evidence["blocks_verification"] == []


@pytest.mark.parametrize("seed", [0, 2])
def test_a_reflection_that_wipes_out_the_number_blocks(tools, seed):
    rng = random.Random(seed)
    photo, quad = document_photo(render_id_front(identity(seed)), rng, CORNER_RADIUS)
    shone = lighting.hiding_glare(photo, quad, (0.6, 0.86), rng)
    _, findings = inspect(shone, "id_card_front", tools)
    glare = next(f for f in findings if f.code == "IMAGE_EXPOSURE")
    assert glare.severity == Severity.BLOCK
    assert any("id_number" in reason for reason in glare.evidence["blocks_verification"])


@pytest.mark.parametrize("seed", [0, 4])
def test_a_scanner_app_page_of_a_license_is_complete(tools, seed):
    rng = random.Random(seed)
    page = lighting.scanner_page(render_license(random_company(rng, "广东省")), rng, card=False)
    _, findings = inspect(page, "business_license", tools)
    assert [f.code for f in findings if f.code == "DOCUMENT_INCOMPLETE"] == []
