"""Provinces from region codes and addresses (GB/T 2260, `data/regions.json`)."""
from __future__ import annotations

import re
from functools import cache

from pipeline.rules.tables import provinces, table

_COUNTRY = re.compile(r"^(中华人民共和国|中国)")


def province_of_code(region_code: str) -> str | None:
    """The province of a region code's first two digits (33xxxx -> 浙江省)."""
    return _by_code().get(region_code[:2])


def special_region(region_code: str) -> str | None:
    """港澳台 (81/82/83, 71) for the residence permits' 810000/820000/830000 codes."""
    return table("regions")["special_regions"].get(region_code[:2])


def province_of_address(address: str) -> str | None:
    """The province an address opens with: its own name, or a prefecture's.

    None when the address names neither at its start (a bare street address).
    """
    text = _COUNTRY.sub("", re.sub(r"\s+", "", address))
    for name, province in _address_openings():
        if text.startswith(name):
            return province
    return None


def place_names() -> dict[str, str]:
    """Province and prefecture names (full and short) -> province, for name heuristics."""
    exceptions = set(table("site_names")["heuristics"]["place_name_exceptions"])
    return {name: prov for name, prov in _address_openings()
            if len(name) >= 2 and name not in exceptions}


@cache
def _by_code() -> dict[str, str]:
    return {p["code"]: p["name"] for p in provinces()}


@cache
def _address_openings() -> tuple[tuple[str, str], ...]:
    """(name, province) pairs, longest name first so 吉林市 wins over 吉林."""
    pairs: dict[str, str] = {}
    for prov in provinces():
        for name in (prov["name"], prov["short"]):
            pairs[name] = prov["name"]
        for full, short in prov["prefectures"]:
            pairs.setdefault(full, prov["name"])
            pairs.setdefault(short, prov["name"])
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))
