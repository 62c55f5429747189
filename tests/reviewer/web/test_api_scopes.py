"""API tokens carry a scope and an owner: a token reads only what its scope allows, and
another owner's application looks exactly like one that does not exist."""
import pytest

from models import ApiToken, Application, AuditEvent, db
from reviewer.services import runtime
from samples import contract
from tests.reviewer.factories import LEADER_ID, make_application
from tests.reviewer.intake_helpers import post


@pytest.fixture
def valid():
    form = contract.example()
    return form, contract.files_for(form, seed=1)


@pytest.fixture
def tokens(app):
    """name -> plain token: two clients reading their own, a submit-only uploader of the
    first client, and an auditor who reads everything."""
    made = {}
    for name, scope, owner in (("portal", "read-own", None), ("rival", "read-own", None),
                               ("uploader", "submit", "portal"),
                               ("auditor", "read-all", None)):
        row, made[name] = ApiToken.issue(name, scope=scope, owner=owner)
        db.session.add(row)
    db.session.commit()
    return made


def get(client, token: str, key: str):
    return client.get(f"/api/v1/applications/{key}", headers={"Authorization": f"Bearer {token}"})


def not_found(key: str) -> dict:
    return {"error": {"code": "not_found", "message": f"no application {key}", "field": None}}


def test_another_owners_application_answers_as_an_unknown_id_does(client, tokens, valid):
    form, files = valid
    created = post(client, tokens["portal"], form, files).get_json()
    for key in (created["id"], form["external_id"]):
        response = get(client, tokens["rival"], key)
        assert (response.status_code, response.get_json()) == (404, not_found(key))
    unknown = "f" * len(created["id"])
    response = get(client, tokens["rival"], unknown)
    assert (response.status_code, response.get_json()) == (404, not_found(unknown))
    assert get(client, tokens["portal"], form["external_id"]).get_json()["id"] == created["id"]


def test_an_external_id_another_owner_used_is_a_fresh_application_for_this_one(
        client, tokens, valid):
    """201 either way: the status code no longer tells whether the id exists elsewhere."""
    form, files = valid
    first = post(client, tokens["portal"], form, files)
    assert first.status_code == 201
    other = dict(form, subject=dict(form["subject"], name="另一家公司有限公司"))
    rival = post(client, tokens["rival"], other, files)
    assert rival.status_code == 201 and rival.get_json()["id"] != first.get_json()["id"]
    assert get(client, tokens["rival"], form["external_id"]).get_json()["id"] == \
        rival.get_json()["id"]
    again = post(client, tokens["portal"], form, files)  # the contract, within one owner
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert post(client, tokens["portal"], other, files).status_code == 409


def test_a_submit_only_token_submits_for_its_owner_and_reads_nothing(client, tokens, valid):
    form, files = valid
    created = post(client, tokens["uploader"], form, files)
    assert created.status_code == 201
    response = get(client, tokens["uploader"], created.get_json()["id"])
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert get(client, tokens["portal"], form["external_id"]).status_code == 200  # its owner's


def _owned_by(owner: str) -> Application:
    application = make_application(runtime.storage())
    application.owner = owner
    db.session.commit()
    return application


def test_the_owner_reads_back_the_contracts_output_in_full(client, tokens):
    """The contract's `extracted` carries what was read, as written: the owner sent these
    numbers itself; what scoping withholds is other owners' applications."""
    application = _owned_by("portal")
    own = get(client, tokens["portal"], application.id).get_json()
    full = get(client, tokens["auditor"], application.id).get_json()
    assert own == full
    own_fields = {e["kind"]: e["fields"] for e in own["extracted"]}
    assert own_fields["id_card_front"]["id_number"] == LEADER_ID


def test_every_read_and_every_refused_read_is_audited_naming_anothers_application(
        client, tokens):
    application = _owned_by("portal")
    get(client, tokens["portal"], application.id)
    get(client, tokens["rival"], application.external_id)
    get(client, tokens["rival"], "ICP-NO-SUCH-ID")
    events = db.session.execute(db.select(AuditEvent).where(
        AuditEvent.action.like("application.view%")).order_by(AuditEvent.id)).scalars().all()
    assert [(e.action, e.actor, e.target_id, e.detail["scope"]) for e in events] == [
        ("application.view", "api:portal", application.id, "read-own"),
        ("application.view_refused", "api:rival", application.id, "read-own"),
        ("application.view_refused", "api:rival", None, "read-own")]


def test_an_external_id_of_several_owners_is_ambiguous_to_a_read_all_token(
        client, tokens, valid, app):
    form, files = valid
    post(client, tokens["portal"], form, files)
    post(client, tokens["rival"], form, files)
    response = get(client, tokens["auditor"], form["external_id"])
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "ambiguous"
    result = app.test_cli_runner().invoke(args=["show", form["external_id"]])
    assert result.exit_code == 1 and "several clients" in result.output


def test_create_token_takes_a_scope_and_an_owner(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["create-token", "portal"]).exit_code == 0
    result = runner.invoke(args=["create-token", "uploads", "--scope", "submit",
                                 "--owner", "portal"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["create-token", "x", "--scope", "everything"]).exit_code == 2
    rows = db.session.execute(db.select(ApiToken.name, ApiToken.scope, ApiToken.owner)
                              .order_by(ApiToken.id)).all()
    assert [tuple(r) for r in rows] == [("portal", "read-own", "portal"),
                                        ("uploads", "submit", "portal")]
