"""PaddleOCR on PaddlePaddle: the PP-OCRv4 mobile detector and recogniser.

Offline it loads the folder `prepare_paddle_models` builds; without a folder it
lets PaddleOCR fetch its own models, which needs internet.
"""
from __future__ import annotations

import importlib.abc
import importlib.metadata
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from pipeline.analysis import TextLine
from pipeline.ocr.base import EngineUnavailable, OcrSettings, warm_up_image

DET_MODEL = "PP-OCRv4_mobile_det"
REC_MODEL = "PP-OCRv4_mobile_rec"


class PaddleOcrEngine:
    """Builds one PaddleOCR pipeline (detection + recognition) and keeps it."""

    name = "paddleocr"

    def __init__(self, settings: OcrSettings) -> None:
        model_dir = Path(settings.paddle_model_dir) if settings.paddle_model_dir else None
        if model_dir is not None and not (model_dir / "det" / "inference.yml").is_file():
            raise EngineUnavailable(
                f"no PaddleOCR model folder at {model_dir}: run `reviewer models prepare-paddle`")
        paddle_ocr = _import_paddleocr(offline=model_dir is not None)
        try:
            self._ocr = paddle_ocr(**_arguments(settings, model_dir))
        except RuntimeError as exc:
            raise EngineUnavailable(f"PaddleOCR could not load its models: {exc}") from exc
        self._max_side = settings.max_side
        self._ocr.predict(warm_up_image())

    def read(self, image_bgr: np.ndarray, *, det_side: int | None = None) -> list[TextLine]:
        """`det_side` caps the detector's input for this call (default: `max_side`)."""
        if image_bgr.ndim != 3 or min(image_bgr.shape[:2]) < 8:
            return []
        results = self._ocr.predict(np.ascontiguousarray(image_bgr),
                                    text_det_limit_side_len=det_side or self._max_side)
        if not results:
            return []
        page = results[0]
        return [TextLine(text=text, confidence=round(float(score), 4), box=_quad(poly))
                for text, score, poly in zip(page["rec_texts"], page["rec_scores"],
                                             page["rec_polys"]) if text.strip()]


def _arguments(settings: OcrSettings, model_dir: Path | None) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "use_doc_orientation_classify": False,  # the document reader turns pages upright
        "use_doc_unwarping": False,
        "use_textline_orientation": False,
        "text_det_limit_side_len": settings.max_side,
        "text_det_limit_type": "max",
        "text_det_box_thresh": settings.box_threshold,
        "text_rec_score_thresh": settings.min_confidence,
        "text_recognition_batch_size": max(1, settings.recognition_batch),
        "device": "cpu",
        "enable_mkldnn": False,  # oneDNN fails on some CPUs and gains little here
        "cpu_threads": max(1, settings.threads),
    }
    if model_dir is None:
        return arguments | {"text_detection_model_name": DET_MODEL,
                            "text_recognition_model_name": REC_MODEL}
    return arguments | {
        "text_detection_model_name": DET_MODEL, "text_detection_model_dir": str(model_dir / "det"),
        "text_recognition_model_name": REC_MODEL,
        "text_recognition_model_dir": str(model_dir / "rec"),
    }


def _import_paddleocr(*, offline: bool):
    if offline:
        # PaddleX probes the model hosters when it is imported; offline that only waits.
        os.environ["PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK"] = "True"
    _count_headless_opencv_as_contrib()
    try:
        from paddleocr import PaddleOCR
    except ImportError as exc:
        raise EngineUnavailable(
            "the paddleocr engine needs the `paddle` extra: "
            "paddleocr, paddlepaddle, paddlex") from exc
    return PaddleOCR


class _HeadlessOpenCv(importlib.abc.MetaPathFinder):
    """Answers PaddleX's question for `opencv-contrib-python` with the headless build.

    PaddleX checks that the distribution named `opencv-contrib-python` is
    installed before it imports cv2. The project installs only
    `opencv-python-headless` (see pyproject's overrides), which provides the same
    `cv2` module; PaddleOCR's detection and recognition use none of the contrib
    extras. This finder resolves only that one distribution name.
    """

    def find_spec(self, *args: Any, **kwargs: Any) -> None:
        return None

    def find_distributions(self, context: Any = None) -> Iterator[importlib.metadata.Distribution]:
        name = getattr(context, "name", None)
        if name and re.sub(r"[-_.]+", "-", name).lower() == "opencv-contrib-python":
            try:
                yield importlib.metadata.distribution("opencv-python-headless")
            except importlib.metadata.PackageNotFoundError:
                return


def _count_headless_opencv_as_contrib() -> None:
    if not any(isinstance(finder, _HeadlessOpenCv) for finder in sys.meta_path):
        sys.meta_path.append(_HeadlessOpenCv())


def _quad(poly: Any) -> list[list[float]]:
    points = np.asarray(poly, dtype=float).reshape(-1, 2)
    if len(points) != 4:  # a polygon: its bounding rectangle, clockwise from top-left
        x0, y0 = points.min(axis=0)
        x1, y1 = points.max(axis=0)
        points = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    return [[round(float(x), 1), round(float(y), 1)] for x, y in points]
