"""The finalizer stores findings, extracted fields and face comparisons against the run's
materials by id; the contract shows the file names through them."""
from __future__ import annotations

import json
import random

from samples.applications import build_application


def test_finalized_rows_refer_to_the_applications_materials_by_id(app, tmp_path):
    from models import Application, db
    from models.report import application_report

    folder = tmp_path / "case"
    build_application(random.Random("finalize-ids"), "id_name_mismatch", folder,
                      external_id="ICP-FINALIZE-IDS")
    taken = app.test_cli_runner().invoke(args=["intake", "--inline", str(folder)])
    assert taken.exit_code == 0, taken.output
    application = db.session.get(Application, json.loads(taken.output.splitlines()[-1])["id"])
    run = application.latest_run
    own = {m.id: m for m in application.materials}
    rows = [*run.findings, *run.extracted, *run.faces]
    assert run.extracted and run.faces
    assert all(row.material_id in own for row in rows if row.material_id is not None)
    assert all(face.reference_material_id in own for face in run.faces
               if face.reference_material_id is not None)
    mismatch = next(f for f in run.findings if f.code == "ID_NAME_MISMATCH")
    assert own[mismatch.material_id].kind == "id_card_front"
    assert {row.material.kind for row in run.extracted} <= {
        "id_card_front", "id_card_back", "business_license"}
    report = application_report(application)
    assert [f["material"] for f in report["findings"]] == [
        own[f.material_id].original_name if f.material_id else None for f in run.findings]
    assert [(f["material"], f["reference"]) for f in report["faces"]] == [
        (own[f.material_id].original_name,
         own[f.reference_material_id].original_name if f.reference_material_id else None)
        for f in run.faces]
