"""Small text helpers for Chinese form values."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")


def is_han(char: str) -> bool:
    return bool(_HAN.fullmatch(char))


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def halfwidth(text: str) -> str:
    """Full-width letters and digits as ASCII (ＡＢＣ１２３ -> ABC123)."""
    return unicodedata.normalize("NFKC", text)


def find_words(text: str, vocabulary: Iterable[str]) -> list[str]:
    """The words of `vocabulary` in `text`, in order of appearance, each once.

    A word found only inside a longer found word is left out (团购 hides 购), so a
    finding names what the applicant actually wrote.
    """
    spans = []
    for word in set(vocabulary):
        start = text.find(word)
        while word and start >= 0:
            spans.append((start, start + len(word), word))
            start = text.find(word, start + 1)
    kept = [s for s in spans if not any(_inside(s, o) for o in spans if o is not s)]
    out: list[str] = []
    for _, _, word in sorted(kept):
        if word not in out:
            out.append(word)
    return out


def _inside(span: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    """`span` lies within `other`, and `other` is longer."""
    return other[0] <= span[0] and span[1] <= other[1] and (other[1] - other[0]) > (span[1] - span[0])


def shares_run(a: str, b: str, length: int) -> bool:
    """`a` and `b` share `length` consecutive Chinese characters."""
    runs = {a[i:i + length] for i in range(len(a) - length + 1)}
    return any(b[i:i + length] in runs and han_count(b[i:i + length]) == length
               for i in range(len(b) - length + 1))
