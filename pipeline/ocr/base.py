"""The one small interface every OCR engine sits behind, and its settings."""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from pipeline.analysis import TextLine


class OcrEngine(Protocol):
    """Reads the text lines of a BGR image; boxes are in that image's pixels.

    The engines here also take `read(image, det_side=N)`: the detector then sees
    the image with its long side capped at N while lines are still recognised
    from the full image. Big print (an ID card) needs no large detector input.
    `read_text` passes it only to engines that take it.
    """

    name: str

    def read(self, image_bgr: np.ndarray) -> list[TextLine]: ...


def read_text(engine: OcrEngine, image_bgr: np.ndarray, det_side: int | None = None
              ) -> list[TextLine]:
    if det_side is not None and "det_side" in inspect.signature(engine.read).parameters:
        return engine.read(image_bgr, det_side=det_side)  # type: ignore[call-arg]
    return engine.read(image_bgr)


class EngineUnavailable(RuntimeError):
    """The chosen engine's library or model files are not installed."""


@dataclass(frozen=True)
class OcrSettings:
    """How an engine is built. The same settings give the same reads.

    `max_side` caps the long side of the image the text detector sees (its cost
    grows with the pixel count); recognition still crops lines from the image as
    given. `threads` is per process: one thread per worker process gives more
    documents per second on a small machine than two threads in one.
    """

    max_side: int = 960
    paddle_model_dir: str | None = None  # an offline folder from prepare_paddle_models
    threads: int = 1
    min_confidence: float = 0.5  # lines read with less are dropped
    # The detector keeps a text box whose mean text score reaches this; a little
    # below the engines' 0.5-0.6 keeps a lone character (the 号 that ends an address).
    box_threshold: float = 0.4
    recognition_batch: int = 1  # lines per recognition batch: small batches pad less
    # The recogniser pads every line image to at least this width (pixels at its 48 px
    # height) and its cost grows with the width: PaddleOCR's 320 makes a two-character
    # label (姓名, 住所) cost as much as a line of seven, and most lines of an ID card are
    # short. 96 took a quarter off an ID card's read, with the same fields read (bench/
    # ocr_accuracy.py). The rapidocr engine takes it; paddleocr keeps its folder's 320.
    recognition_min_width: int = 96  # two characters


def warm_up_image() -> np.ndarray:
    """A line of printed text (OpenCV's own font): reading it loads every model once."""
    import cv2

    image = np.full((64, 320, 3), 255, np.uint8)
    cv2.putText(image, "ICP 2026", (12, 46), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (0, 0, 0), 3)
    return image
