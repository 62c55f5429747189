"""Turning the text OCR read after a label into a field value."""
from __future__ import annotations

import datetime as dt
import re

from pipeline.documents.numbers import AS_DIGIT
from pipeline.documents.text import MIDDLE_DOTS, dashes_to_hyphen, edit_distance, simplified

# 中国56个民族 (as printed on the card, without the 族 suffix).
ETHNICITIES = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)
LONG_TERM = "long_term"
_DATE = re.compile(r"(\d{4})\D{0,2}?(\d{1,2})\D{0,2}?(\d{1,2})")
_NOT_NAME = re.compile(rf"[^\u4e00-\u9fffA-Za-z{re.escape(MIDDLE_DOTS)}]")
_DOTS = re.compile(f"[{re.escape(MIDDLE_DOTS)}]+")


def person_name(text: str) -> str:
    """Han characters (and letters) with the middle dot of minority names kept as ·."""
    name = _DOTS.sub("·", _NOT_NAME.sub("", text))
    return name.strip("·")


def ethnicity(text: str) -> tuple[str, bool]:
    """The official name closest to the read, and whether it needed snapping."""
    read = simplified(re.sub(r"[^\u4e00-\u9fff]", "", text)).removesuffix("族")
    if read in ETHNICITIES:
        return read, False
    if not read:
        return "", False
    best = min(ETHNICITIES,
               key=lambda name: (edit_distance(read, name), abs(len(name) - len(read))))
    if edit_distance(read, best) <= max(1, len(best) // 2):
        return best, True
    return read, False


def sex(text: str) -> str:
    for ch in text:
        if ch in "男女":
            return ch
    return ""


def digits(text: str) -> str:
    """Letters OCR reads for digits inside a date or number, mapped back."""
    return "".join(AS_DIGIT.get(ch, ch) for ch in text)


def first_date(text: str) -> dt.date | None:
    dates = all_dates(text)
    return dates[0] if dates else None


def all_dates(text: str) -> list[dt.date]:
    out = []
    for year, month, day in _DATE.findall(digits(dashes_to_hyphen(text))):
        try:
            out.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return out


def compact_dates(text: str) -> list[dt.date]:
    """Dates written without separators (20150301) or with dots, in order."""
    found = all_dates(text)
    if found:
        return found
    out = []
    for run in re.findall(r"\d{8}", digits(text)):
        try:
            out.append(dt.date(int(run[:4]), int(run[4:6]), int(run[6:])))
        except ValueError:
            continue
    return out


def period(text: str) -> tuple[dt.date | None, dt.date | str | None]:
    """`2015.03.01-2035.03.01` or `2015年03月01日至长期` -> (start, end or long_term)."""
    dates = compact_dates(text)
    start = dates[0] if dates else None
    if "长期" in simplified(text) or "永久" in text:
        return start, LONG_TERM
    end = dates[1] if len(dates) > 1 else None
    return start, end


def iso(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else value.isoformat()


_CHINESE_PUNCTUATION = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


def plain(text: str) -> str:
    """Free text (an address, an issuer, a scope) as printed: simplified script, Chinese
    punctuation (OCR and NFKC give ASCII brackets and commas), no stray marks at the ends."""
    return simplified(text).translate(_CHINESE_PUNCTUATION).strip(" ：；，、")
