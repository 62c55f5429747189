"""Fonts for rendering Chinese documents, found on the system (nothing is downloaded).

Real documents print in two families: 黑体 (a sans, ID card labels and values, the
license labels) and 宋体 (a serif, the ID card back title, license values). The
ID number is printed in OCR-B; a monospaced Latin font stands in for it.

CJK fonts come from fontconfig (`fc-list :lang=zh`) with a fallback on the usual
file names; on Debian/Ubuntu `apt-get install fonts-noto-cjk fonts-wqy-microhei`.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

STYLES = ("hei", "song")  # 黑体, 宋体
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
              Path.home() / ".local/share/fonts", Path.home() / ".fonts",
              Path("/System/Library/Fonts"), Path("/Library/Fonts"))
# Simplified-Chinese faces by file name, for systems without fontconfig.
_KNOWN_FILES = {
    "NotoSansCJK-Regular.ttc": ("hei", False, 2), "NotoSansCJK-Bold.ttc": ("hei", True, 2),
    "NotoSerifCJK-Regular.ttc": ("song", False, 2), "NotoSerifCJK-Bold.ttc": ("song", True, 2),
    "wqy-microhei.ttc": ("hei", False, 0), "wqy-zenhei.ttc": ("hei", False, 0),
    "simhei.ttf": ("hei", False, 0), "simsun.ttc": ("song", False, 0),
}


class FontNotFound(RuntimeError):
    """No CJK font is installed; install fonts-noto-cjk or fonts-wqy-microhei."""


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int  # face index inside a .ttc collection
    style: str  # "hei" or "song"
    bold: bool


@cache
def cjk_faces() -> tuple[FontFace, ...]:
    """Every installed Simplified-Chinese face, 黑体 and 宋体 alike."""
    faces = _fontconfig_faces() or _known_file_faces()
    if not faces:
        raise FontNotFound("no CJK font found; install fonts-noto-cjk or fonts-wqy-microhei")
    return tuple(sorted(set(faces), key=lambda f: (f.style, f.bold, str(f.path), f.index)))


def faces(style: str = "hei", bold: bool | None = None) -> tuple[FontFace, ...]:
    """Faces of one style (falling back to 黑体 when no 宋体 is installed)."""
    chosen = [f for f in cjk_faces() if f.style == style and bold in (None, f.bold)]
    if not chosen and style != "hei":
        return faces("hei", bold)
    if not chosen:
        chosen = [f for f in cjk_faces() if f.style == "hei"]
    return tuple(chosen)


def cjk_font(size: int, style: str = "hei", bold: bool = False,
             variant: int = 0) -> ImageFont.FreeTypeFont:
    """A CJK font of `size` pixels; `variant` picks among the installed faces."""
    options = faces(style, bold) or faces(style)
    face = options[variant % len(options)]
    return _load(str(face.path), face.index, max(6, int(size)))


def digit_font(size: int) -> ImageFont.FreeTypeFont:
    """A monospaced Latin font standing in for OCR-B (the ID number font)."""
    return _load(str(_latin_mono_path()), 0, max(6, int(size)))


@cache
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=size, index=index)


def _fontconfig_faces() -> list[FontFace]:
    if shutil.which("fc-list") is None:
        return []
    fmt = "%{file}|%{index}|%{family[0]}|%{weight}\n"
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "--format", fmt], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [face for line in out.splitlines() if (face := _parse_fc_line(line))]


def _parse_fc_line(line: str) -> FontFace | None:
    parts = line.split("|")
    if len(parts) != 4 or not parts[1].isdigit():
        return None
    path, index, family, weight = parts
    style = _style_of(family)
    if style is None:
        return None
    bold = weight.isdigit() and int(weight) >= 180  # fontconfig: 80 regular, 200 bold
    return FontFace(Path(path), int(index), style, bold)


def _style_of(family: str) -> str | None:
    """黑体 or 宋体 for a Simplified-Chinese family; None for other scripts and monos."""
    name = family.lower()
    if "mono" in name or any(tag in family for tag in (" JP", " KR", " TC", " HK")):
        return None
    if any(word in name for word in ("serif", "song", "ming", "宋", "fangsong", "kai")):
        return "song"
    return "hei"


def _known_file_faces() -> list[FontFace]:
    found = []
    for folder in _FONT_DIRS:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.name in _KNOWN_FILES:
                style, bold, index = _KNOWN_FILES[path.name]
                found.append(FontFace(path, index, style, bold))
    return found


@cache
def _latin_mono_path() -> Path:
    import matplotlib  # ships DejaVu, so a monospaced font is always there

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSansMono.ttf"
