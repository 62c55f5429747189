"""Masking of personal data (个人信息脱敏) in pages, logs and exports.

ID numbers keep their first 6 and last 4 characters (110105********002X), phone
numbers their first 3 and last 4 digits (138****0000). Free text (a finding's
message, an OCR reading, an audit detail) has every ID-number-like and
mobile-number-like run masked in place. Where an expected and an observed number
differ, the characters that differ stay visible in both (433127********1781 against
433127***1****1871 shows why they do not match) without revealing either. A reviewer
may reveal one value for one page view; that is audited by the desk, not here.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pipeline.documents.numbers import valid_resident_id, valid_uscc

STAR = "*"
# Leaf names of the form (and the extracted ID card field) that hold personal data.
PHONE_FIELDS = frozenset({"mobile", "phone2", "emergency_phone"})
ID_FIELDS = frozenset({"cert_number", "id_number"})
PERSONAL_CERT_TYPES = frozenset({"resident_id", "passport", "hk_macao_permit", "tw_permit",
                                 "hk_macao_residence", "tw_residence"})

_BOUNDARY_BEFORE = r"(?<![0-9A-Za-z])"
_BOUNDARY_AFTER = r"(?![0-9A-Za-z])"
# 18-digit resident ID (last may be X) or the old 15-digit one.
_ID_IN_TEXT = re.compile(_BOUNDARY_BEFORE + r"(\d{17}[\dXx]|\d{15})" + _BOUNDARY_AFTER)
# Mainland mobile, optionally with +86 / 86 in front.
_MOBILE_IN_TEXT = re.compile(_BOUNDARY_BEFORE + r"((?:\+?86[- ]?)?1[3-9]\d{9})" + _BOUNDARY_AFTER)
# Landline as the filing system writes it: 086-0571-88888888[-123], or 0571-88888888.
_LANDLINE = re.compile(r"((?:086-)?0\d{2,3}-)(\d{7,8})(-\d{1,6})?")
_LANDLINE_IN_TEXT = re.compile(_BOUNDARY_BEFORE + "(" + _LANDLINE.pattern + ")" + _BOUNDARY_AFTER)


def mask_id_number(value: Any) -> str:
    """110105199001010002X -> 110105********002X; short numbers keep less."""
    text = "" if value is None else str(value).strip()
    if len(text) >= 15:
        return text[:6] + STAR * (len(text) - 10) + text[-4:]
    if len(text) >= 6:
        return text[:1] + STAR * (len(text) - 3) + text[-2:]
    return STAR * len(text)


def mask_phone(value: Any) -> str:
    """13800000000 -> 138****0000: every digit but the first 3 and the last 4 is hidden.
    A landline keeps its area code, a city's, not a person's: 086-0571-****8888."""
    text = "" if value is None else str(value).strip()
    landline = _LANDLINE.fullmatch(text)
    if landline:
        area, number, extension = landline.groups()
        return area + STAR * (len(number) - 4) + number[-4:] + (extension or "")
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if len(digits) < 7:
        return STAR * len(text) if digits else text
    hidden = set(digits[3:-4])
    return "".join(STAR if i in hidden else c for i, c in enumerate(text))


def mask_text(value: Any, shown: Mapping[str, str] | None = None) -> str:
    """Free text with every ID number and phone number in it masked.

    An all-digit unified social credit code (911409818151884467) looks like an ID
    number: one that passes the credit code's check and not the ID's is left shown.
    `shown` gives the mask of a number in dispute (see `disputed_masks`).
    """
    if value is None:
        return ""
    shown = shown or {}
    text = str(value)
    text = _ID_IN_TEXT.sub(lambda m: m.group(1) if _company_code(m.group(1))
                           else shown.get(m.group(1)) or mask_id_number(m.group(1)), text)
    text = _LANDLINE_IN_TEXT.sub(lambda m: mask_phone(m.group(1)), text)
    return _MOBILE_IN_TEXT.sub(lambda m: shown.get(m.group(1)) or mask_phone(m.group(1)), text)


def _first(pattern: re.Pattern, text: str) -> str | None:
    found = [n for n in pattern.findall(text) if not _company_code(n)]
    return found[0] if found else None


def _keeping_differences(number: str, other: str, mask) -> str:
    masked = mask(number)
    return "".join(c if c != d else m for c, d, m in zip(number, other, masked))


def disputed_masks(expected: Any, observed: Any) -> dict[str, str]:
    """number -> mask for the ID or mobile number that `expected` and `observed` each name
    differently (of equal length): the differing characters are left visible in both."""
    masks: dict[str, str] = {}
    for pattern, mask in ((_ID_IN_TEXT, mask_id_number), (_MOBILE_IN_TEXT, mask_phone)):
        one, two = (_first(pattern, "" if t is None else str(t)) for t in (expected, observed))
        if one and two and one != two and len(one) == len(two):
            masks[one] = _keeping_differences(one, two, mask)
            masks[two] = _keeping_differences(two, one, mask)
    return masks


def _company_code(number: str) -> bool:
    return valid_uscc(number) and not valid_resident_id(number)


def is_personal(field: str, *, cert_type: str | None = None) -> bool:
    """Does a form leaf or extracted field of this name hold personal data?"""
    leaf = field.rsplit(".", 1)[-1]
    if leaf in PHONE_FIELDS or leaf == "id_number":
        return True
    if leaf == "cert_number":
        return cert_type is None or cert_type in PERSONAL_CERT_TYPES
    return False


def mask_field(field: str, value: Any, *, cert_type: str | None = None,
               shown: Mapping[str, str] | None = None) -> str:
    """The value of `field` as shown before a reveal (`shown`: masks of disputed numbers)."""
    text = "" if value is None else str(value).strip()
    if shown and text in shown:
        return shown[text]
    leaf = field.rsplit(".", 1)[-1]
    if leaf in PHONE_FIELDS:
        return mask_phone(value)
    if leaf in ID_FIELDS and is_personal(field, cert_type=cert_type):
        return mask_id_number(value)
    return mask_text(value)
