"""Segments: OCR lines cut into labels and values, in a straightened frame.

A letter-spaced label (名　　　称) may come as pieces: far apart, overlapping, its
tail glued to the value (称杭州...), or a column of label heads read as one
vertical box (名 over 类); a label and its value, or two columns, may come as one
line. The pieces are joined into labels and the lines cut at the labels.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import median

import numpy as np

from pipeline.analysis import Quad, TextLine
from pipeline.documents.text import squash


@dataclass(frozen=True)
class LabelSet:
    """The labels of one document kind: canonical name -> the spellings OCR yields."""

    spellings: dict[str, tuple[str, ...]]
    # A label that may follow another inside one merged line (a second column).
    partners: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # One character of a letter-spaced label (名　称) read alone, its other half lost.
    alone: dict[str, str] = field(default_factory=dict)

    def at_start(self, text: str) -> tuple[str, int] | None:
        """The label `text` opens with, and how many characters it takes."""
        if text in self.alone:
            return self.alone[text], len(text)
        best = None
        for label, spellings in self.spellings.items():
            for spelling in spellings:
                if text.startswith(spelling) and (best is None or len(spelling) > best[1]):
                    best = (label, len(spelling))
        return best

    def completion(self, text: str) -> str | None:
        """The spelling one character longer that `text` opens, if all such spellings
        are of one label (注册资 -> 注册资本 or 注册资金: 注册资本)."""
        found = {label: s for label, spellings in self.spellings.items() for s in spellings
                 if len(s) == len(text) + 1 and s.startswith(text)}
        return found.popitem()[1] if len(found) == 1 else None

    def is_fragment(self, text: str) -> bool:
        """The first characters of a spelling, short of the whole of any spelling."""
        every = [s for spellings in self.spellings.values() for s in spellings]
        return text not in every and any(s.startswith(text) for s in every)


@dataclass
class Segment:
    text: str
    confidence: float
    quad: Quad  # in the coordinates of the lines given
    x0: float  # the rest: the straightened frame
    y0: float
    x1: float
    y1: float
    label: str | None = None

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


# A letter-spaced label spreads its characters over the width of the longest label
# (名　　　称 under 经营者姓名): the head finds its tail up to this many heights away.
SPACED_REACH = 8.0


def same_row(a: Segment, b: Segment, share: float = 0.5) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > share * min(a.height, b.height)


def label_segments(lines: list[TextLine], angle: float, labels: LabelSet) -> list[Segment]:
    """The lines as labelled segments, in the frame turned by -`angle`."""
    pieces = _lines_of_text(_upright_characters(
        [segment(line, angle) for line in lines if squash(line.text)]))
    return _split_labels(_join_spaced_labels(pieces, labels), labels)


def _lines_of_text(segments: list[Segment]) -> list[Segment]:
    """Without boxes far taller than a line: a border or a stamp read as text (8080...)
    would otherwise sit on every row it spans."""
    if not segments:
        return segments
    usual = median(s.height for s in segments)
    return [s for s in segments if s.height <= 2.5 * usual]


def _upright_characters(segments: list[Segment]) -> list[Segment]:
    """A column of letter-spaced label heads (名 over 类 over 住) that OCR read as one
    vertical box: one segment per character, stacked as printed."""
    out = []
    for seg in segments:
        count = len(seg.text)
        if count >= 2 and seg.height > 1.5 * (seg.x1 - seg.x0) \
                and all(ord(ch) > 0x2E80 for ch in seg.text):
            out.extend(_stacked(seg, i, count) for i in range(count))
        else:
            out.append(seg)
    return out


def _stacked(seg: Segment, i: int, count: int) -> Segment:
    p = np.asarray(seg.quad, dtype=float)
    left = [p[0] + t * (p[3] - p[0]) for t in (i / count, (i + 1) / count)]
    right = [p[1] + t * (p[2] - p[1]) for t in (i / count, (i + 1) / count)]
    quad = [list(map(float, pt)) for pt in (left[0], right[0], right[1], left[1])]
    step = seg.height / count
    return Segment(text=seg.text[i], confidence=seg.confidence, quad=quad, x0=seg.x0,
                   y0=seg.y0 + i * step, x1=seg.x1, y1=seg.y0 + (i + 1) * step)


def segment(line: TextLine, angle: float) -> Segment:
    p = np.asarray(line.box, dtype=float)
    cos, sin = math.cos(-angle), math.sin(-angle)
    xs = p[:, 0] * cos - p[:, 1] * sin
    ys = p[:, 0] * sin + p[:, 1] * cos
    return Segment(text=squash(line.text), confidence=float(line.confidence),
                   quad=[list(map(float, pt)) for pt in p], x0=float(xs.min()),
                   y0=float(ys.min()), x1=float(xs.max()), y1=float(ys.max()))


def _join_spaced_labels(segments: list[Segment], labels: LabelSet) -> list[Segment]:
    """名 + 称 (or 名 + 称杭州...) printed letter-spaced and read apart: one label (and
    the value that was glued to its last character, apart)."""
    out = sorted(segments, key=lambda s: (s.y0, s.x0))
    i = 0
    while i < len(out):
        if not (_label_fragment(out[i].text, labels) and _join_tail(out, i, labels)):
            i += 1
    return out


def _join_tail(out: list[Segment], i: int, labels: LabelSet) -> bool:
    """Join out[i], a label's head, with the rest of its label to the right, in place."""
    head = out[i]
    for reach in (SPACED_REACH, 4.0):
        partner = _right_neighbour(head, out, reach)
        found = labels.at_start(head.text + partner.text) if partner is not None else None
        if found is not None:
            label, *rest = _cut_label(head, partner, found[1])
            out[i] = label
            if rest:
                out[out.index(partner)] = rest[0]
            else:
                out.remove(partner)
            return True
    partner = _right_neighbour(head, out)
    if partner is not None and len(partner.text) == 1 and \
            labels.is_fragment(head.text + partner.text):
        out[i] = _concat(head, partner)  # 营业 + 期, then + 限
        out.remove(partner)
        return True
    if partner is not None and len(partner.text) == 1 and labels.completion(head.text):
        out[i] = _concat(head, partner)  # 类 + 雨: the second character misread
        out[i].text = labels.completion(head.text) or out[i].text
        out.remove(partner)
        return True
    return False


