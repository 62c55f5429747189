"""Where the printed labels are, and which text is whose value.

OCR returns lines; a printed label (姓名, 名称, 住所...) and its value may come as
one line or as two, a letter-spaced label (名　　称) as separate characters, and
two columns of a license as one merged line. `Layout` turns the lines into
segments (labels and values) in a frame straightened by the text's own skew, and
answers "what is the value of this label" from geometry: the same row to the
right up to the next label, then, for values that wrap, the lines below that
stay in the value's column until the next label.
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


@dataclass
class Value:
    text: str
    confidence: float
    quad: Quad
    raw: str


# A letter-spaced label spreads its characters over the width of the longest label
# (名　　　称 under 经营者姓名): the head finds its tail up to this many heights away.
SPACED_REACH = 8.0


class Layout:
    # Wrapped lines of one value sit closer than the rows of two fields: at most
    # this many line heights of gap before the next line still continues a value.
    max_gap = 0.7
    # A value stops where a gap this many label heights wide opens on its line: the
    # next column, whose label was not read (a watermark over 住所).
    column_gap = 4.0

    def __init__(self, lines: list[TextLine], labels: LabelSet) -> None:
        self.labels = labels
        self.angle = skew_angle(lines)
        pieces = _lines_of_text(_upright_characters(
            [_segment(line, self.angle) for line in lines if squash(line.text)]))
        self.segments = _split_labels(_join_spaced_labels(pieces, labels), labels)

    def frame_box(self, quad: Quad) -> tuple[float, float, float, float]:
        """A box of the lines' coordinates in the straightened frame: x0, y0, x1, y1."""
        seg = _segment(TextLine("", 0.0, quad), self.angle)
        return seg.x0, seg.y0, seg.x1, seg.y1

    def find(self, label: str) -> list[Segment]:
        return [s for s in self.segments if s.label == label]

    def value(self, label: str, *, wraps: bool = False, below: bool = False) -> Value | None:
        """The text printed after `label` (or under it, if `below`), joined."""
        for anchor in sorted(self.find(label), key=lambda s: (s.y0, s.x0)):
            parts = self.row_value(anchor) or (self.value_below(anchor) if below else [])
            if parts and wraps:
                below = self.continuation(anchor, parts)
                parts = self.preceding(anchor, parts + below) + parts + below
            if parts:
                return merge(parts)
        return None

    def row_value(self, anchor: Segment) -> list[Segment]:
        """The value right of its label: on the label's row, or, where the label sits
        between the first two lines of a wrapped value (portrait licenses), on those."""
        for share in (0.5, 0.2):
            row = [s for s in self._right_of(anchor) if same_row(anchor, s, share)]
            if row:
                return _before_a_gap(reading_order(row), self.column_gap * anchor.height)
        return []

    def _right_of(self, anchor: Segment) -> list[Segment]:
        stop = self._next_label_right(anchor)
        start = anchor.x0 + 0.6 * (anchor.x1 - anchor.x0)
        return [s for s in self.segments if s.label is None and s is not anchor
                and start <= s.x0 < stop]

    def value_below(self, anchor: Segment) -> list[Segment]:
        """A value printed under its label (统一社会信用代码 over the code)."""
        below = [s for s in self.segments if s.label is None and s.y0 > anchor.cy
                 and s.y0 - anchor.y1 < 1.5 * anchor.height
                 and abs(s.x0 - anchor.x0) < 1.5 * anchor.height]
        return sorted(below, key=lambda s: s.y0)[:1]

    def preceding(self, anchor: Segment, value: list[Segment]) -> list[Segment]:
        """Lines over a wrapped value whose label stands level with its middle (portrait
        licenses): at the value's own leading, and only as many as centre the value on
        its label."""
        lines = reading_order(value)
        pitches = [b.y0 - a.y1 for a, b in zip(lines, lines[1:]) if b.y0 > a.cy]
        if not pitches:
            return []
        above = self._lines_above(anchor, lines[0], max(pitches) + 0.15 * lines[0].height)
        bottom = max(s.y1 for s in value)
        offsets = [abs(anchor.cy - ((above[-k].y0 if k else lines[0].y0) + bottom) / 2)
                   for k in range(len(above) + 1)]
        k = offsets.index(min(offsets))
        return above[len(above) - k:] if k else []

    def _lines_above(self, anchor: Segment, first: Segment, gap: float) -> list[Segment]:
        """Lines stacked over `first` in its column, each at most `gap` above the next,
        up to a label's row; top down."""
        out: list[Segment] = []
        for seg in sorted(self.segments, key=lambda s: -s.y0):
            top = out[0] if out else first
            if seg.label or seg.y1 > top.y0 + 0.3 * top.height or \
                    abs(seg.x0 - first.x0) > 1.2 * anchor.height:
                continue
            if top.y0 - seg.y1 > gap or self._in_label_row(seg):
                break
            out.insert(0, seg)
        return out

    def _in_label_row(self, seg: Segment) -> bool:
        return any(s.label and same_row(s, seg, 0.2) for s in self.segments)

    def continuation(self, anchor: Segment, parts: list[Segment]) -> list[Segment]:
        """Lines under a wrapping value, in its column, until a gap or the next label."""
        left = min(p.x0 for p in parts) - 1.2 * anchor.height
        # within the column: before the next label, and starting under the value itself
        right = min(self._next_label_right(anchor), max(p.x1 for p in parts))
        height = median(p.height for p in parts)
        bottom, out = max(p.y1 for p in parts), []
        labels_below = [s.y0 for s in self.segments if s.label and s.y0 > anchor.cy
                        and s.x1 > anchor.x0 and s.x0 < self._next_label_right(anchor)]
        limit = min(labels_below, default=math.inf)
        for seg in sorted(self.segments, key=lambda s: s.y0):
            if seg.label or seg in parts or seg.cy <= bottom - 0.3 * height or seg.cy >= limit:
                continue
            if seg.x0 < left or seg.x0 >= right or seg.y0 - bottom > self.max_gap * height:
                continue
            out.append(seg)
            bottom = max(bottom, seg.y1)
        return out

    def _next_label_right(self, anchor: Segment) -> float:
        right = [s.x0 for s in self.segments if s.label and s is not anchor
                 and same_row(anchor, s) and s.x0 > anchor.x0]
        return min(right, default=math.inf)


