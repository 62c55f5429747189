"""Generated applications: contract-shaped, self-contained, and expecting the right codes."""
from __future__ import annotations

import datetime as dt
import json
import random

import cv2
import pytest

from pipeline.findings import CATALOGUE
from pipeline.form import FilingForm
from pipeline.rules import RULES, run_form_rules
from samples.applications import SCENARIOS, build_application

SUBMITTED = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FORM_RULE_CODES = {rule.code for rule in RULES.values()}


def _build(tmp_path, scenario: str, seed: int = 0, **options):
    folder = tmp_path / scenario
    data = build_application(random.Random(f"{scenario}-{seed}"), scenario, folder,
                             external_id=f"TEST-{seed:04d}", submitted_at=SUBMITTED, **options)
    return folder, data


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_each_scenario_writes_a_valid_self_contained_application(tmp_path, scenario):
    folder, data = _build(tmp_path, scenario)
    expected = data.pop("_expected_codes")
    written = json.loads((folder / "application.json").read_text(encoding="utf-8"))
    assert written == data and "_expected_codes" not in written
    app = FilingForm.model_validate(written)
    named = {m.file for m in app.materials}
    assert named == {p.name for p in folder.iterdir()} - {"application.json"}
    for name in named:
        image = cv2.imread(str(folder / name))
        assert image is not None and min(image.shape[:2]) >= 100
    assert set(expected) <= set(CATALOGUE)
    assert bool(expected) != scenario.startswith("clean")
    # The form-level codes the scenario expects are what the form rules find, no more.
    found = {f.code for f in run_form_rules(app, now=SUBMITTED)}
    assert found == set(expected) & FORM_RULE_CODES


@pytest.mark.parametrize("province", ["江苏省", "北京市", "上海市", "宁夏回族自治区"])
def test_clean_applications_pass_the_rules_of_special_provinces(tmp_path, province):
    for scenario in ("clean_individual", "clean_enterprise"):
        _, data = _build(tmp_path / province, scenario, province=province)
        data.pop("_expected_codes")
        app = FilingForm.model_validate(data)
        assert app.province == province
        assert run_form_rules(app, now=SUBMITTED) == []


def test_the_id_card_photo_reads_back_as_the_form_says(tmp_path):
    """An OCR engine reads name and number off the generated ID photo."""
    from rapidocr import RapidOCR

    folder, data = _build(tmp_path, "clean_individual", seed=2)
    leader = data["subject"]["leader"]
    text = "".join(RapidOCR(params={"Global.log_level": "warning"})(
        cv2.imread(str(folder / "leader_front.jpg"))).txts)
    assert leader["name"] in text and leader["cert_number"] in text
