"""Normalising names and turning label values into field values."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.documents import values
from pipeline.documents.text import (dashes_to_hyphen, edit_distance, normalize_name,
                                     simplified, squash)


@pytest.mark.parametrize("a,b", [
    ("艾合买提·买买提", "艾合买提•买买提"),
    ("艾合买提·买买提", "艾合买提・买买提"),
    ("艾合买提·买买提", "艾合买提.买买提"),
    ("王建国", "王 建 国"),
    ("王建国", "王建國"),  # traditional script, as PP-OCRv6 sometimes reads
    ("杭州云帆（分公司）", "杭州云帆(分公司)"),
    ("ＡＢＣ科技有限公司", "ABC科技有限公司"),
])
def test_names_that_compare_equal(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize("a,b", [("王建国", "王健国"), ("艾合买提·买买提", "艾合买提买买")])
def test_names_that_differ(a, b):
    assert normalize_name(a) != normalize_name(b)


def test_shown_values_convert_only_traditional_forms_outside_gb2312():
    assert simplified("艾合買提·買買提 漢 維吾爾") == "艾合买提·买买提 汉 维吾尔"
    assert simplified("於乾昇") == "於乾昇"  # real name characters stay as printed
    assert normalize_name("於乾") == normalize_name("于干")  # but compare equal


def test_squash_and_dashes():
    assert squash("公民身份号码　３３０１") == "公民身份号码3301"
    assert dashes_to_hyphen("2015.03.01一2035.03.01") == "2015.03.01-2035.03.01"
    assert edit_distance("维吾尔", "维吾儿") == 1


def test_person_name_keeps_the_middle_dot_only():
    assert values.person_name("艾合买提•买买提:") == "艾合买提·买买提"
    assert values.person_name("·张三") == "张三"


@pytest.mark.parametrize("read,official,snapped", [
    ("汉", "汉", False), ("漢", "汉", False), ("汉族", "汉", False), ("维吾尔", "维吾尔", False),
    ("维吾儿", "维吾尔", True), ("蒙古族", "蒙古", False), ("柯尔克孜", "柯尔克孜", False),
])
def test_ethnicity_snaps_to_the_56_official_names(read, official, snapped):
    assert values.ethnicity(read) == (official, snapped)
    assert len(values.ETHNICITIES) == 56 == len(set(values.ETHNICITIES))


def test_sex():
    assert values.sex("女") == "女" and values.sex("男)") == "男" and values.sex("X") == ""


@pytest.mark.parametrize("text,start,end", [
    ("2015.03.01-2035.03.01", dt.date(2015, 3, 1), dt.date(2035, 3, 1)),
    ("2015.03.01一2035.03.01", dt.date(2015, 3, 1), dt.date(2035, 3, 1)),
    ("2015.03.01—长期", dt.date(2015, 3, 1), "long_term"),
    ("2015.O3.01-2035.O3.0l", dt.date(2015, 3, 1), dt.date(2035, 3, 1)),
    ("20150301-20350301", dt.date(2015, 3, 1), dt.date(2035, 3, 1)),
    ("2015年03月01日至2045年02月28日", dt.date(2015, 3, 1), dt.date(2045, 2, 28)),
    ("2015年03月01日至长期", dt.date(2015, 3, 1), "long_term"),
    ("长期", None, "long_term"),
])
def test_period(text, start, end):
    assert values.period(text) == (start, end)


def test_first_date_with_spaces_and_units():
    assert values.first_date("1985年3月15日") == dt.date(1985, 3, 15)
    assert values.first_date("1985 年 3 月 15 日".replace(" ", "")) == dt.date(1985, 3, 15)
    assert values.first_date("1985年13月15日") is None


def test_plain_text_uses_chinese_punctuation():
    assert values.plain("有限责任公司(自然人投资或控股)") == "有限责任公司（自然人投资或控股）"
    assert values.plain("销售;咨询,服务:") == "销售；咨询，服务"


@pytest.mark.parametrize("read,printed", [
    ("云南省红河哈尼族舞族自治州石屏县", "云南省红河哈尼族彝族自治州石屏县"),
    ("漾濞舞族自治县公安局", "漾濞彝族自治县公安局"),
    ("贵州省黔东南苗族何族自治州", "贵州省黔东南苗族侗族自治州"),
    ("新疆伊犁哈萨客族自治州", "新疆伊犁哈萨克族自治州"),
    ("湖南省湘西土家族苗族自治州", "湖南省湘西土家族苗族自治州"),
    ("宁夏银川市民族北街", "宁夏银川市民族北街"),
])
def test_peoples_of_autonomous_areas_are_spelled_officially(read, printed):
    assert values.place(read) == printed


@pytest.mark.parametrize("read,printed", [
    ("查佰万元整", "壹佰万元整"), ("责拾万元整", "壹拾万元整"), ("人民币叁佰万元整", "人民币叁佰万元整"),
    ("100万元人民币", "100万元人民币"), ("伍佰万美元", "伍佰万美元"),
])
def test_capital_numerals(read, printed):
    assert values.capital(read) == printed
