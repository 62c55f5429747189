"""Certificate number checks as plain functions: each returns the problems found, in Chinese.

居民身份证 (GB 11643) and 港澳台居民居住证 use the ISO 7064 MOD 11-2 check digit of
`stdnum.cn.ric`; the birth date is checked here rather than by `ric.validate`, which
also refuses a region code newer than the birth date — real numbers have those
(a district created after the holder was born issues their first card).
统一社会信用代码 follows GB 32100 with the check digit of `stdnum.cn.uscc`.
"""
from __future__ import annotations

import datetime as dt
import re

from stdnum.cn import ric, uscc

from pipeline.rules.regions import province_of_code

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_DEPARTMENTS = "123456789ANY"  # 登记管理部门代码 (GB 32100 附录 A)
RESIDENCE_PREFIXES = {"hk_macao_residence": ("810000", "820000"), "tw_residence": ("830000",)}
# Formats of the other personal certificates (upper case only).
OTHER_FORMATS = {
    "hk_macao_permit": (re.compile(r"^[HM]\d{8}(\d{2})?$"), "H 或 M 加 8 位（旧版 10 位）数字"),
    "tw_permit": (re.compile(r"^\d{8}(\d{2})?$"), "8 位（旧版 10 位）数字"),
    "passport": (re.compile(r"^[A-Z0-9]{6,17}$"), "6-17 位大写字母或数字"),
}


def resident_id_problems(number: str, today: dt.date, prefixes: tuple[str, ...] = ()) -> list[str]:
    """Problems of an 18-digit 居民身份证号码 (or a 居住证号码 with `prefixes`)."""
    if "x" in number:
        return ["末位字母 X 须大写"] + resident_id_problems(number.upper(), today, prefixes)
    if len(number) != 18:
        return [f"应为 18 位，实际为 {len(number)} 位"]
    if not number[:17].isdigit() or number[17] not in "0123456789X":
        return ["前 17 位须为数字，末位为数字或大写 X"]
    problems = _region_problems(number, prefixes) + _birth_problems(number, today)
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        problems.append(f"校验位不符（按前 17 位计算末位应为 {expected}）")
    return problems


def _region_problems(number: str, prefixes: tuple[str, ...]) -> list[str]:
    if prefixes:
        ok = number.startswith(prefixes)
        return [] if ok else [f"居住证号码须以 {'/'.join(prefixes)} 开头"]
    if province_of_code(number) is None:
        return [f"前两位 {number[:2]} 不是有效的省级行政区划代码"]
    return []


def _birth_problems(number: str, today: dt.date) -> list[str]:
    try:
        born = ric.get_birth_date(number)
    except Exception:
        return [f"出生日期 {number[6:14]} 不是有效日期"]
    if born > today or born.year < 1900:
        return [f"出生日期 {born} 不合理"]
    return []


def uscc_problems(number: str) -> list[str]:
    """Problems of a 统一社会信用代码 (GB 32100)."""
    if number != number.upper():
        return ["字母须大写"] + uscc_problems(number.upper())
    if len(number) != 18:
        return [f"应为 18 位，实际为 {len(number)} 位"]
    if any(c not in USCC_ALPHABET for c in number):
        return ["只能由数字和除 I、O、Z、S、V 以外的大写字母组成"]
    problems = []
    if number[0] not in USCC_DEPARTMENTS:
        problems.append(f"首位登记管理部门代码 {number[0]} 无效")
    if not number[2:8].isdigit():
        problems.append("第 3-8 位登记管理机关行政区划码须为数字")
    expected = uscc.calc_check_digit(number)
    if number[17] != expected:
        problems.append(f"校验位不符（按前 17 位计算末位应为 {expected}）")
    return problems


def other_cert_problems(cert_type: str, number: str) -> list[str]:
    """Problems of a passport or 港澳/台湾 travel permit number (format only)."""
    pattern, shape = OTHER_FORMATS[cert_type]
    if pattern.match(number):
        return []
    if pattern.match(number.upper()):
        return ["字母须大写"]
    return [f"格式应为{shape}"]


def cert_problems(cert_type: str, number: str, today: dt.date) -> list[str]:
    number = number.strip()
    if cert_type == "resident_id":
        return resident_id_problems(number, today)
    if cert_type in RESIDENCE_PREFIXES:
        return resident_id_problems(number, today, RESIDENCE_PREFIXES[cert_type])
    if cert_type in OTHER_FORMATS:
        return other_cert_problems(cert_type, number)
    return uscc_problems(number)


def is_format_only(cert_type: str) -> bool:
    """Checked by shape alone (no check digit): a problem there is a warning."""
    return cert_type in OTHER_FORMATS
