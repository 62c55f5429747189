"""Batch reprocessing: a new run per application, a correct diff, decisions untouched."""
import pytest

from models import Application, Decision, InspectionRun, db
from pipeline.findings import Finding
from reviewer.services.reprocess import Selection, finish_if_done, start_batch
from workers.inline import run_inline

pytestmark = pytest.mark.slow


def test_reprocess_diff_is_correct_on_a_seeded_change(app, users, submit, monkeypatch):
    reviewer_id = users["reviewer"].id
    ids = submit(3, prefix="ICP-R")
    for application_id in ids:
        run_inline(_runs(application_id)[0].id)
    target = db.session.get(Application, ids[1])
    decision = Decision(application_id=target.id, kind="approve", decided_by_id=reviewer_id,
                        run_id=target.latest_run_id)
    db.session.add(decision)
    db.session.commit()

    import pipeline.rules as rules

    original = rules.run_form_rules

    def a_new_rule(form, **kwargs):  # the seeded change: one more finding for one application
        found = original(form, **kwargs)
        if form.external_id == target.external_id:
            found.append(Finding(code="SITE_NAME_INVALID", message="新规则", field="websites[0].name"))
        return found

    monkeypatch.setattr(rules, "run_form_rules", a_new_rule)
    batch, runs = start_batch(Selection(province="浙江省"), actor="test", actor_id=None)
    assert batch.total == 3
    for run in runs:
        run_inline(run.id)
    assert finish_if_done(batch)
    report = batch.report
    assert report["changed_applications"] == 1
    assert report["added_by_code"] == {"SITE_NAME_INVALID": 1}
    assert report["removed_by_code"] == {}
    assert report["applications"][0]["application"] == target.id
    assert [len(_runs(i)) for i in ids] == [2, 2, 2]  # the old runs stay
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    assert decision.stale and decision.kind == "approve"  # flagged, never changed
    assert db.session.get(Application, target.id).status == "awaiting_review"


def test_selection_filters_narrow_the_batch(app, submit):
    submit(2, prefix="ICP-S")
    assert db.session.execute(Selection(province="北京市").query()).all() == []
    assert len(db.session.execute(Selection(filing_type="first_filing").query()).all()) == 2
    assert len(db.session.execute(Selection(material_kind="face_photo").query()).all()) == 2
    assert db.session.execute(Selection(material_kind="pre_approval").query()).all() == []


def _runs(application_id):
    db.session.expire_all()
    return db.session.execute(db.select(InspectionRun).where(
        InspectionRun.application_id == application_id).order_by(InspectionRun.id)).scalars().all()
