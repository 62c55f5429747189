"""地址: same province, the selected province, detail down to the house number."""
from __future__ import annotations

import pytest

from pipeline.findings import Severity
from pipeline.rules.addresses import is_detailed
from pipeline.rules.regions import province_of_address


@pytest.mark.parametrize(("address", "province"), [
    ("浙江省杭州市西湖区文三路 90 号", "浙江省"),
    ("浙江杭州西湖区文三路90号", "浙江省"),
    ("杭州市西湖区文三路 90 号", "浙江省"),
    ("中国浙江省杭州市西湖区", "浙江省"),
    ("北京市朝阳区建国路 88 号", "北京市"),
    ("内蒙古自治区呼和浩特市新城区", "内蒙古自治区"),
    ("广西南宁市青秀区民族大道 1 号", "广西壮族自治区"),
    ("吉林市船营区解放大路 1 号", "吉林省"),
    ("深圳市南山区科技园 1 号", "广东省"),
    ("延边朝鲜族自治州延吉市", "吉林省"),
    ("海南藏族自治州共和县", "青海省"),
    ("海南省海口市美兰区", "海南省"),
    ("西湖区文三路 90 号", None),
])
def test_province_of_address(address, province):
    assert province_of_address(address) == province


@pytest.mark.parametrize(("mail", "cert", "mismatch"), [
    ("浙江省杭州市西湖区文三路 90 号", "浙江省宁波市鄞州区天童南路 1 号", False),
    ("上海市浦东新区世纪大道 100 号", "浙江省杭州市西湖区文三路 90 号", True),
    ("西湖区文三路 90 号", "上海市浦东新区世纪大道 100 号", False),
])
def test_mail_and_certificate_address_in_one_province(forms, mail, cert, mismatch):
    data = forms.unit()
    data["subject"].update(mail_address=mail, cert_address=cert)
    found = forms.rule("addresses.same_province", data)
    assert bool(found) is mismatch
    if mismatch:
        assert (found[0].observed, found[0].expected) == ("上海市", "浙江省")


@pytest.mark.parametrize(("province", "refused"), [("浙江省", False), ("江苏省", True)])
def test_unit_certificate_address_in_selected_province(forms, province, refused):
    data = forms.unit()
    data["province"] = province
    found = forms.rule("addresses.unit_in_province", data)
    assert bool(found) is refused
    assert all(f.code == "ADDRESS_PROVINCE_MISMATCH" and f.severity == Severity.BLOCK for f in found)


def test_individual_elsewhere_is_a_warning(forms):
    data = forms.individual("浙江省")
    data["province"] = "上海市"
    [finding] = forms.rule("addresses.individual_in_province", data)
    assert finding.severity == Severity.WARN
    assert forms.rule("addresses.unit_in_province", data) == []
    assert forms.rule("addresses.individual_in_province", forms.individual("上海市")) == []


@pytest.mark.parametrize(("address", "detailed"), [
    ("浙江省杭州市西湖区文三路 90 号 3 幢 501 室", True),
    ("北京市朝阳区建国路88号", True),
    ("上海市黄浦区南京东路 100 弄 5 号", True),
    ("广东省深圳市南山区科技园 A 栋 1201", True),
    ("四川省成都市武侯区人民南路四段十二号", True),
    ("江苏省南京市鼓楼区中山路 1-3", True),
    ("浙江省杭州市西湖区文三路", False),
    ("浙江省杭州市西湖区", False),
    ("河南省周口市太康县某某乡某某村", False),
    ("文三路 90 号", False),
])
def test_address_detail(forms, address, detailed):
    assert is_detailed(address) is detailed
    data = forms.unit()
    data["subject"]["mail_address"] = address
    found = forms.rule("addresses.detailed", data)
    assert (found == []) is detailed
    if not detailed:
        assert found[0].code == "ADDRESS_NOT_DETAILED" and "此地址已是最详细地址" in found[0].message


@pytest.mark.parametrize("remark", ["此地址已是最详细地址", "主办单位通信地址已为最详细的地址"])
def test_remark_excuses_missing_house_number(forms, remark):
    data = forms.unit()
    data["subject"].update(mail_address="河南省周口市太康县某某乡某某村", remarks=remark)
    assert forms.rule("addresses.detailed", data) == []
