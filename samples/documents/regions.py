"""Administrative divisions (行政区划代码) for ID numbers, credit codes and addresses.

Read from the region table that python-stdnum ships (`stdnum/cn/loc.dat`), the
same table `stdnum.cn.ric.validate` checks a birth place against, so a generated
ID number always validates. Only divisions that still exist are used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_LINE = re.compile(r'^(\s*)(\d+) (?:province|county)="(.*)"$')
_PERIOD = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
_MAINLAND = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35",
             "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
             "61", "62", "63", "64", "65")
MUNICIPALITIES = ("11", "12", "31", "50")  # 直辖市: no city level in an address
# 省会 area codes (区号) for a landline in the form, by province code.
AREA_CODES = {
    "11": "010", "12": "022", "13": "0311", "14": "0351", "15": "0471", "21": "024",
    "22": "0431", "23": "0451", "31": "021", "32": "025", "33": "0571", "34": "0551",
    "35": "0591", "36": "0791", "37": "0531", "41": "0371", "42": "027", "43": "0731",
    "44": "020", "45": "0771", "46": "0898", "50": "023", "51": "028", "52": "0851",
    "53": "0871", "54": "0891", "61": "029", "62": "0931", "63": "0971", "64": "0951",
    "65": "0991",
}


@dataclass(frozen=True)
class Region:
    """A county-level division (区/县/县级市) with the names above it."""

    code: str  # 6 digits, e.g. "330106"
    province: str  # 浙江省
    city: str  # 杭州市; "" under a 直辖市 or for a 省直辖 county-level city
    county: str  # 西湖区
    since: int  # first year the code was in use (0: before the table starts)

    @property
    def prefix(self) -> str:
        """The address up to the county: 浙江省杭州市西湖区."""
        return f"{self.province}{self.city}{self.county}"

    @property
    def city_or_province(self) -> str:
        return self.city or self.province


def regions(province: str | None = None, born: int | None = None) -> tuple[Region, ...]:
    """Current county-level divisions, optionally of one province and in use by `born`."""
    chosen = _all_regions()
    if province is not None:
        chosen = tuple(r for r in chosen if r.province == province)
        if not chosen:
            raise KeyError(f"no divisions known for province {province!r}")
    if born is not None:
        chosen = tuple(r for r in chosen if r.since <= born) or chosen[:0]
    return chosen


def region_of(code: str) -> Region | None:
    return _by_code().get(code[:6])


def province_of_code(code: str) -> str | None:
    return _tables()[0].get(code[:2])


@cache
def _by_code() -> dict[str, Region]:
    return {r.code: r for r in _all_regions()}


@cache
def _all_regions() -> tuple[Region, ...]:
    provinces, names = _tables()
    found = []
    for code, (name, since, current) in names.items():
        if not current or code.endswith("00") or code[:2] not in _MAINLAND:
            continue
        if name in ("市辖区", "县", "市") or "直辖" in name:
            continue
        found.append(Region(code, provinces[code[:2]], _city_name(code, names), name, since))
    return tuple(sorted(found, key=lambda r: r.code))


def _city_name(code: str, names: dict[str, tuple[str, int, bool]]) -> str:
    if code[:2] in MUNICIPALITIES:
        return ""
    city = names.get(code[:4] + "00", ("", 0, False))[0]
    return "" if "直辖" in city or not city.endswith(("市", "州", "盟", "地区")) else city


@cache
def _tables() -> tuple[dict[str, str], dict[str, tuple[str, int, bool]]]:
    """(province code -> name, county code -> (name, since, still current))."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    provinces: dict[str, str] = {}
    names: dict[str, tuple[str, int, bool]] = {}
    province = ""
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        indent, code, value = match.groups()
        if not indent:
            province = code
            provinces[code] = value
        else:
            names[province + code] = _latest_name(value)
    return provinces, names


def _latest_name(value: str) -> tuple[str, int, bool]:
    """The last name in `[1985-1986]滨海区,[1987-]北仑区` with its start and openness."""
    last = value.split(",")[-1]
    period = _PERIOD.match(last)
    if not period:
        return last, 0, True
    start, end, name = period.groups()
    return name, int(start or 0), not end
