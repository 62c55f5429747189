"""Resident ID numbers and unified social credit codes: validation and OCR repair.

Both carry a check character, so a read that fails it is wrong somewhere. A
letter where only a digit may stand is mapped back first (O->0, I->1, Z->2, S->5,
B->8, lower-case x->X); then single substitutions between characters that OCR
confuses are tried, and a repair is taken only when exactly one candidate passes
every check. `stdnum.cn.ric.validate` also refuses a region code created after
the birth date, which real cards can carry, so the checks here are our own.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Province-level codes that open a resident ID number (GB/T 2260).
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})
# Letters OCR reads where a digit is printed.
AS_DIGIT = {"O": "0", "o": "0", "D": "0", "Q": "0", "U": "0", "I": "1", "l": "1", "|": "1",
            "i": "1", "L": "1", "!": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8",
            "G": "6", "b": "6", "g": "9", "q": "9", "T": "7", "A": "4", "J": "1"}
# Digits OCR confuses with each other (tried one at a time under the check digit).
DIGIT_NEIGHBOURS = {"0": "869", "1": "74", "2": "7", "3": "885", "4": "1", "5": "63",
                    "6": "58", "7": "12", "8": "3690", "9": "80"}
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Letters outside the code's alphabet, or easily confused inside it.
USCC_AS_ALPHABET = {"O": "0", "I": "1", "Z": "2", "S": "5", "V": "U"}
USCC_NEIGHBOURS = {"0": "DQ", "D": "0", "Q": "0", "8": "B", "B": "8", "6": "G", "G": "6",
                   "1": "7", "7": "1T", "T": "7", "4": "A", "A": "4", "U": "W", "W": "U",
                   "M": "N", "N": "MH", "H": "N", "2": "Z", "5": "S"}


@dataclass(frozen=True)
class Repair:
    """A number as read, as repaired, and how sure the repair is."""

    raw: str
    value: str
    valid: bool
    repaired: bool = False  # changed beyond letter-for-digit mapping
    ambiguous: bool = False  # several repairs would pass the check


# --- resident ID (公民身份号码) ---------------------------------------------------

def id_check_char(first17: str) -> str:
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def id_birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def id_sex(number: str) -> str | None:
    return ("男" if int(number[16]) % 2 else "女") if len(number) >= 17 and number[16].isdigit() \
        else None


def valid_resident_id(number: str, *, today: dt.date | None = None) -> bool:
    """Format, province, a real birth date not in the future, and the check digit."""
    if not re.fullmatch(r"\d{17}[\dX]", number or "") or number[:2] not in PROVINCE_CODES:
        return False
    born = id_birth_date(number)
    if born is None or born.year < 1900 or (today is not None and born > today):
        return False
    return id_check_char(number[:17]) == number[17]


def repair_resident_id(raw: str, *, birth_hint: str | None = None) -> Repair:
    """The most likely 18-character ID number in an OCR read, or the read itself.

    `birth_hint` (YYYYMMDD, the printed 出生 date) settles a repair inside the
    birth date part; it says nothing about the other digits.
    """
    mapped = id_as_read(raw)
    if valid_resident_id(mapped):
        return Repair(raw, mapped, True)
    candidates = sorted({c for c in _id_variants(mapped) if valid_resident_id(c)})
    if birth_hint and len(mapped) == 18 and mapped[6:14] != birth_hint:
        confirmed = sorted({c for c in candidates + _with_birth(mapped, birth_hint)
                            if c[6:14] == birth_hint and valid_resident_id(c)})
        if len(confirmed) == 1:
            return Repair(raw, confirmed[0], True, repaired=True)
    if len(candidates) == 1 and (not birth_hint or candidates[0][6:14] == birth_hint):
        return Repair(raw, candidates[0], True, repaired=True)  # and the printed 出生 agrees
    return Repair(raw, mapped, False, ambiguous=len(candidates) > 1)


def find_resident_id(text: str) -> str | None:
    """An 18-character run in `text` that looks like an ID number (before repair)."""
    for run in re.findall(r"(?<![0-9A-Za-z])[0-9A-Za-z|!×]{17,19}(?![0-9A-Za-z])",
                          text.replace(" ", "")):
        if sum(ch.isdigit() for ch in run) >= 14:
            return run
    return None


def id_as_read(raw: str) -> str:
    """The characters of an ID number as OCR read them, letters read for digits mapped back,
    nothing else changed."""
    return _map_id(_id_characters(raw))


def _id_characters(raw: str) -> str:
    return re.sub(r"[^0-9A-Za-z|!×]", "", raw or "")


def _map_id(text: str) -> str:
    body = "".join(AS_DIGIT.get(ch, ch) for ch in text[:17])
    tail = text[17:]
    tail = "X" if tail[:1] in ("x", "X", "×", "K", "k", "Y") else "".join(
        AS_DIGIT.get(ch, ch) for ch in tail)
    return body + tail


def _with_birth(mapped: str, birth_hint: str | None) -> list[str]:
    """The printed 出生 date put into the number, where they differ in a digit or two."""
    if not birth_hint or len(mapped) != 18:
        return []
    differing = sum(a != b for a, b in zip(mapped[6:14], birth_hint))
    return [mapped[:6] + birth_hint + mapped[14:]] if 0 < differing <= 2 else []


def _id_variants(mapped: str) -> list[str]:
    if len(mapped) == 19:  # a doubled character (CTC), or a stray one at either end
        doubled = [mapped[:i] + mapped[i + 1:] for i in range(1, 19) if mapped[i] == mapped[i - 1]]
        return doubled + [mapped[1:], mapped[:-1]]
    if len(mapped) != 18:
        return []
    out = []
    for i, ch in enumerate(mapped):
        out.extend(mapped[:i] + alt + mapped[i + 1:] for alt in DIGIT_NEIGHBOURS.get(ch, ""))
    return out


# --- unified social credit code (统一社会信用代码) ----------------------------------

def uscc_check_char(first17: str) -> str:
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, weights))
    return USCC_ALPHABET[(31 - total) % 31]


def valid_uscc(code: str) -> bool:
    """GB 32100: authority and type, six region digits, organisation code, check char."""
    if not re.fullmatch(rf"[1-9A-HJ-NP-RTUWXY][1-9]\d{{6}}[{USCC_ALPHABET}]{{10}}", code or ""):
        return False
    return uscc_check_char(code[:17]) == code[17]


def organisation_code_ok(code: str) -> bool:
    """The GB 11714 check inside positions 9-17; used only to break ties."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    body, check = code[8:16], code[16]
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    c = 11 - sum(v * w for v, w in zip(values, weights)) % 11
    return check == {10: "X", 11: "0"}.get(c, str(c))


