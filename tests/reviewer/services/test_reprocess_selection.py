"""Which applications a reprocess batch takes: none whose uploads were purged, and only
values the web form and the CLI both accept (one validation, a 400 or a usage error)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from models import InspectionRun, ReprocessBatch, db, utcnow
from reviewer.services import runtime
from reviewer.services.reprocess import BadSelection, Selection, purged_count
from tests.reviewer.factories import desk_env, make_application, post  # noqa: F401  (autouse)


def _purge(application) -> None:
    """What `reviewer purge` leaves: materials marked purged, their files gone."""
    store = runtime.storage()
    for material in application.materials:
        material.purged_at = utcnow()
        store.delete(material.sha256)
    db.session.commit()


@pytest.fixture
def kept_and_purged(app):
    store = runtime.storage()
    kept = make_application(store, province="广东省")
    purged = make_application(store, province="广东省")
    _purge(purged)
    return kept, purged


def _batch() -> ReprocessBatch:
    return db.session.execute(sa.select(ReprocessBatch)).scalar_one()


def _run_applications(batch: ReprocessBatch) -> list[str]:
    return db.session.execute(sa.select(InspectionRun.application_id).filter_by(
        batch_id=batch.id)).scalars().all()


def test_selection_leaves_out_applications_with_a_purged_upload(kept_and_purged):
    kept, _ = kept_and_purged
    selection = Selection(province="广东省")
    assert db.session.execute(selection.query()).scalars().all() == [kept.id]
    assert purged_count(selection) == 1
    assert purged_count(Selection(province="浙江省")) == 0


def test_one_purged_material_is_enough_to_leave_an_application_out(app):
    application = make_application(runtime.storage(), province="广东省")
    application.materials[0].purged_at = utcnow()
    db.session.commit()
    assert db.session.execute(Selection().query()).all() == []
    assert purged_count(Selection()) == 1


def test_the_web_preview_and_batch_say_how_many_were_left_out(client, login, users,
                                                              kept_and_purged):
    kept, _ = kept_and_purged
    login("supervisor")
    page = client.get("/supervision/reprocess?province=广东省&preview=1").get_data(as_text=True)
    assert re.search(r"符合条件：<b>1</b> 件", page)
    assert "1 件申请的上传资料已清除" in page
    response = post(client, "/supervision/reprocess", {"province": "广东省"},
                    follow_redirects=True)
    batch = _batch()
    assert batch.total == 1 and _run_applications(batch) == [kept.id]
    assert "1 件申请的上传资料已清除" in response.get_data(as_text=True)


def test_the_cli_says_how_many_were_left_out(app, kept_and_purged):
    _purge(kept_and_purged[0])  # every match purged: nothing to enqueue
    result = app.test_cli_runner().invoke(args=["reprocess", "--province", "广东省",
                                                "--no-wait"])
    assert result.exit_code == 0, result.output
    assert "batch 1: 0 applications" in result.output
    assert "2 left out: their uploads were purged" in result.output
    assert _batch().total == 0 and _run_applications(_batch()) == []


BAD_CLI_VALUES = [
    ("--province", "火星"), ("--filing-type", "nope"), ("--material-kind", "selfie"),
    ("--finding-code", "BAD"), ("--older-than-version", "1 OR 1=1"), ("--limit", "0"),
    ("--limit", "-5"), ("--until", "9999-12-31"), ("--since", "0001-01-01"),
]


@pytest.mark.parametrize(("option", "value"), BAD_CLI_VALUES)
def test_the_cli_refuses_what_the_web_form_refuses(app, option, value):
    make_application(runtime.storage())
    result = app.test_cli_runner().invoke(args=["reprocess", option, value, "--no-wait"])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a usage error, no traceback
    assert option in result.output and "Traceback" not in result.output
    assert db.session.execute(sa.select(ReprocessBatch)).first() is None


@pytest.mark.parametrize("query", [
    "until=9999-12-31", "since=0001-01-01", "since=2026-05-02&until=2026-05-01",
    "province=火星", "limit=0", "finding_code=BAD",
])
def test_the_web_form_refuses_out_of_range_values_with_400(client, login, users, query):
    make_application(runtime.storage())
    login("supervisor")
    assert client.get(f"/supervision/reprocess?preview=1&{query}").status_code == 400
    assert post(client, "/supervision/reprocess",
                dict(p.split("=") for p in query.split("&"))).status_code == 400
    assert db.session.execute(sa.select(ReprocessBatch)).first() is None


def test_validate_names_the_field_and_keeps_good_values():
    with pytest.raises(BadSelection) as refused:
        Selection(province="火星").validate()
    assert refused.value.field == "province" and "火星" in str(refused.value)
    good = Selection(province="浙江省", finding_code="ID_NAME_MISMATCH", limit=5)
    assert good.validate() is good
