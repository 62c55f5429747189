"""Text normalisation for OCR output and for comparing names with the form."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The middle dot of minority and foreign names (间隔号), as OCR and keyboards write it.
MIDDLE_DOTS = "·•・‧∙⋅.．"
_DOTS = re.compile(f"[{re.escape(MIDDLE_DOTS)}]+")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"[‐‑‒–—―﹣－~～一]")


def squash(text: str) -> str:
    """Full width to half width (NFKC) and no whitespace: how labels and values compare."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def simplified(text: str) -> str:
    """Text as printed in the mainland, where OCR read a traditional form (漢 for 汉).

    Conservative, for the values shown to a reviewer: a character changes only if it
    is outside GB 2312 and is exactly the traditional form of the simplified one.
    Characters a name may really carry (於, 乾, 昇...) stay as read.
    """
    return "".join(_simplified_char(ch) for ch in text)


@lru_cache(maxsize=8192)
def _simplified_char(ch: str) -> str:
    if ch.isascii() or _in_gb2312(ch):
        return ch
    import zhconv

    simple = zhconv.convert(ch, "zh-cn")
    if simple != ch and _in_gb2312(simple) and zhconv.convert(simple, "zh-tw") == ch:
        return simple
    return ch


def _in_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """A name as compared: width and brackets, spaces, middle dot, and script (a name
    written with a traditional form and with its simplified one compare equal)."""
    import zhconv

    text = zhconv.convert(squash(name or ""), "zh-cn")
    return _DOTS.sub("·", text).strip("·")


def dashes_to_hyphen(text: str) -> str:
    """OCR reads the hyphen between two dates as 一, — or ~; make them all '-'."""
    return _DASHES.sub("-", text)


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
