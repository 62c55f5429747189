"""The real default engine on generated phone photos: a handful of whole reads."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.documents import locate_document, read_document
from tests.pipeline.documents.generated import photo

KEY_FIELDS = {"id_card_front": ("name", "id_number", "sex", "birth_date", "ethnicity"),
              "id_card_back": ("issuer", "valid_from", "valid_until"),
              "business_license": ("name", "credit_code", "legal_representative",
                                   "established", "term_until")}


def _corner_error(found, truth) -> float:
    return float(min(np.abs(np.roll(np.float32(found), k, axis=0) - truth).max()
                     for k in range(4)))


@pytest.mark.parametrize("kind", list(KEY_FIELDS))
def test_clean_photo_reads_its_fields(kind, rapid_engine):
    image, quad, truth = photo(kind, 1)
    reading = read_document(image, kind, rapid_engine, material=f"{kind}.jpg")
    assert reading.detected_kind == kind and reading.findings == []
    assert {name: reading.extracted.fields.get(name) for name in KEY_FIELDS[kind]} == \
        {name: truth[name] for name in KEY_FIELDS[kind]}
    assert reading.quad is not None and _corner_error(reading.quad, quad) < 0.02 * max(image.shape)
    box = np.float32(reading.extracted.boxes["name" if kind != "id_card_back" else "issuer"])
    inside = [(x, y) for x, y in box if 0 <= x <= image.shape[1] and 0 <= y <= image.shape[0]]
    assert len(inside) == 4  # boxes are in the photo's pixels


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_photo_taken_sideways_or_upside_down(turns, rapid_engine):
    image, quad, truth = photo("id_card_front", 2)
    turned = np.ascontiguousarray(np.rot90(image, k=turns))
    reading = read_document(turned, "id_card_front", rapid_engine, material="front.jpg")
    assert reading.extracted.fields["id_number"] == truth["id_number"]
    assert reading.extracted.fields["name"] == truth["name"]
    assert reading.crop.shape[:2] == (540, 856)  # upright, whatever way the photo was taken


def test_license_in_the_id_card_slot(rapid_engine):
    image, _, truth = photo("business_license", 3)
    reading = read_document(image, "id_card_front", rapid_engine, material="front.jpg")
    assert reading.detected_kind == "business_license"
    assert [f.code for f in reading.findings] == ["MATERIAL_WRONG_KIND"]
    assert reading.extracted.fields["credit_code"] == truth["credit_code"]


def test_locate_document_gives_the_crop_the_quality_checks_use():
    image, quad, _ = photo("id_card_back", 4)
    found, crop = locate_document(image)
    assert _corner_error(found, quad) < 0.02 * max(image.shape)
    assert crop.shape[:2] == (540, 856)


def test_a_grey_scan_with_one_channel_is_read(rapid_engine):
    image, _, truth = photo("id_card_front", 5)
    grey = image.mean(axis=2).astype(np.uint8)
    reading = read_document(grey, "id_card_front", rapid_engine, material="scan.png")
    assert reading.extracted.fields["id_number"] == truth["id_number"]


@pytest.mark.parametrize("shape", [(1, 1, 3), (2, 900, 3), (700, 3, 3), (300, 400, 4), (200, 300)])
def test_odd_images_give_an_empty_reading_not_an_error(shape, rapid_engine):
    image = np.random.default_rng(0).integers(0, 255, shape, dtype=np.uint8)
    reading = read_document(image, "business_license", rapid_engine, material="odd.png")
    assert reading.extracted is not None and reading.extracted.fields == {}
    assert {f.code for f in reading.findings} == {"LICENSE_UNREADABLE"}
