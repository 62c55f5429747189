"""Perceptual hashes: the same picture re-saved or resized stays near, another stays far."""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.duplicates import (NEAR_DUPLICATE_BITS, duplicate_finding, hash_distance,
                                 is_near_duplicate, perceptual_hash)
from samples import faces, photos


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    return cv2.imdecode(cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])[1],
                        cv2.IMREAD_COLOR)


def bgr(person: str) -> np.ndarray:
    return np.ascontiguousarray(faces.photo(person)[..., ::-1])


def test_resaved_and_resized_copies_are_near_duplicates():
    original = bgr("astronaut")
    reference = perceptual_hash(original)
    copies = [jpeg(original, 40), cv2.resize(original, None, fx=0.5, fy=0.5),
              cv2.resize(original, None, fx=1.7, fy=1.7), cv2.cvtColor(original, cv2.COLOR_BGR2GRAY)]
    for copy in copies:
        assert hash_distance(reference, perceptual_hash(copy)) <= NEAR_DUPLICATE_BITS // 2
        assert is_near_duplicate(reference, perceptual_hash(copy))


def test_different_pictures_are_far_apart():
    import random

    pictures = [bgr("astronaut"), bgr("grace_hopper"),
                photos.white_background_photo("astronaut", random.Random(1)),
                photos.white_background_photo("grace_hopper", random.Random(1))]
    hashes = [perceptual_hash(p) for p in pictures]
    for i in range(len(hashes)):
        for j in range(i + 1, len(hashes)):
            assert hash_distance(hashes[i], hashes[j]) > 2 * NEAR_DUPLICATE_BITS


def test_hash_is_hex_of_256_bits():
    value = perceptual_hash(bgr("grace_hopper"))
    assert len(value) == 64 and int(value, 16) >= 0
    assert hash_distance(value, value) == 0
    assert not is_near_duplicate(value, value[:16])


def test_duplicate_finding_names_the_other_application():
    finding = duplicate_finding("face.jpg", "ICP-2026-000077", exact=False, distance=5)
    assert finding.code == "DUPLICATE_UPLOAD"
    assert "ICP-2026-000077" in finding.message
    assert finding.evidence["other_application"] == "ICP-2026-000077"
    assert finding.evidence["exact"] is False and finding.evidence["distance_bits"] == 5


def _back(issuer: str, until: str = "2036-05-01") -> "MaterialAnalysis":
    from pipeline.analysis import ExtractedDocument, MaterialAnalysis

    fields = {"issuer": issuer, "valid_from": "2016-05-01", "valid_until": until}
    return MaterialAnalysis(file="back.jpg", kind="id_card_back",
                            extracted=ExtractedDocument(kind="id_card_back", fields=fields))


def test_two_peoples_id_backs_are_told_apart_by_what_they_print():
    from pipeline.duplicates import shows_something_else

    assert shows_something_else(_back("杭州市公安局西湖分局"), _back("北京市公安局朝阳分局"))
    assert shows_something_else(_back("杭州市公安局"), _back("杭州市公安局", until="2040-01-01"))
    assert not shows_something_else(_back("杭州市公安局西湖分局"), _back("杭州市公安局 西湖分局"))


def test_what_was_not_read_proves_nothing():
    from pipeline.analysis import MaterialAnalysis
    from pipeline.duplicates import shows_something_else

    unread = MaterialAnalysis(file="back.jpg", kind="id_card_back")
    assert not shows_something_else(unread, _back("杭州市公安局"))
    assert not shows_something_else(None, _back("杭州市公安局"))


def test_face_photos_of_two_people_are_not_copies_of_one_another():
    from pipeline.analysis import FaceObservation, MaterialAnalysis
    from pipeline.duplicates import shows_something_else

    def photo(encoding):
        return MaterialAnalysis(file="face.jpg", kind="face_photo",
                                faces=[FaceObservation(box=[0, 10, 10, 0], encoding=encoding)])

    one, same, other = [0.0] * 128, [0.01] * 128, [0.0] * 127 + [0.9]
    assert shows_something_else(photo(one), photo(other))
    assert not shows_something_else(photo(one), photo(same))
