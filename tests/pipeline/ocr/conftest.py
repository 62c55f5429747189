"""One engine of each kind per test session: loading the models takes seconds."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ocr import OcrEngine, OcrSettings, create_engine, prepare_paddle_models


@pytest.fixture(scope="session")
def rapid_engine() -> OcrEngine:
    return create_engine("rapidocr", OcrSettings())


@pytest.fixture(scope="session")
def paddle_models(tmp_path_factory) -> Path:
    return prepare_paddle_models(tmp_path_factory.mktemp("paddle") / "models")


@pytest.fixture(scope="session")
def paddle_engine(paddle_models) -> OcrEngine:
    return create_engine("paddleocr", OcrSettings(paddle_model_dir=str(paddle_models)))
