"""`reviewer intake DIR --inline` inspects in-process and prints the contract's JSON line;
`reviewer show ID --json` then holds the findings (CONTRACT sections 2 and 3)."""
from __future__ import annotations

import json
import random

from samples.applications import build_application
from tests.reviewer.inspection_spy import watch


def test_intake_inline_then_show_gives_the_findings(app, tmp_path, monkeypatch):
    folder = tmp_path / "case"
    build_application(random.Random("inline-1"), "id_name_mismatch", folder,
                      external_id="ICP-INLINE-1")
    runner = app.test_cli_runner()
    seen = watch(monkeypatch)
    taken = runner.invoke(args=["intake", "--inline", str(folder)])
    assert taken.exit_code == 0, taken.output
    line = json.loads(taken.output.strip().splitlines()[-1])
    assert line["status"] == "awaiting_review"
    # started through the one service, and that run inspected here, none enqueued
    assert (seen.triggers(), seen.inlined, seen.enqueued) == (["intake"], seen.run_ids(), [])
    shown = runner.invoke(args=["show", "ICP-INLINE-1", "--json"])
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.output)
    assert report["id"] == line["id"] and report["inspection"]["state"] == "done"
    assert "ID_NAME_MISMATCH" in {finding["code"] for finding in report["findings"]}
    assert report["recommendation"] == "reject"
    again = runner.invoke(args=["intake", "--inline", str(folder)])  # the same folder again
    assert again.exit_code == 0 and json.loads(again.output.strip().splitlines()[-1]) == line
    assert len(seen.started) == 1 and len(seen.inlined) == 1


def test_a_verification_form_sent_as_a_pdf_is_inspected_as_its_rendered_page(app, tmp_path):
    """Its page 1 goes through the checks of a photo of that kind (a PDF used to be
    stored and never looked at, so nothing it held could ever be a finding)."""
    import io

    from PIL import Image

    from models import Material, MaterialResult, db

    folder = tmp_path / "case"
    form = build_application(random.Random("inline-pdf"), "clean_enterprise", folder,
                             external_id="ICP-INLINE-PDF")
    [entry] = [m for m in form["materials"] if m["kind"] == "verification_form"]
    page = Image.open(folder / entry["file"]).convert("RGB")
    (folder / entry["file"]).unlink()
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    entry["file"] = "form.pdf"
    (folder / "form.pdf").write_bytes(out.getvalue())
    public = {k: v for k, v in form.items() if not k.startswith("_")}
    (folder / "application.json").write_text(json.dumps(public, ensure_ascii=False))
    taken = app.test_cli_runner().invoke(args=["intake", "--inline", str(folder)])
    assert taken.exit_code == 0, taken.output
    material = db.session.execute(db.select(Material).filter_by(
        original_name="form.pdf")).scalar_one()
    assert (material.mime, material.pages) == ("application/pdf", 1)
    result = db.session.execute(db.select(MaterialResult).filter_by(
        sha256=material.sha256)).scalar_one()
    width, height = result.analysis["width"], result.analysis["height"]
    assert page.width < width and max(width, height) <= 3000  # 200 dpi, within the limit
    assert abs(width / height - page.width / page.height) < 0.01
    assert not result.analysis["errors"]
