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


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """Traditional characters to simplified (PP-OCRv6 may read 汉 as 漢)."""
    import zhconv

    return zhconv.convert(text, "zh-cn")


def normalize_name(name: str) -> str:
    """A name as compared: width and brackets, spaces, middle dot, script."""
    text = simplified(squash(name or ""))
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
