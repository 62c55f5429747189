"""Made-up companies with a coherent 营业执照 (business license, 2019 edition).

The 统一社会信用代码 (GB 32100) is: registering authority (9 = 市场监管), entity
category (1 = 企业), the 6-digit region code, a 9-character organisation code
(GB 11714, its own check character last) and a check character; both checks
hold, so `stdnum.cn.uscc.validate` accepts every generated code.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, fields

from stdnum.cn import uscc
from stdnum.iso7064 import mod_11_10

from samples.documents import regions
from samples.documents.identity import LongTerm, add_years
from samples.documents.people import business_address, random_name
from samples.documents.trades import BRANDS, INDUSTRIES, Industry

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
ENTITY_TYPES = {
    "有限公司": ("有限责任公司（自然人投资或控股）", "有限责任公司（自然人独资）",
                 "有限责任公司（非自然人投资或控股的法人独资）"),
    "股份有限公司": ("股份有限公司（非上市、自然人投资或控股）",),
}


@dataclass
class CompanyRecord:
    name: str  # 名称
    credit_code: str  # 统一社会信用代码
    entity_type: str  # 类型
    legal_representative: str  # 法定代表人
    address: str  # 住所
    registered_capital: str  # 注册资本, as printed: 壹佰万元整
    established: dt.date  # 成立日期
    term_until: dt.date | LongTerm  # 营业期限 end
    business_scope: str  # 经营范围, one paragraph as printed
    authority: str  # 登记机关
    issued: dt.date | None = None  # the date under the seal; None: the establishment date
    trade_name: str = ""  # 字号, e.g. 云帆 (for site names)
    trade_name_pinyin: str = ""  # e.g. yunfan (for domains)
    registration_number: str = ""  # 注册号, printed before 2015 and on 个体工商户 licenses
    edition: str = "2019"  # "2019" (credit code), "pre2015" (注册号), "individual" (个体工商户)
    composition: str = ""  # 组成形式 of a 个体工商户: 个人经营, 家庭经营


def random_company(rng: random.Random, province: str | None = None, *,
                   as_of: dt.date | None = None, **overrides: object) -> CompanyRecord:
    """A company registered in `province` (any, if None) whose code and dates agree."""
    unknown = set(overrides) - {f.name for f in fields(CompanyRecord)}
    if unknown:
        raise TypeError(f"CompanyRecord has no field(s) {sorted(unknown)}")
    as_of = as_of or dt.date.today()
    region = rng.choice(regions.regions(province))
    brand, pinyin = rng.choice(BRANDS)
    industry = rng.choice(INDUSTRIES)
    form = rng.choices(("有限公司", "股份有限公司"), weights=(9, 1))[0]
    established = _random_day(rng, dt.date(1998, 1, 1), as_of - dt.timedelta(days=60))
    values = dict(
        name=company_name(rng, region, brand, industry, form),
        credit_code=credit_code(rng, region.code, old_style=established.year < 2015),
        entity_type=rng.choice(ENTITY_TYPES[form]),
        legal_representative=random_name(rng, rng.choice(("男", "女"))),
        address=business_address(rng, region), registered_capital=capital_in_words(rng),
        established=established, term_until=_term(rng, established),
        business_scope=business_scope(rng, industry, established),
        authority=authority_for(rng, region),
        issued=_random_day(rng, established, as_of - dt.timedelta(days=7)),
        trade_name=brand, trade_name_pinyin=pinyin)
    values.update(overrides)
    return CompanyRecord(**values)


def random_old_company(rng: random.Random, province: str | None = None, *,
                       as_of: dt.date | None = None) -> CompanyRecord:
    """A company whose license predates the credit code: a 15-digit 注册号 instead."""
    rec = random_company(rng, province, as_of=min(as_of or dt.date.today(), dt.date(2015, 6, 1)))
    region_code = rec.credit_code[2:8]
    rec.registration_number = registration_number(rng, region_code)
    rec.credit_code, rec.edition = "", "pre2015"
    rec.entity_type = rng.choice(("有限责任公司", "有限责任公司（自然人投资或控股）",
                                  "有限责任公司（自然人独资）"))
    return rec


def random_individual(rng: random.Random, province: str | None = None, *,
                      as_of: dt.date | None = None) -> CompanyRecord:
    """A 个体工商户: 经营者, 组成形式, 经营场所; a 注册号 and no credit code, no capital,
    no type and no term printed."""
    rec = random_old_company(rng, province, as_of=as_of)
    place = rec.name[:2]
    trade = rng.choice(("五金店", "便利店", "玻璃机械厂", "服装店", "电脑经营部", "餐馆", "汽车修理厂"))
    rec.name = f"{place}市{rng.choice(('东城', '新桥', '北湖', '南岗'))}{rec.trade_name}{trade}"
    rec.edition, rec.composition = "individual", rng.choice(("个人经营", "家庭经营"))
    rec.entity_type, rec.registered_capital, rec.term_until = "", "", ""
    return rec


def registration_number(rng: random.Random, region_code: str) -> str:
    """注册号 (GS15-2006): region, a 8-digit sequence, an ISO 7064 MOD 11,10 check digit."""
    body = region_code + "".join(rng.choice("0123456789") for _ in range(8))
    return body + mod_11_10.calc_check_digit(body)


def company_name(rng: random.Random, region: regions.Region, brand: str,
                 industry: Industry, form: str) -> str:
    """行政区划 + 字号 + 行业 + 组织形式, e.g. 杭州云帆信息技术有限公司."""
    place = _short_place(region)
    trade = rng.choice(industry.names)
    if rng.random() < 0.1:
        return f"{brand}（{place}）{trade}{form}"
    return f"{place}{brand}{trade}{form}"


def credit_code(rng: random.Random, region_code: str, old_style: bool = False) -> str:
    """A valid USCC; new registrations have an MA-style organisation code."""
    if old_style:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    else:
        body = "MA" + "".join(rng.choice(_USCC_ALPHABET[:-2]) for _ in range(6))
    return with_check_character(f"91{region_code}{body}{_org_check(body)}")


def with_check_character(code17: str) -> str:
    return code17 + uscc.calc_check_digit(code17)


def capital_in_words(rng: random.Random) -> str:
    """注册资本 in 大写 figures, e.g. 伍佰万元整."""
    amount = rng.choice((10, 30, 50, 100, 100, 200, 300, 500, 500, 1000, 1200, 2000, 5000))
    words = f"{chinese_amount(amount)}万元整"
    return f"人民币{words}" if rng.random() < 0.1 else words


def chinese_amount(number: int) -> str:
    """1 <= number < 10000 in 大写: 250 -> 贰佰伍拾, 1050 -> 壹仟零伍拾."""
    units = ("仟", "佰", "拾", "")
    out, pending_zero = "", False
    for digit, unit in zip(f"{number:04d}", units):
        if digit == "0":
            pending_zero = bool(out)
            continue
        out += ("零" if pending_zero else "") + _DIGITS[int(digit)] + unit
        pending_zero = False
    return out


def business_scope(rng: random.Random, industry: Industry, established: dt.date) -> str:
    """经营范围 in the wording of the time (一般项目 since the 2021 catalogue)."""
    items = rng.sample(industry.scope, k=min(len(industry.scope), rng.randint(4, 9)))
    if established.year >= 2021 or rng.random() < 0.3:
        return (f"一般项目：{'；'.join(items)}（除依法须经批准的项目外，凭营业执照依法自主开展"
                f"经营活动）。")
    return f"{'、'.join(items)}。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"


def authority_for(rng: random.Random, region: regions.Region) -> str:
    """登记机关: the district's or the city's 市场监督管理局."""
    city = region.city or region.province
    if region.county.endswith("区") and rng.random() < 0.7:
        return f"{city}{region.county}市场监督管理局"
    if region.county.endswith(("县", "市")):
        return f"{region.county}市场监督管理局"
    return f"{city}市场监督管理局"


def _org_check(body: str) -> str:
    """GB 11714 check character; letters count A=10 ... Z=35."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _short_place(region: regions.Region) -> str:
    """北京 for a 直辖市, 杭州 for a city, the county's name under a 自治州 or 地区."""
    if region.code[:2] in regions.MUNICIPALITIES:
        return _strip_suffix(region.province)
    if region.city.endswith("市"):
        return _strip_suffix(region.city)
    return _strip_suffix(region.county)


def _strip_suffix(place: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "县", "区"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def _term(rng: random.Random, established: dt.date) -> dt.date | LongTerm:
    if rng.random() < 0.7:
        return "long_term"
    return add_years(established, rng.choice((20, 30, 50))) - dt.timedelta(days=1)


def _random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))
