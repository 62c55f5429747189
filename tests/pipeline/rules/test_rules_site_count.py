"""网站数量 per order (seeds/001 3.2 各省市支持备案的网站数量表)."""
from __future__ import annotations

import pytest

# (province, individual?, websites in the order, refused?)
LIMITS = [
    ("湖北省", True, 1, False), ("湖北省", True, 2, True),
    ("湖北省", False, 1, False), ("湖北省", False, 2, True),
    ("湖南省", True, 1, False), ("湖南省", True, 2, True),
    ("湖南省", False, 1, False), ("湖南省", False, 2, True),
    ("陕西省", True, 4, False), ("陕西省", True, 5, True),
    ("陕西省", False, 30, False), ("陕西省", False, 31, True),
    ("河南省", True, 3, False), ("河南省", True, 4, True),
    ("河南省", False, 5, False), ("河南省", False, 6, True),
    ("浙江省", True, 12, False), ("浙江省", False, 40, False),
    ("北京市", False, 40, False), ("广东省", True, 9, False),
]


def order(forms, province, individual, count, filing_type="first_filing"):
    data = forms.individual(province) if individual else forms.unit()
    data["province"] = province
    data["filing_type"] = filing_type
    first = data["websites"][0]
    data["websites"] = [dict(first, name=f"{first['name']}{i}", domain=f"site{i}.cn") for i in range(count)]
    return data


@pytest.mark.parametrize(("province", "individual", "count", "refused"), LIMITS)
def test_sites_per_order(forms, province, individual, count, refused):
    found = forms.rule("site_count.province_limit", order(forms, province, individual, count))
    assert bool(found) is refused
    if refused:
        assert found[0].code == "SITE_COUNT_EXCEEDED" and found[0].observed == str(count)
        assert province in found[0].message


@pytest.mark.parametrize("filing_type", ["new_site_external", "new_site_internal"])
def test_new_site_orders_are_limited_too(forms, filing_type):
    assert forms.rule("site_count.province_limit", order(forms, "湖北省", False, 2, filing_type))


@pytest.mark.parametrize("filing_type", ["access", "change"])
def test_access_and_change_orders_are_not_limited(forms, filing_type):
    assert forms.rule("site_count.province_limit", order(forms, "湖北省", False, 2, filing_type)) == []


def test_shaanxi_units_count_domains(forms):
    found = forms.rule("site_count.province_limit", order(forms, "陕西省", False, 31))
    assert found[0].expected == "<= 30" and "域名" in found[0].message
