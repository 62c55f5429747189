"""OCR engines behind one small interface, picked by name from a registry.

`create_engine(name, settings)` builds an engine once; the worker keeps it for
its whole life, since loading the models costs seconds. Each engine imports its
library only when it is chosen, and says clearly what is missing when it is not
installed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from pipeline.ocr.base import EngineUnavailable, OcrEngine, OcrSettings


def _rapidocr(settings: OcrSettings) -> OcrEngine:
    from pipeline.ocr.rapid import RapidOcrEngine

    return RapidOcrEngine(settings)


def _paddleocr(settings: OcrSettings) -> OcrEngine:
    from pipeline.ocr.paddle import PaddleOcrEngine

    return PaddleOcrEngine(settings)


ENGINES: dict[str, Callable[[OcrSettings], OcrEngine]] = {
    "rapidocr": _rapidocr,
    "paddleocr": _paddleocr,
}
DEFAULT_ENGINE = "rapidocr"


def create_engine(name: str, settings: OcrSettings) -> OcrEngine:
    """Build the named engine with its models loaded."""
    try:
        factory = ENGINES[name]
    except KeyError:
        raise EngineUnavailable(
            f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINES)}") from None
    return factory(settings)


def prepare_paddle_models(dest_dir: Path) -> Path:
    """Build the offline PaddleOCR model folder in `dest_dir` (idempotent)."""
    from pipeline.ocr.paddle_models import prepare_paddle_models as prepare

    return prepare(Path(dest_dir))


__all__ = ["DEFAULT_ENGINE", "ENGINES", "EngineUnavailable", "OcrEngine", "OcrSettings",
           "create_engine", "prepare_paddle_models"]
