"""Real license layouts: portrait, letter-spaced labels, 个体工商户 and pre-2015 editions
(注册号, no credit code), label variants, watermarks, and a license's crop size."""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import numpy as np
import pytest

from pipeline.analysis import MaterialAnalysis
from pipeline.compare_documents import compare_documents
from pipeline.documents import read_document
from pipeline.documents.license import BusinessLicenseParser, without_overprint
from pipeline.documents.locate import crop_size, flatten
from pipeline.documents.numbers import (repair_registration_number,
                                        valid_registration_number)
from pipeline.documents.text import normalize_name
from pipeline.form import FilingForm
from pipeline.imageio import working_image
from samples.camera import simulate
from samples.contract import example
from samples.documents import ground_truth
from samples.documents.company import random_company, random_individual, random_old_company
from samples.documents.license_layouts import LicenseStyle, render_license_layout
from tests.pipeline.documents.document_lines import line
from tests.pipeline.documents.test_documents_reader import PHOTO, ScriptedEngine

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "realdocs" / "licenses"
REG = "440681601007865"  # passes ISO 7064 MOD 11,10
TODAY = dt.date(2026, 11, 21)


def parse(lines):
    return BusinessLicenseParser().parse(lines).fields


def individual_lines(name_head: str = "名") -> list:
    """A 个体工商户营业执照 as OCR reads it: spaced labels, tails glued to their values."""
    return [line("个体工商户营业执照", 300, 40, h=60), line(f"注册号{REG}", 900, 120),
            line(name_head, 100, 200), line("称佛山市顺德区伦教瑞科特玻璃机械厂", 330, 200),
            line("经营者姓名张瑞迁", 100, 270), line("组成形式个人经营", 100, 340),
            line("经营场", 100, 410, w=260), line("所佛山市顺德区伦教熹涌村首层3号", 340, 410),
            line("经营范", 100, 480, w=260), line("围制造：玻璃机械。", 340, 480)]


def test_individual_license_fields_and_its_registration_number():
    fields = parse(individual_lines())
    assert fields["name"] == "佛山市顺德区伦教瑞科特玻璃机械厂"
    assert fields["legal_representative"] == "张瑞迁"
    assert fields["address"] == "佛山市顺德区伦教熹涌村首层3号"
    assert fields["registration_number"] == REG
    assert "credit_code" not in fields and "entity_type" not in fields  # not the title


def test_spaced_label_read_in_pieces_far_apart_or_overlapping():
    lines = [line("营业", 100, 100, w=64), line("期", 150, 101), line("限", 260, 100),
             line("2008年07月03日至2058年07月02日", 340, 100),
             line("实收", 100, 160, w=64), line("资", 200, 160), line("本", 270, 160),
             line("伍拾万元整", 340, 160), line("名", 100, 220), line("称云帆五金店", 330, 220)]
    fields = parse(lines)
    assert fields["term_until"] == "2058-07-02"
    assert fields["name"] == "云帆五金店"


def test_a_column_of_label_heads_read_as_one_vertical_box_is_split():
    lines = [line("名类", 100, 100, w=32, h=80), line("称四川省新天和塑胶制品有限公司", 220, 100),
             line("型", 220, 146), line("有限责任公司(自然人投资或控股)", 270, 146)]
    fields = parse(lines)
    assert fields["name"] == "四川省新天和塑胶制品有限公司"
    assert fields["entity_type"] == "有限责任公司（自然人投资或控股）"


def test_portrait_label_between_two_value_lines_and_centred_on_three():
    lines = [line("住所", 100, 118), line("浙江省杭州市西湖区文三路", 260, 100),
             line("90号3幢501室", 260, 136),
             line("法定代表人", 100, 200), line("王建国", 260, 200),
             line("经营范围", 100, 318), line("技术服务、技术开发、", 260, 280),
             line("技术咨询、软件开发、", 260, 318), line("图书出租。", 260, 356)]
    fields = parse(lines)
    assert fields["address"] == "浙江省杭州市西湖区文三路90号3幢501室"
    assert fields["business_scope"] == "技术服务、技术开发、技术咨询、软件开发、图书出租。"
    assert fields["legal_representative"] == "王建国"


@pytest.mark.parametrize("label, value_field", [
    ("商事主体类型", "entity_type"), ("公司类型", "entity_type"),
    ("法定代表人姓名", "legal_representative"), ("企业名称", "name")])
def test_label_variants(label, value_field):
    # values the parser's fallbacks (a line opening like a type, ending like a name) miss
    values = {"entity_type": "内资企业法人", "legal_representative": "王建国",
              "name": "云帆之家"}
    fields = parse([line(label, 100, 100), line(values[value_field], 340, 100),
                    line("成立日期", 100, 160), line("2001年03月08日", 340, 160)])
    assert fields[value_field] == values[value_field]
    assert fields["established"] == "2001-03-08"


def test_registration_number_check_and_repair():
    assert valid_registration_number(REG)
    assert not valid_registration_number(REG[:-1] + "6") and not valid_registration_number("123")
    assert repair_registration_number("44068l6O1007865").value == REG  # l and O for 1 and 0
    assert not repair_registration_number(REG[:-1] + "8").valid
    fields = BusinessLicenseParser().parse([line("注册号", 100, 100),
                                            line(REG[:-1] + "8", 220, 100)])
    assert fields.fields["registration_number"] == REG[:-1] + "8"
    assert fields.confidence["registration_number"] < 0.8  # fails its check: not sure


