"""The real default engine, once per test session, for the end-to-end reads."""
from __future__ import annotations

import pytest

from pipeline.ocr import OcrEngine, OcrSettings, create_engine


@pytest.fixture(scope="session")
def rapid_engine() -> OcrEngine:
    return create_engine("rapidocr", OcrSettings())
