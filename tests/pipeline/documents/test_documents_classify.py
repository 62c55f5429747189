"""Which document it is, and which way up, from the words it carries."""
from __future__ import annotations

import pytest

from pipeline.documents.classify import classify
from pipeline.documents.orient import order_score, runs_down, turn_point, upright_rotation
from tests.pipeline.documents.document_lines import line, rotated_page
from tests.pipeline.documents.test_documents_parsers import front_lines, license_lines

BACK = [line("中华人民共和国", 280, 60), line("居民身份证", 260, 120, h=50),
        line("签发机关", 150, 380), line("杭州市公安局西湖分局", 290, 380),
        line("有效期限", 150, 440), line("2015.03.01-2035.03.01", 290, 440)]
OTHER = [line(text, 60, 60 + 40 * i) for i, text in enumerate(
    ["网站备案信息真实性核验单", "主办单位名称和网站负责人", "本单位承诺所提交的资料真实有效",
     "网站负责人签字并加盖公章后上传", "核验人员当面核验证件原件和照片", "核验日期与核验地点如实填写",
     "备案服务商留存核验单原件备查"])]


@pytest.mark.parametrize("lines,kind", [
    (front_lines(), "id_card_front"), (BACK, "id_card_back"),
    (license_lines(), "business_license"),
])
def test_each_kind_is_recognised_with_confidence(lines, kind):
    found = classify(lines)
    assert found.kind == kind and found.confident
    assert found.scores[kind] == max(found.scores.values())


def test_plenty_of_clear_text_without_any_anchor_is_another_document():
    found = classify(OTHER)
    assert found.kind == "other" and found.confident


def test_too_little_text_decides_nothing():
    found = classify([line("王建国", 60, 60), line("1985", 60, 120, confidence=0.5)])
    assert found.kind is None and not found.confident


def test_two_character_labels_count_only_at_the_start_of_a_line():
    lines = [line("经营范围内名称类型住所不限", 60, 60)]
    assert classify(lines).scores["business_license"] == 1


def test_one_anchor_is_not_enough():
    found = classify([line("姓名王建国", 60, 60)])
    assert not found.confident


SIZE = (856, 540)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_the_page_is_turned_upright_from_its_labels(rotation):
    lines = rotated_page(front_lines(), SIZE, rotation)
    size = SIZE if rotation in (0, 180) else SIZE[::-1]
    assert runs_down(lines) == (rotation in (90, 270))
    undo = (360 - rotation) % 360
    assert upright_rotation(lines, size) == undo
    assert order_score(lines, size, undo) > 0


def test_without_labels_the_turn_is_unknown():
    lines = [line("王建国", 60, 60), line("浙江省杭州市", 60, 120)]
    assert upright_rotation(lines, SIZE) is None


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_turn_point_matches_the_turned_image(rotation):
    # the top-left corner of an upright 856x540 page, turned with the image
    width, height = SIZE
    expected = {0: (0, 0), 90: (height, 0), 180: (width, height), 270: (0, width)}[rotation]
    assert turn_point((0, 0), SIZE, rotation) == expected