def test_license_without_a_credit_code_is_reported_as_having_none():
    reading = read_document(PHOTO, "business_license", ScriptedEngine(individual_lines()),
                            material="license.jpg")
    assert [(f.code, f.field, f.observed) for f in reading.findings] == [
        ("LICENSE_NO_CREDIT_CODE", "credit_code", REG)]
    assert "未能识别" not in reading.findings[0].message


def test_registration_number_compared_with_a_fifteen_digit_form_number():
    data = example()
    data["subject"].update(name="佛山市顺德区伦教瑞科特玻璃机械厂", cert_number=REG)
    data["subject"]["leader"]["name"] = "张瑞迁"
    app = FilingForm.model_validate(data)
    reading = read_document(PHOTO, "business_license", ScriptedEngine(individual_lines()),
                            material="license.jpg")
    analysis = MaterialAnalysis(file="license.jpg", kind="business_license",
                                detected_kind="business_license", extracted=reading.extracted)
    assert compare_documents(app, [analysis], today=TODAY) == []
    data["subject"]["cert_number"] = "440681601007873"
    found = compare_documents(FilingForm.model_validate(data), [analysis], today=TODAY)
    assert [(f.code, f.field) for f in found] == [("LICENSE_CODE_MISMATCH", "registration_number")]


def test_watermark_words_are_dropped_whole_or_in_pieces():
    lines = [line("仅限办理ICP备案使用", 100, 50), line("名称", 100, 100),
             line("案使用杭州云帆信息技术有限公司", 220, 100),
             line("法定代表人", 100, 160), line("王建国仅供网站", 300, 160),
             line("注册资本案使用贰仟万元整", 100, 190),
             line("经营范围", 100, 220), line("使用说明书编写服务", 260, 220)]
    assert len(without_overprint(lines)) == len(lines) - 1
    fields = parse(lines)
    assert fields["name"] == "杭州云帆信息技术有限公司"
    assert fields["legal_representative"] == "王建国"
    assert fields["registered_capital"] == "贰仟万元整"  # the piece after the label
    assert fields["business_scope"] == "使用说明书编写服务"  # a value's own words stay


def test_a_license_shaped_like_a_card_keeps_its_resolution():
    quad = [[0, 0], [1600, 0], [1600, 1000], [0, 1000]]  # a 1.6:1 printed border
    assert crop_size(quad)[0] == 856  # shaped like a card: flattened as one, 10 px/mm
    assert crop_size(quad, page=True) == (1600, 1000)
    image = np.zeros((1200, 1800, 3), np.uint8)
    assert flatten(image, quad, page=True).shape[:2] == (1000, 1600)


def test_flattened_license_is_read_at_page_size():
    engine = ScriptedEngine([line("营业执照", 100, 40, h=60)])
    photo = np.full((1300, 1900, 3), 40, np.uint8)
    photo[150:1150, 150:1750] = 235  # a pale page on a dark desk, 1600 x 1000
    reading = read_document(photo, "business_license", engine, material="license.jpg")
    assert reading.crop is not None and max(reading.crop.shape[:2]) >= 1500


def _generated(maker, style: LicenseStyle, seed: str):
    rng = random.Random(seed)
    record = maker(rng)
    photo, _ = simulate(render_license_layout(record, style, rng=rng), rng, "clean")
    return photo, ground_truth(record, "business_license")


@pytest.mark.parametrize("maker, style", [
    (random_individual, LicenseStyle(portrait=True, spaced=True)),
    (random_old_company, LicenseStyle(spaced=True)),
    (random_company, LicenseStyle(portrait=True, labels=(("类型", "商事主体类型"),))),
])
def test_generated_layouts_read_end_to_end(rapid_engine, maker, style):
    photo, truth = _generated(maker, style, f"layout-{maker.__name__}")
    reading = read_document(photo, "business_license", rapid_engine, material="license.jpg")
    fields = reading.extracted.fields
    for name in ("name", "legal_representative", "credit_code", "registration_number"):
        assert normalize_name(fields.get(name, "")) == normalize_name(truth.get(name, "")), name
    assert "LICENSE_UNREADABLE" not in {f.code for f in reading.findings}


def test_real_individual_license_has_a_registration_number_and_no_credit_code(rapid_engine):
    entry = next(e for e in json.loads((REAL / "truth.json").read_text("utf-8"))
                 if e["file"] == "longllovers__val_0158.jpg")
    image = working_image((REAL / entry["file"]).read_bytes())
    reading = read_document(image, "business_license", rapid_engine, material="license.jpg")
    assert reading.extracted.fields["registration_number"] == REG
    assert reading.extracted.fields["name"] == entry["fields"]["name"]
    assert [f.code for f in reading.findings] == ["LICENSE_NO_CREDIT_CODE"]


def test_real_landscape_license_keeps_its_small_print(rapid_engine):
    entry = next(e for e in json.loads((REAL / "truth.json").read_text("utf-8"))
                 if e["file"] == "longllovers__val_0119.jpg")
    image = working_image((REAL / entry["file"]).read_bytes())
    reading = read_document(image, "business_license", rapid_engine, material="license.jpg")
    assert max(reading.crop.shape[:2]) > 856
    assert normalize_name(reading.extracted.fields["address"]) == \
        normalize_name(entry["fields"]["address"])


def test_a_value_stops_at_the_next_column_whose_label_was_not_read():
    lines = [line("法定代表人", 100, 100), line("牛敬堂", 280, 100),
             line("河南省安阳市城乡一体化示范区白", 900, 96)]  # 住所 under a watermark
    assert parse(lines)["legal_representative"] == "牛敬堂"
