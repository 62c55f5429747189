"""Thresholds of the image-quality checks, calibrated by `bench/quality.py`.

Every measure is scale-normalised: text heights are in source pixels (what the OCR
sees), sharpness and exposure are measured on the document region brought to a fixed
size, colour after white balance on the paper, so a threshold means the same thing
for a 12-megapixel phone photo and a 1-megapixel scan.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QualitySettings:
    # IMAGE_LOW_RESOLUTION: lower quartile of OCR line-box heights (about 1.3x the glyph).
    min_text_box_px: float = 17.0
    min_card_width_px: int = 420  # ID card width in source px when no text line was found
    min_license_width_px: int = 960  # license width in source px when no text line was found
    min_photo_side_px: int = 480  # shorter side of a face or handheld photo
    # IMAGE_BLURRY: edge width (contrast / steepest gradient) in px at the normal size,
    # the widest of four orientations.
    max_edge_width_px: float = 5.0
    # IMAGE_EXPOSURE
    min_paper_luma: float = 90.0  # the bright (paper) level, P90 of luma
    max_ink_luma: float = 115.0  # the dark (ink) level, P1 of luma, when the paper is clipped
    clipped_luma: float = 250.0
    min_clipped_fraction: float = 0.3  # of the document region, for "overexposed"
    glare_min_radius: float = 0.03  # ink-free blown-out disc, as a fraction of the width
    glare_above_paper: float = 12.0  # a glare blob is this much brighter than the paper
    # IMAGE_GRAYSCALE: P99 chroma after white balance, relative to the paper (0-255 scale).
    min_chroma: float = 25.0
    # IMAGE_RECAPTURED: a spectral peak over its neighbourhood, median over tiles (2.2-10 px).
    min_lattice_peak: float = 40.0  # two directions: pixel grid or halftone screen
    min_single_peak: float = 150.0  # one direction, far stronger than any printed pattern
    # DOCUMENT_INCOMPLETE
    border_margin: float = 0.004  # of the image side: a corner this close touches the frame
    # ... and counts only when a side of the outline lies on an edge for this share of it
    min_side_support: float = 0.35
    text_border_margin: float = 0.04  # of the image side: unlocated text this close runs past it
    scan_fill: float = 0.85  # an outline covering this share of the photo is a flat scan
    corner_chroma_deviation: float = 12.0  # a*b* distance of a corner patch from the others
    corner_texture_deviation: float = 7.0  # texture distance of a corner patch from the others
