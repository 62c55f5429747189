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
# Single-character ethnicities and the characters OCR reads for them.
ETHNICITY_LOOKALIKES = {"舞": "彝", "彜": "彝", "彞": "彝", "何": "侗", "洞": "侗", "桐": "侗",
                        "摇": "瑶", "谣": "瑶", "遥": "瑶", "状": "壮", "描": "苗", "臧": "藏",
                        "梨": "黎", "犁": "黎", "畬": "畲", "佘": "畲", "瓦": "佤", "差": "羌",
                        "瞒": "满"}
# The financial numerals of a registered capital (壹佰万元整) and common misreads of them.
CAPITAL_NUMERALS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元整角分"
NUMERAL_LOOKALIKES = str.maketrans({"查": "壹", "责": "壹", "壶": "壹", "壷": "壹", "武": "贰",
                                    "弍": "贰", "参": "叁", "叄": "叁", "柴": "柒", "染": "柒",
                                    "拐": "捌", "玫": "玖", "仠": "仟", "什": "仟", "伯": "佰",
                                    "恰": "拾", "陸": "陆", "萬": "万", "億": "亿"})
_AUTONOMOUS = re.compile(r"((?:[\u4e00-\u9fff]{1,6}?族)+)自治")
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


def autonomous_area_names(text: str) -> str:
    """红河哈尼族舞族自治州 -> 红河哈尼族彝族自治州: the peoples an autonomous area
    (自治区/州/县/旗) is named after are official ethnicities; snap misreads to them."""
    return _AUTONOMOUS.sub(lambda m: _snap_peoples(m.group(1)) + "自治", text)


def _snap_peoples(chain: str) -> str:
    tokens = chain.split("族")[:-1]
    return "".join(_snap_people(token) + "族" for token in tokens)


def _snap_people(token: str) -> str:
    if any(token.endswith(name) for name in ETHNICITIES):
        return token
    if token[-1:] in ETHNICITY_LOOKALIKES:
        return token[:-1] + ETHNICITY_LOOKALIKES[token[-1]]
    for size in (4, 3, 2):
        tail = token[-size:]
        close = [name for name in ETHNICITIES
                 if len(name) == len(tail) == size and edit_distance(tail, name) == 1]
        if len(close) == 1:
            return token[:-size] + close[0]
    return token


def capital(text: str) -> str:
    """A capital written in financial numerals, with misread numerals put right."""
    fixed = text.translate(NUMERAL_LOOKALIKES)
    han = [ch for ch in fixed if "\u4e00" <= ch <= "\u9fff"]
    numerals = sum(ch in CAPITAL_NUMERALS for ch in han)
    return fixed if han and numerals >= 0.6 * len(han) else text


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


def place(text: str) -> str:
    """An address, an issuing authority or an entity's name: `plain`, and the peoples
    of autonomous areas spelled as officially named."""
    return autonomous_area_names(plain(text))


def plain(text: str) -> str:
    """Free text (an address, an issuer, a scope) as printed: simplified script, Chinese
    punctuation (OCR and NFKC give ASCII brackets and commas), no stray marks at the ends."""
    return simplified(text).translate(_CHINESE_PUNCTUATION).strip(" ：；，、")