def repair_uscc(raw: str) -> Repair:
    text = re.sub(r"[^0-9A-Za-z]", "", raw or "").upper()
    mapped = _map_uscc(text)
    if valid_uscc(mapped):
        return Repair(raw, mapped, True)
    candidates = [c for c in _uscc_variants(mapped) if valid_uscc(c)]
    if len(candidates) > 1:
        candidates = [c for c in candidates if organisation_code_ok(c)] or candidates
    if len(candidates) == 1:
        return Repair(raw, candidates[0], True, repaired=True)
    return Repair(raw, mapped, False, ambiguous=len(candidates) > 1)


def find_uscc(text: str) -> str | None:
    return _find_run(text, "{17,19}", min_digits=8)


def _find_run(text: str, length: str, *, min_digits: int) -> str | None:
    """The first run of `length` letters and digits standing alone, mostly digits."""
    pattern = rf"(?<![0-9A-Za-z])[0-9A-Za-z]{length}(?![0-9A-Za-z])"
    for run in re.findall(pattern, text.replace(" ", "")):
        if sum(ch.isdigit() for ch in run) >= min_digits:
            return run
    return None


def _map_uscc(text: str) -> str:
    head = "".join(AS_DIGIT.get(ch, ch) for ch in text[1:8])
    first = text[:1] if text[:1] in USCC_ALPHABET else AS_DIGIT.get(text[:1], text[:1])
    tail = "".join(USCC_AS_ALPHABET.get(ch, ch) for ch in text[8:])
    return first + head + tail


def _uscc_variants(mapped: str) -> list[str]:
    if len(mapped) == 19:
        doubled = [mapped[:i] + mapped[i + 1:] for i in range(1, 19) if mapped[i] == mapped[i - 1]]
        return doubled + [mapped[1:], mapped[:-1]]
    if len(mapped) != 18:
        return []
    singles = []
    for i, ch in enumerate(mapped):
        singles.extend(mapped[:i] + alt + mapped[i + 1:] for alt in _uscc_options(i, ch))
    return singles


def _uscc_options(position: int, ch: str) -> str:
    if 1 <= position <= 7:
        return DIGIT_NEIGHBOURS.get(ch, "")
    return USCC_NEIGHBOURS.get(ch, "")


# --- registration number (注册号), printed before the 2015 credit codes -------------

def valid_registration_number(number: str) -> bool:
    """GB/T 17710 (ISO 7064 MOD 11,10): fifteen digits, the last a check digit."""
    from stdnum.iso7064 import mod_11_10

    return bool(re.fullmatch(r"\d{15}", number or "")) and mod_11_10.is_valid(number)


def repair_registration_number(raw: str) -> Repair:
    """Letters read for digits mapped back; one confusable digit swapped if the check
    then passes in exactly one way."""
    mapped = "".join(AS_DIGIT.get(ch, ch) for ch in re.sub(r"[^0-9A-Za-z|!]", "", raw or ""))
    if valid_registration_number(mapped):
        return Repair(raw, mapped, True)
    candidates = [mapped[:i] + alt + mapped[i + 1:] for i, ch in enumerate(mapped)
                  for alt in DIGIT_NEIGHBOURS.get(ch, "")] if len(mapped) == 15 else []
    passing = [c for c in candidates if valid_registration_number(c)]
    if len(passing) == 1:
        return Repair(raw, passing[0], True, repaired=True)
    return Repair(raw, mapped, False, ambiguous=len(passing) > 1)


def find_registration_number(text: str) -> str | None:
    """A run of fifteen digits (letters read for some of them allowed), alone."""
    return _find_run(text, "{15}", min_digits=13)
