"""Field extraction from synthetic OCR lines: many layouts and typical misreads."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.documents.id_card import IdCardBackParser, IdCardFrontParser
from pipeline.documents.license import BusinessLicenseParser
from pipeline.documents.numbers import uscc_check_char
from tests.pipeline.documents.document_lines import line, tilted

ID = "330106198503150016"
CODE = "91330106MA2H3K7Q5" + uscc_check_char("91330106MA2H3K7Q5")


def front_lines(**overrides) -> list:
    parts = {
        "name": [line("姓名", 60, 60), line("王建国", 160, 58)],
        "sex": [line("性别", 60, 130), line("男", 160, 128), line("民族", 280, 130),
                line("汉", 380, 128)],
        "birth": [line("出生", 60, 200), line("1985年3月15日", 160, 198)],
        "address": [line("住址", 60, 270), line("浙江省杭州市西湖区文三", 160, 268),
                    line("路90号3幢501室", 160, 306)],
        "number": [line("公民身份号码", 60, 440, h=28), line(ID, 260, 436, h=34)],
    }
    parts.update(overrides)
    return [item for group in parts.values() for item in group]


def test_front_fields():
    doc = IdCardFrontParser().parse(front_lines())
    assert doc.kind == "id_card_front"
    assert doc.fields == {"name": "王建国", "sex": "男", "ethnicity": "汉",
                          "birth_date": "1985-03-15", "address": "浙江省杭州市西湖区文三路90号3幢501室",
                          "id_number": ID}
    assert set(doc.confidence) == set(doc.fields) == set(doc.boxes) == set(doc.raw)
    assert doc.confidence["id_number"] == 0.99


def test_front_read_as_merged_lines_in_any_order():
    lines = [line("公民身份号码 " + ID, 60, 440), line("住址浙江省杭州市西湖区文三", 60, 270),
             line("路90号3幢501室", 160, 306), line("出生1985年3月15日", 60, 200),
             line("性别男民族汉", 60, 130), line("姓名王建国", 60, 60)]
    doc = IdCardFrontParser().parse(lines)
    assert doc.fields["name"] == "王建国" and doc.fields["id_number"] == ID
    assert doc.fields["address"] == "浙江省杭州市西湖区文三路90号3幢501室"
    assert doc.fields["sex"] == "男" and doc.fields["ethnicity"] == "汉"


def test_front_minority_name_with_middle_dot_and_traditional_script():
    lines = front_lines(name=[line("姓名", 60, 60), line("艾合買提•買買提", 160, 58)],
                        sex=[line("性别男", 60, 130), line("民族維吾爾", 280, 130)])
    doc = IdCardFrontParser().parse(lines)
    assert doc.fields["name"] == "艾合买提·买买提"
    assert doc.fields["ethnicity"] == "维吾尔"


def test_front_number_with_letter_confusions_is_repaired():
    lines = front_lines(number=[line("公民身份号码", 60, 440, h=28),
                                line("33O1O6I985O3I5OOI6", 260, 436)])
    doc = IdCardFrontParser().parse(lines)
    assert doc.fields["id_number"] == ID
    assert doc.raw["id_number"] == "33O1O6I985O3I5OOI6"


def test_front_number_failing_its_check_is_kept_with_low_confidence():
    wrong = ID[:15] + "7" + ID[16:]
    lines = front_lines(number=[line("公民身份号码", 60, 440, h=28), line(wrong, 260, 436)])
    doc = IdCardFrontParser().parse(lines)
    assert doc.fields["id_number"] == wrong
    assert doc.confidence["id_number"] == 0.5


def test_front_number_without_its_label():
    doc = IdCardFrontParser().parse(front_lines(number=[line(ID, 260, 436)]))
    assert doc.fields["id_number"] == ID


def test_front_sex_and_birth_from_the_number_when_not_read():
    lines = front_lines(sex=[line("性别", 60, 130), line("民族汉", 280, 130)], birth=[])
    doc = IdCardFrontParser().parse(lines)
    assert doc.fields["sex"] == "男" and doc.fields["birth_date"] == "1985-03-15"
    assert doc.confidence["sex"] < 0.8 and doc.confidence["birth_date"] < 0.8


def test_front_name_without_its_label():
    doc = IdCardFrontParser().parse(front_lines(name=[line("王建国", 160, 58)]))
    assert doc.fields["name"] == "王建国" and doc.confidence["name"] < 0.8


def test_front_address_without_its_label():
    doc = IdCardFrontParser().parse(front_lines(address=[
        line("浙江省杭州市西湖区文三", 160, 268), line("路90号3幢501室", 160, 306)]))
    assert doc.fields["address"] == "浙江省杭州市西湖区文三路90号3幢501室"
    assert doc.confidence["address"] < 0.8


def test_front_birth_line_without_its_label():
    doc = IdCardFrontParser().parse(front_lines(birth=[line("1985年3月15日", 160, 198)]))
    assert doc.fields["birth_date"] == "1985-03-15"
    assert doc.confidence["birth_date"] == 0.99


def test_front_misread_ethnicity_snaps_with_lower_confidence():
    doc = IdCardFrontParser().parse(front_lines(sex=[line("性别男", 60, 130),
                                                     line("民族维吾儿", 280, 130)]))
    assert doc.fields["ethnicity"] == "维吾尔" and doc.confidence["ethnicity"] < 0.8


def test_front_tilted_without_a_located_outline():
    doc = IdCardFrontParser().parse(tilted(front_lines(), 14))
    assert doc.fields["name"] == "王建国" and doc.fields["id_number"] == ID
    assert doc.fields["address"] == "浙江省杭州市西湖区文三路90号3幢501室"


def test_front_with_nothing_readable():
    assert IdCardFrontParser().parse([]).fields == {}


@pytest.mark.parametrize("text,start,until", [
    ("2015.03.01-2035.03.01", "2015-03-01", "2035-03-01"),
    ("2015.03.01一2035.03.01", "2015-03-01", "2035-03-01"),
    ("2015.03.01-长期", "2015-03-01", "long_term"),
    ("20150301-20350301", "2015-03-01", "2035-03-01"),
])
def test_back_fields(text, start, until):
    lines = [line("中华人民共和国", 280, 60), line("居民身份证", 260, 120, h=50),
             line("签发机关", 150, 380), line("杭州市公安局西湖分局", 290, 380),
             line("有效期限", 150, 440), line(text, 290, 440)]
    doc = IdCardBackParser().parse(lines)
    assert doc.fields == {"issuer": "杭州市公安局西湖分局", "valid_from": start, "valid_until": until}
    assert doc.confidence["valid_until"] == 0.99


def test_back_unusual_term_is_doubted():
    lines = [line("有效期限", 150, 440), line("2015.03.01-2035.08.01", 290, 440)]
    doc = IdCardBackParser().parse(lines)
    assert doc.fields["valid_until"] == "2035-08-01" and doc.confidence["valid_until"] < 0.8


def test_back_issuer_without_its_label():
    doc = IdCardBackParser().parse([line("杭州市公安局西湖分局", 290, 380),
                                    line("有效期限", 150, 440), line("2015.03.01-2035.03.01", 290, 440)])
    assert doc.fields["issuer"] == "杭州市公安局西湖分局" and doc.confidence["issuer"] < 0.8


def test_back_dates_without_their_label():
    doc = IdCardBackParser().parse([line("签发机关杭州市公安局", 150, 380),
                                    line("2015.03.01-2025.03.01", 290, 440)])
    assert doc.fields["valid_until"] == "2025-03-01"


def license_lines(representative: str = "法定代表人", address: str = "住所") -> list:
    return [
        line("统一社会信用代码", 60, 60, h=26), line(CODE, 62, 96, h=30),
        line("营业执照", 420, 90, h=90),
        line("名", 60, 300), line("称", 140, 300), line("杭州云帆信息技术有限公司", 220, 300),
        line("注册资本", 760, 300), line("壹佰万元整", 900, 300),
        line("类", 60, 380), line("型", 140, 380), line("有限责任公司(自然人投资或控股)", 220, 380),
        line("成立日期", 760, 380), line("2015年03月01日", 900, 380),
        line(representative, 60, 460), line("王建国", 220, 460),
        line("营业期限", 760, 460), line("2015年03月01日至长期", 900, 460),
        line("经营范围", 60, 540), line("技术开发、技术咨询、技术服务;", 220, 540),
        line("软件开发。(依法须经批准的项目,经相", 220, 576),
        line("关部门批准后方可开展经营活动)", 220, 612),
        line(address, 760, 540), line("浙江省杭州市西湖区文三路", 900, 540),
        line("90号3幢501室", 900, 576),
        line("登记机关", 800, 800), line("2020年01月02日", 900, 860),
    ]


def test_license_two_column_layout():
    doc = BusinessLicenseParser().parse(license_lines())
    assert doc.fields == {
        "credit_code": CODE, "name": "杭州云帆信息技术有限公司",
        "entity_type": "有限责任公司（自然人投资或控股）", "legal_representative": "王建国",
        "established": "2015-03-01", "term_until": "long_term",
        "address": "浙江省杭州市西湖区文三路90号3幢501室", "registered_capital": "壹佰万元整",
        "business_scope": "技术开发、技术咨询、技术服务；软件开发。（依法须经批准的项目，经相关部门批准后"
                          "方可开展经营活动）",
    }


@pytest.mark.parametrize("label", ["负责人", "经营者", "执行事务合伙人", "投资人"])
def test_license_representative_under_other_labels(label):
    doc = BusinessLicenseParser().parse(license_lines(representative=label))
    assert doc.fields["legal_representative"] == "王建国"


def test_license_address_as_business_premises():
    doc = BusinessLicenseParser().parse(license_lines(address="经营场所"))
    assert doc.fields["address"] == "浙江省杭州市西湖区文三路90号3幢501室"


def test_license_code_beside_its_label_with_confusions():
    read = CODE[:8] + CODE[8:].replace("0", "O").replace("1", "I").lower()
    lines = [line("统一社会信用代码 " + read, 60, 60), line("名称杭州云帆信息技术有限公司", 60, 300)]
    doc = BusinessLicenseParser().parse(lines)
    assert doc.fields["credit_code"] == CODE
    assert doc.fields["name"] == "杭州云帆信息技术有限公司"


def test_license_one_column_old_layout():
    lines = [line("注册号", 60, 60), line("名称", 60, 200), line("杭州云帆信息技术有限公司", 200, 200),
             line("住所", 60, 260), line("杭州市西湖区文三路90号", 200, 260),
             line("法定代表人", 60, 320), line("王建国", 200, 320),
             line("统一社会信用代码", 60, 380), line(CODE, 260, 380)]
    doc = BusinessLicenseParser().parse(lines)
    assert doc.fields["name"] == "杭州云帆信息技术有限公司"
    assert doc.fields["address"] == "杭州市西湖区文三路90号"
    assert doc.fields["legal_representative"] == "王建国"
    assert doc.fields["credit_code"] == CODE


def test_license_name_and_type_without_their_labels():
    lines = [line("统一社会信用代码", 60, 60), line(CODE, 62, 96),
             line("杭州云帆信息技术有限公司", 220, 300), line("注册资本", 760, 300),
             line("有限责任公司(自然人独资)", 220, 380), line("成立日期", 760, 380)]
    doc = BusinessLicenseParser().parse(lines)
    assert doc.fields["name"] == "杭州云帆信息技术有限公司"
    assert doc.fields["entity_type"] == "有限责任公司（自然人独资）"
    assert doc.confidence["name"] < 0.8 and doc.confidence["entity_type"] < 0.8


def test_license_tilted():
    doc = BusinessLicenseParser().parse(tilted(license_lines(), -9, centre=(600, 450)))
    assert doc.fields["name"] == "杭州云帆信息技术有限公司"
    assert doc.fields["credit_code"] == CODE
    assert doc.fields["legal_representative"] == "王建国"


WORDS = ["姓名", "性别", "民族", "出生", "住址", "公民身份号码", "名称", "类型", "住所", "经营范围",
         "法定代表人", "统一社会信用代码", "有效期限", "签发机关", "长期", "年", "月", "日", "·", "-",
         ID, CODE, "2015.03.01", "王", "汉", "公司", "自治", "族", "O", "I", "x", " "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
                          st.floats(-50, 2000), st.floats(-50, 1500), st.floats(1, 80),
                          st.floats(0, 1)), max_size=25),
       st.floats(-30, 30))
def test_parsers_never_fail_on_any_reading(items, degrees):
    lines = [line("".join(words), x, y, h=h, confidence=c) for words, x, y, h, c in items]
    lines = tilted(lines, degrees)
    for parser in (IdCardFrontParser(), IdCardBackParser(), BusinessLicenseParser()):
        doc = parser.parse(lines)
        assert set(doc.fields) == set(doc.confidence) == set(doc.boxes)
        assert all(isinstance(value, str) and value for value in doc.fields.values())