def same_row(a: Segment, b: Segment, share: float = 0.5) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > share * min(a.height, b.height)


def _before_a_gap(row: list[Segment], gap: float) -> list[Segment]:
    kept: list[Segment] = []
    for seg in row:
        beside = [k.x1 for k in kept if same_row(k, seg)]
        if not beside or seg.x0 - max(beside) <= gap:
            kept.append(seg)
    return kept


def reading_order(segments: list[Segment]) -> list[Segment]:
    """Line by line, top down, then left to right: two wrapped lines of one value that
    both touch their label's row keep their order."""
    lines: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: s.cy):
        if lines and seg.cy - lines[-1][0].cy < 0.5 * min(seg.height, lines[-1][0].height):
            lines[-1].append(seg)
        else:
            lines.append([seg])
    return [seg for line in lines for seg in sorted(line, key=lambda s: s.x0)]


def merge(parts: list[Segment]) -> Value:
    text = "".join(p.text for p in parts)
    points = np.array([pt for p in parts for pt in p.quad], dtype=float)
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    quad = [[float(x0), float(y0)], [float(x1), float(y0)], [float(x1), float(y1)],
            [float(x0), float(y1)]]
    return Value(text=text, confidence=min(p.confidence for p in parts), quad=quad,
                 raw=" ".join(p.text for p in parts))


def skew_angle(lines: list[TextLine]) -> float:
    """The text's tilt in radians: the median direction of the long line boxes."""
    angles = []
    for line in lines:
        p = np.asarray(line.box, dtype=float)
        dx, dy = p[1] - p[0]
        if math.hypot(dx, dy) > 2.0 * np.linalg.norm(p[3] - p[0]) and dx > 0:
            angles.append(math.atan2(dy, dx))
    return float(median(angles)) if angles else 0.0


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


def _segment(line: TextLine, angle: float) -> Segment:
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
