"""个人网站命名要求 (附录二), province by province.

The province table is copied here as the seed prints it, so a word lost from
`pipeline/data/site_names.json` fails a test.
"""
from __future__ import annotations

import pytest

from pipeline.findings import Severity
from pipeline.form import PROVINCES

SEED_TABLE = """
北京市|合伙、评论、中心、售后、学院、社团、博客、论坛、社区、返现、团购。
广东省|媒体、股票、证券、彩票、体彩、刮刮乐、导航、论坛、社区、交流 、商城、交易、返现、批发、利润、商务。
浙江省|工作室、官网、行业、电商、企业、工坊、中心、产业、农业、养殖、股票、证券、彩票、体彩、刮刮乐、博客、论坛、在线、社区。
河南省|合伙、框架、大众、维修、设计、沙龙、艺术、评论、工作室、官网、服务、转让、品牌、排行榜、行业、宣传、电商、报价、企业、管理、工坊、传播、中心、交流、咨询、投资、售后、学院、贸易、旗舰、产业、农业、传媒、管理、系统、媒体、股票、证券、彩票、体彩、刮刮乐、工作室、热线、社团、导航、论坛、在线、社区、交流、营销、商城、交易、折扣、定做、定制、购、返现、购物、贸易、导购、淘宝、网淘、阿里、诚信通、旺铺、网购、批发、市场、利润、团购、易购、商务。
辽宁省|合伙、大众、维修、沙龙、工作室、互联、官网、品牌、行业、宣传、电商、企业、管理、工坊、传播、咨询、投资、贸易、产业、养殖、传媒、媒体、股票、证券、彩票、体彩、咨询、网络、网址、平台、论坛、站长网、商城、交易、折扣、购、购物、返现、易购、淘宝、网淘、网购、旺铺、团购。
湖北省|官网、行业、电商、企业、学院、论坛、商城、团购。
宁夏回族自治区|网、技术、信息、工作室、资讯、网站、网络、网址、爱好者、作品展示、工作室、平台、主页、热线、社团、导航、博客、论坛、在线、社区、交流、网站、营销、商城、交易、折扣、定做、定制、购、返现、购物、贸易、导购、淘宝、网淘、阿里、诚信通、旺铺、网购、批发、市场、利润、团购、易购、商务。
河北省|工作室、官网、企业、中心、学院、彩票、体彩、刮刮乐、工作室、社团、论坛、社区、商城、淘宝、团购。
贵州省|评论、信息、互联、官网、排行榜、行业、宣传、电商、售后、学院、传媒、媒体、股票、证券、彩票、体彩、刮刮乐、资讯、网址、平台、主页、热线、导航、博客、论坛、在线、社区、交流、营销、商城、交易、折扣、购、返现、购物、导购、淘宝、网淘、旺铺、网购、批发、团购、易购。
湖南省|官网、电商、报价、企业、售后、学院、产业、媒体、博客、论坛、营销、商城、交易、折扣、定做、定制、购、返现、购物、贸易、导购、淘宝、网淘、阿里、诚信通、旺铺、网购、批发、市场、利润、团购、易购、商务。
内蒙古自治区|学院、股票、证券、彩票、体彩、刮刮乐、导航、博客、论坛、在线、营销、商城、交易、折扣、购、返现、购物、导购、淘宝、网淘、网购、利润、团购、易购。
"""


def seed_table() -> dict[str, list[str]]:
    out = {}
    for line in SEED_TABLE.strip().splitlines():
        province, words = line.split("|")
        out[province] = list(dict.fromkeys(w.strip() for w in words.rstrip("。").split("、")))
    return out


BANNED = seed_table()
REFUSED = [(p, w) for p, words in BANNED.items() for w in words]
ACCEPTED_NAMES = ["山水摄影随笔", "读书笔记分享", "家常菜谱记录"]
ACCEPTED = [(p, n) for p in PROVINCES if p != "江苏省" for n in ACCEPTED_NAMES]


def _personal(forms, province, name):
    data = forms.individual(province)
    data["websites"][0]["name"] = name
    return data


@pytest.mark.parametrize(("province", "word"), REFUSED)
def test_province_banned_word_is_refused(forms, province, word):
    found = forms.rule("site_name.province_banned_word", _personal(forms, province, f"山水{word}随笔"))
    assert [f.observed for f in found] == [word]
    finding = found[0]
    assert (finding.code, finding.severity) == ("SITE_NAME_FORBIDDEN_WORD", Severity.BLOCK)
    assert finding.field == "websites[0].name"
    assert province in finding.message and word in finding.message


@pytest.mark.parametrize("province", list(BANNED))
def test_province_words_are_free_where_not_listed(forms, province):
    name = "山水" + "".join(BANNED[province][:3]) + "随笔"
    assert forms.rule("site_name.province_banned_word", _personal(forms, "上海市", name)) == []


@pytest.mark.parametrize("province", list(BANNED))
def test_province_words_bind_only_personal_sites(forms, province):
    data = forms.unit()
    data["province"] = province
    data["websites"][0]["name"] = "云帆信息" + BANNED[province][0]
    assert forms.rule("site_name.province_banned_word", data) == []


@pytest.mark.parametrize(("province", "name"), ACCEPTED)
def test_plain_personal_name_is_accepted_in_every_province(forms, province, name):
    assert forms.blocks(_personal(forms, province, name)) == []


