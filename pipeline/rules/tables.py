"""The rule tables of `pipeline/data/`, read on first use.

Every table cites the seed document and section it was taken from, so that a rule
change is a data change. Nothing is read at import time.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def table(name: str) -> dict[str, Any]:
    """`pipeline/data/<name>.json` as a dict."""
    text = resources.files("pipeline").joinpath("data", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def words(section: dict[str, Any]) -> tuple[str, ...]:
    """The `words` of a table section (the seed's own words first, then extensions)."""
    return tuple(section["words"]) + tuple(section.get("extension", ()))


def province_banned_words(province: str) -> tuple[str, ...]:
    """个人网站名称禁用的行业类及经营性词汇 of one province (empty where there is none)."""
    return tuple(table("site_names")["personal"]["province_banned_words"].get(province, ()))


def provinces() -> list[dict[str, Any]]:
    return table("regions")["provinces"]
