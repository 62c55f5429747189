"""The 网站备案信息真实性核验单 (verification form): a printed table, signed and stamped.

The applicant downloads it, prints it, signs it in black pen (and a unit stamps
it with its 公章), then photographs or scans it; this renders that page.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw

from samples.documents import artwork, typeset
from samples.documents.insignia import seal
from samples.fonts import cjk_font

_PROMISE = ("本人（单位）承诺所提交的备案信息真实有效，网站开通后不从事违法违规活动；"
            "如有虚假，愿意承担由此产生的一切后果。")


@dataclass
class VerificationEntries:
    """What the form shows, as the applicant typed it into the filing system."""

    subject_name: str  # 主办单位名称 (a person's name for 个人)
    subject_cert: str  # 主办单位证件类型及号码, e.g. 营业执照 91330106MA2H3K7Q5U
    leader_name: str  # 网站负责人
    leader_cert: str  # 居民身份证 330106198503150016
    websites: list[tuple[str, str]] = field(default_factory=list)  # (网站名称, 域名)
    date: dt.date = dt.date(2026, 11, 20)
    unit_seal: str | None = None  # the unit's name for its 公章; None for a person
    access_provider: str = "阿里云计算有限公司"


def render_verification_form(entries: VerificationEntries, *, rng: random.Random | None = None,
                             size: tuple[int, int] = (1240, 1754)) -> np.ndarray:
    """The signed form as BGR uint8 (A4 portrait at 150 dpi by default)."""
    rng = rng or random.Random(f"{entries.subject_name}|{entries.leader_name}|form")
    w, h = size
    unit = w / 210.0  # px per mm
    paper = artwork.guilloche(size, rng, typeset.ink(rng, (248, 248, 246), 4), (), grain=2.5)
    page = Image.fromarray(artwork.finish(paper))
    pen = ImageDraw.Draw(page)
    ink = typeset.ink(rng, (20, 20, 20), 10)
    typeset.draw_centered(pen, w / 2, 28 * unit, "网站备案信息真实性核验单",
                          cjk_font(round(8 * unit), "song", bold=True), ink)
    bottom = _table(pen, entries, unit, ink)
    _sign(page, pen, entries, unit, bottom, rng)
    return cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR)


def _rows(entries: VerificationEntries) -> list[tuple[str, str]]:
    rows = [("主办单位名称", entries.subject_name), ("主办单位证件", entries.subject_cert),
            ("网站负责人", entries.leader_name), ("负责人证件", entries.leader_cert)]
    for i, (name, domain) in enumerate(entries.websites, start=1):
        rows += [(f"网站名称（{i}）", name), (f"网站域名（{i}）", domain)]
    rows += [("接入服务单位", entries.access_provider),
             ("核验日期", f"{entries.date:%Y年%m月%d日}")]
    return rows


def _table(pen: ImageDraw.ImageDraw, entries: VerificationEntries, unit: float,
           ink: typeset.Colour) -> float:
    """The bordered two-column table; returns its bottom edge (px)."""
    left, split, right, top = 20 * unit, 62 * unit, 190 * unit, 42 * unit
    row = 13 * unit
    label, value = cjk_font(round(4.2 * unit), "hei", bold=True), cjk_font(round(4.2 * unit))
    y = top
    for name, text in _rows(entries):
        pen.rectangle([left, y, right, y + row], outline=ink, width=2)
        pen.line([split, y, split, y + row], fill=ink, width=2)
        baseline = y + row / 2 + 1.5 * unit
        typeset.draw(pen, left + 3 * unit, baseline, name, label, ink)
        line = typeset.wrap(text, value, right - split - 6 * unit)[0]
        typeset.draw(pen, split + 3 * unit, baseline, line, value, ink)
        y += row
    promise = cjk_font(round(3.8 * unit))
    for line in typeset.wrap(_PROMISE, promise, right - left):
        y += 7 * unit
        typeset.draw(pen, left, y, line, promise, ink)
    return y


def _sign(page: Image.Image, pen: ImageDraw.ImageDraw, entries: VerificationEntries,
          unit: float, top: float, rng: random.Random) -> None:
    """网站负责人签字 with a pen scribble, and the unit's 公章 when there is one."""
    ink = typeset.ink(rng, (20, 20, 20), 10)
    font = cjk_font(round(4.4 * unit), "hei", bold=True)
    y = top + 24 * unit
    typeset.draw(pen, 24 * unit, y, "网站负责人签字：", font, ink)
    pen_ink = typeset.ink(rng, (24, 30, 70), 18)
    box = (int(70 * unit), int(y - 12 * unit), int(120 * unit), int(y + 3 * unit))
    for stroke in artwork.signature_strokes(rng, box):
        pen.line([tuple(p) for p in stroke], fill=pen_ink, width=max(2, round(0.5 * unit)),
                 joint="curve")
    typeset.draw(pen, 120 * unit, y + 18 * unit, f"{entries.date:%Y年%m月%d日}",
                 cjk_font(round(4.2 * unit)), ink)
    if entries.unit_seal:
        typeset.draw(pen, 120 * unit, y, "主办单位盖章：", font, ink)
        stamp = seal(entries.unit_seal, round(40 * unit), rng)
        stamp = stamp.rotate(rng.uniform(-20, 20), resample=Image.Resampling.BICUBIC)
        artwork.multiply(page, stamp, (round(142 * unit), round(y - 26 * unit)))