def _cut_label(head: Segment, partner: Segment, size: int) -> list[Segment]:
    """head + the first characters of partner that complete a label `size` long; then
    the rest of partner, if any, as a segment of its own."""
    taken = size - len(head.text)
    if taken >= len(partner.text):
        return [_concat(head, partner)]
    tail, rest = _cut(partner, [(0, taken, None)])
    return [_concat(head, tail), rest]


def _label_fragment(text: str, labels: LabelSet) -> bool:
    return len(text) <= 3 and labels.is_fragment(text)


def _right_neighbour(seg: Segment, segments: list[Segment], reach: float = 4.0
                     ) -> Segment | None:
    right = [s for s in segments if s is not seg and same_row(seg, s)
             and -seg.height <= s.x0 - seg.x1 < reach * seg.height]
    return min(right, key=lambda s: s.x0, default=None)


def _concat(a: Segment, b: Segment) -> Segment:
    quad = [a.quad[0], b.quad[1], b.quad[2], a.quad[3]]
    return Segment(text=a.text + b.text, confidence=min(a.confidence, b.confidence), quad=quad,
                   x0=a.x0, y0=min(a.y0, b.y0), x1=b.x1, y1=max(a.y1, b.y1))


def _split_labels(segments: list[Segment], labels: LabelSet) -> list[Segment]:
    out = []
    for seg in segments:
        out.extend(_split(seg, labels))
    return out


def _split(seg: Segment, labels: LabelSet) -> list[Segment]:
    """`姓名张三` -> [姓名][张三]; `性别男民族汉` -> [性别][男][民族][汉]."""
    found = labels.at_start(seg.text)
    if found is None:
        return _split_free(seg, labels)
    label, size = found
    cuts = [(0, size, label)]
    for partner in labels.partners.get(label, ()):
        at = _find_spelling(seg.text, labels.spellings[partner], size + 1)
        if at is not None:
            cuts.append((at[0], at[1], partner))
            break
    return _cut(seg, sorted(cuts))


def _split_free(seg: Segment, labels: LabelSet) -> list[Segment]:
    """A value merged with the next column's label: `男民族汉`, `...有限公司注册资本...`.

    A short label is split off only right after a short value, so 民族路 in an
    address stays whole.
    """
    partners = {p for group in labels.partners.values() for p in group}
    for partner in sorted(partners):
        at = _find_spelling(seg.text, labels.spellings[partner], 1)
        if at is not None and (at[1] - at[0] >= 4 or at[0] <= 2):
            return _cut(seg, [(at[0], at[1], partner)])
    return [seg]


def _find_spelling(text: str, spellings: tuple[str, ...], start: int) -> tuple[int, int] | None:
    for spelling in spellings:
        at = text.find(spelling, start)
        if at > 0:
            return at, at + len(spelling)
    return None


def _cut(seg: Segment, cuts: list[tuple[int, int, str]]) -> list[Segment]:
    pieces: list[tuple[int, int, str | None]] = []
    position = 0
    for start, end, label in cuts:
        if start > position:
            pieces.append((position, start, None))
        pieces.append((start, end, label))
        position = end
    if position < len(seg.text):
        pieces.append((position, len(seg.text), None))
    weights = np.cumsum([0.0] + [_char_width(ch) for ch in seg.text])
    total = weights[-1] or 1.0
    return [_piece(seg, weights[a] / total, weights[b] / total, seg.text[a:b], label)
            for a, b, label in pieces]


def _piece(seg: Segment, t0: float, t1: float, text: str, label: str | None) -> Segment:
    p = np.asarray(seg.quad, dtype=float)
    top = [p[0] + t * (p[1] - p[0]) for t in (t0, t1)]
    bottom = [p[3] + t * (p[2] - p[3]) for t in (t0, t1)]
    quad = [list(map(float, pt)) for pt in (top[0], top[1], bottom[1], bottom[0])]
    width = seg.x1 - seg.x0
    return Segment(text=text, confidence=seg.confidence, quad=quad, x0=seg.x0 + t0 * width,
                   y0=seg.y0, x1=seg.x0 + t1 * width, y1=seg.y1, label=label)


def _char_width(ch: str) -> float:
    return 1.0 if ord(ch) > 0x2E80 else 0.55