@pytest.mark.parametrize(("name", "rule", "word"), [
    ("李明的个人空间", "site_name.personal_generic_word", "个人空间"),
    ("摄影资讯分享", "site_name.personal_generic_word", "资讯"),
    ("山水摄影网站", "site_name.personal_generic_word", "网站"),
    ("山水摄影网络", "site_name.personal_generic_word", "网络"),
    ("摄影爱好者之家", "site_name.personal_generic_word", "爱好者"),
    ("摄影作品展示", "site_name.personal_generic_word", "作品展示"),
    ("山水摄影工作室", "site_name.personal_generic_word", "工作室"),
    ("摄影交友平台", "site_name.personal_generic_word", "平台"),
    ("山水摄影主页", "site_name.personal_generic_word", "主页"),
    ("摄影导航大全", "site_name.personal_generic_word", "导航"),
    ("山水摄影博客", "site_name.personal_pre_approval_word", "博客"),
    ("山水摄影论坛", "site_name.personal_pre_approval_word", "论坛"),
    ("山水摄影在线", "site_name.personal_pre_approval_word", "在线"),
    ("摄影爱好社区", "site_name.personal_pre_approval_word", "社区"),
    ("摄影技巧交流", "site_name.personal_pre_approval_word", "交流"),
    ("山水摄影公司", "site_name.personal_company_word", "公司"),
    ("山水摄影官网", "site_name.personal_company_word", "官网"),
    ("山水摄影商城", "site_name.personal_company_word", "商城"),
    ("山水摄影集团", "site_name.personal_company_word", "集团"),
])
def test_personal_site_words_block(forms, name, rule, word):
    found = forms.rule(rule, _personal(forms, "上海市", name))
    assert [f.observed for f in found] == [word]
    assert found[0].severity == Severity.BLOCK and found[0].code == "SITE_NAME_FORBIDDEN_WORD"


@pytest.mark.parametrize(("name", "rule", "word"), [
    ("山水摄影科技", "site_name.personal_industry_word", "科技"),
    ("家庭理财笔记", "site_name.personal_industry_word", "理财"),
    ("李明摄影随笔", "site_name.personal_name", "李明"),
    ("摄影师李明的随笔", "site_name.personal_name", "李明"),
    ("杭州美食记录", "site_name.place_name", "杭州"),
    ("四川美食记录", "site_name.place_name", "四川"),
    ("延边美食记录", "site_name.place_name", "延边"),
    ("一帆风顺摄影", "site_name.idiom", "一帆风顺"),
    ("天道酬勤笔记", "site_name.idiom", "天道酬勤"),
])
def test_personal_site_heuristics_warn(forms, name, rule, word):
    found = forms.rule(rule, _personal(forms, "上海市", name))
    assert [f.observed for f in found] == [word]
    assert found[0].severity == Severity.WARN


@pytest.mark.parametrize("name", ["长治久安笔记", "大庆祝福随笔", "中山装收藏记"])
def test_common_words_are_not_taken_for_places(forms, name):
    assert forms.rule("site_name.place_name", _personal(forms, "上海市", name)) == []


def test_bulletin_pre_approval_allows_forum_words(forms):
    data = _personal(forms, "上海市", "山水摄影论坛")
    data["websites"][0]["pre_approvals"] = ["bulletin"]
    data["materials"].append({"kind": "pre_approval", "file": "bbs.pdf"})
    assert forms.rule("site_name.personal_pre_approval_word", data) == []


def test_unit_sites_may_use_personal_site_words(forms):
    data = forms.unit()
    data["websites"][0]["name"] = "云帆信息技术论坛平台"
    for rule in ("site_name.personal_generic_word", "site_name.personal_pre_approval_word"):
        assert forms.rule(rule, data) == []


def test_longest_banned_word_is_named(forms):
    found = forms.rule("site_name.province_banned_word", _personal(forms, "河南省", "山水团购随笔"))
    assert [f.observed for f in found] == ["团购"]


@pytest.mark.parametrize(("name", "ok"), [
    ("李明的个人博客", True),
    ("李明的个人主页", True),
    ("欧阳小明的个人博客", True),
    ("李明的博客", False),
    ("李明的个人网站", False),
    ("山水摄影随笔", False),
    ("的个人博客", False),
])
def test_jiangsu_allows_only_its_templates(forms, name, ok):
    found = forms.rule("site_name.province_template", _personal(forms, "江苏省", name))
    assert (found == []) is ok
    if not ok:
        assert found[0].code == "SITE_NAME_INVALID" and "某某的个人博客" in found[0].expected


def test_jiangsu_template_names_pass_every_rule(forms):
    assert forms.blocks(_personal(forms, "江苏省", "李明的个人主页")) == []


def test_jiangsu_asks_for_content_in_remarks(forms):
    data = _personal(forms, "江苏省", "李明的个人博客")
    data["subject"]["remarks"] = ""
    found = forms.rule("site_name.province_template", data)
    assert [(f.field, f.severity) for f in found] == [("subject.remarks", Severity.WARN)]


def test_other_provinces_have_no_template(forms):
    assert forms.rule("site_name.province_template", _personal(forms, "浙江省", "山水摄影随笔")) == []
