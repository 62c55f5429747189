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
from dataclasses import dataclass
from statistics import median

import numpy as np

from pipeline.analysis import Quad, TextLine
from pipeline.documents.segments import LabelSet, Segment, label_segments, same_row, segment

__all__ = ["LabelSet", "Layout", "Segment", "Value", "merge", "reading_order", "same_row",
           "skew_angle"]


@dataclass
class Value:
    text: str
    confidence: float
    quad: Quad
    raw: str


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
        self.segments = label_segments(lines, self.angle, labels)

    def frame_box(self, quad: Quad) -> tuple[float, float, float, float]:
        """A box of the lines' coordinates in the straightened frame: x0, y0, x1, y1."""
        seg = segment(TextLine("", 0.0, quad), self.angle)
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
