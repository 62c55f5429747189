"""The engines a worker process inspects with, loaded once per process."""
from __future__ import annotations

import logging
import time
from dataclasses import replace

from config import Config
from pipeline.inspect import Toolkit

log = logging.getLogger(__name__)
_toolkit: Toolkit | None = None


def face_settings(config: Config):
    from pipeline.faces import FaceSettings

    settings = FaceSettings()
    if config.face_match_threshold > 0:
        settings = replace(settings, match_threshold=config.face_match_threshold)
    if config.face_grey_threshold > 0:
        settings = replace(settings, grey_threshold=config.face_grey_threshold)
    return settings


def build_toolkit(config: Config) -> Toolkit:
    from pipeline.faces import FaceMatcher
    from pipeline.ocr import OcrSettings, create_engine
    from pipeline.quality import QualitySettings

    started = time.perf_counter()
    faces = face_settings(config)
    ocr = create_engine(config.ocr_engine, OcrSettings(
        max_side=config.ocr_max_side, paddle_model_dir=str(config.paddle_model_dir)))
    toolkit = Toolkit(ocr=ocr, faces=FaceMatcher(faces), quality_settings=QualitySettings(),
                      face_settings=faces)
    log.info("toolkit ready (%s OCR) in %.1f s", config.ocr_engine,
             time.perf_counter() - started)
    return toolkit


def get_toolkit(config: Config) -> Toolkit:
    """The process's toolkit; built on first use and kept for the process's life."""
    global _toolkit
    if _toolkit is None:
        _toolkit = build_toolkit(config)
    return _toolkit
