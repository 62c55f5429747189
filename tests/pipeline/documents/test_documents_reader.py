"""read_document with a stand-in engine: kinds, findings, boxes back in photo pixels."""
from __future__ import annotations

import numpy as np

from pipeline.analysis import TextLine
from pipeline.documents import ReadingSettings, read_document
from tests.pipeline.documents.document_lines import line
from tests.pipeline.documents.test_documents_classify import BACK, OTHER
from tests.pipeline.documents.test_documents_parsers import ID, front_lines, license_lines


class ScriptedEngine:
    """Reads the same lines off any image, in that image's pixels; records its calls."""

    name = "scripted"

    def __init__(self, lines: list[TextLine]) -> None:
        self.lines = lines
        self.calls: list[tuple[int, int]] = []

    def read(self, image_bgr: np.ndarray) -> list[TextLine]:
        self.calls.append(image_bgr.shape[:2])
        return [TextLine(t.text, t.confidence, [list(p) for p in t.box]) for t in self.lines]


PHOTO = np.full((600, 900, 3), 128, np.uint8)  # no outline to find: the photo is read
BIG = np.full((1800, 2400, 3), 128, np.uint8)  # shrunk to 2000 px; the text is small in it


def test_front_as_declared():
    engine = ScriptedEngine(front_lines())
    reading = read_document(PHOTO, "id_card_front", engine, material="front.jpg")
    assert reading.detected_kind == "id_card_front"
    assert reading.extracted.fields["id_number"] == ID
    assert reading.findings == []
    assert reading.quad is None and reading.crop is None
    assert engine.calls == [(600, 900)]  # one read: the text fills the photo


def test_small_text_in_a_big_photo_is_read_again_from_full_resolution():
    engine = ScriptedEngine(front_lines())
    reading = read_document(BIG, "id_card_front", engine, material="front.jpg")
    assert engine.calls[0] == (1500, 2000)
    assert len(engine.calls) == 2 and max(engine.calls[1]) < 1000  # the text's region
    assert reading.extracted.fields["id_number"] == ID


def test_boxes_come_back_in_the_photos_pixels():
    reading = read_document(BIG, "id_card_front", ScriptedEngine(front_lines()),
                            material="front.jpg")
    # the text's region (with its margin) reaches the photo's top-left corner and is read
    # at full resolution: what the engine sees at (60, 60) is photo pixel (60, 60)
    first = reading.lines[0]
    assert first.text == "姓名" and first.box[0] == [60.0, 60.0]
    assert reading.extracted.boxes["name"][0] == [160.0, 58.0]


def test_back_uploaded_as_front_is_the_wrong_kind():
    reading = read_document(PHOTO, "id_card_front", ScriptedEngine(BACK), material="a.jpg")
    assert reading.detected_kind == "id_card_back"
    assert [f.code for f in reading.findings] == ["MATERIAL_WRONG_KIND"]
    finding = reading.findings[0]
    assert (finding.expected, finding.observed, finding.material) == ("id_card_front",
                                                                      "id_card_back", "a.jpg")
    assert reading.extracted.kind == "id_card_back"  # read as what it is


def test_other_document_in_the_license_slot():
    reading = read_document(PHOTO, "business_license", ScriptedEngine(OTHER), material="l.jpg")
    assert reading.detected_kind == "other"
    assert [f.code for f in reading.findings] == ["MATERIAL_WRONG_KIND"]


def test_nothing_read_is_unreadable_not_wrong():
    engine = ScriptedEngine([])
    reading = read_document(PHOTO, "id_card_front", engine, material="f.jpg")
    assert reading.detected_kind is None
    assert {(f.code, f.field, str(f.severity)) for f in reading.findings} == {
        ("ID_UNREADABLE", "name", "warn"), ("ID_UNREADABLE", "id_number", "warn")}
    assert len(engine.calls) == 1  # no text: no second read in other orientations


def test_nothing_read_in_a_big_photo_looks_once_more():
    engine = ScriptedEngine([])
    read_document(BIG, "id_card_front", engine, material="f.jpg")
    assert engine.calls == [(1500, 2000), (1500, 2000)]


def test_both_sides_on_one_page_are_not_the_wrong_kind():
    both = front_lines() + [line(t.text, t.box[0][0], t.box[0][1] + 600) for t in BACK]
    reading = read_document(np.full((1200, 900, 3), 128, np.uint8), "id_card_back",
                            ScriptedEngine(both), material="copy.jpg")
    assert reading.findings == [] and reading.extracted.kind == "id_card_back"
    assert reading.extracted.fields["valid_until"] == "2035-03-01"


def test_license_missing_its_code_is_unreadable_for_that_field():
    lines = [t for t in license_lines() if not t.text.startswith("91")]
    reading = read_document(PHOTO, "business_license", ScriptedEngine(lines), material="l.jpg")
    assert [(f.code, f.field) for f in reading.findings] == [("LICENSE_UNREADABLE", "credit_code")]
    assert reading.extracted.fields["name"] == "杭州云帆信息技术有限公司"


def test_back_without_a_readable_validity_is_unreadable():
    lines = [line("中华人民共和国", 280, 60), line("居民身份证", 260, 120),
             line("签发机关", 150, 380), line("杭州市公安局", 290, 380)]
    reading = read_document(PHOTO, "id_card_back", ScriptedEngine(lines), material="b.jpg")
    assert [(f.code, f.field) for f in reading.findings] == [("ID_UNREADABLE", "valid_until")]


def test_a_small_photo_is_read_as_it_is():
    engine = ScriptedEngine(front_lines())
    small = np.full((540, 856, 3), 128, np.uint8)
    read_document(small, "id_card_front", engine, material="f.jpg",
                  settings=ReadingSettings(work_side=2000))
    assert engine.calls == [(540, 856)]
