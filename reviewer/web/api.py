"""The intake API of shared/CONTRACT.md section 2-3, behind bearer tokens."""
from __future__ import annotations

import datetime as dt
import hmac

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from models import ApiToken, Application, db, utcnow
from models.application import AmbiguousExternalId, find_application
from models.audit import record
from models.report import application_report
from reviewer.services import inspections, runtime
from reviewer.web.extensions import csrf
from reviewer.services.intake import IntakeError, Submitter, intake

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# A token's "last used" is kept to the minute: one write a minute, not one per request.
LAST_USED_GRAIN = dt.timedelta(minutes=1)
csrf.exempt(bp)


def _error(code: str, message: str, status: int, field: str | None = None):
    return jsonify(error={"code": code, "message": message, "field": field}), status


@bp.before_request
def authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error("unauthorized", "a valid bearer token is required", 401)
    digest = ApiToken.digest(token.strip())
    row = db.session.execute(db.select(ApiToken).where(
        ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))).scalar_one_or_none()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return _error("unauthorized", "a valid bearer token is required", 401)
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_GRAIN:
        row.last_used_at = now  # committed now: a refused request rolls back its own work
        db.session.commit()
    g.api_token = row
    return None


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    return _error("too_large", "the request body is too large", 413)


@bp.errorhandler(IntakeError)
def refused(exc: IntakeError):
    db.session.rollback()
    return jsonify(exc.to_dict()), exc.status


@bp.post("/applications")
def create_application():
    try:
        raw = _form_part()
        files = _file_parts()
    except RequestEntityTooLarge:
        return too_large(None)
    token = g.api_token
    result = intake(raw, files, storage=runtime.storage(), limits=runtime.intake_limits(),
                    by=Submitter(actor=f"api:{token.name}", owner=token.owner,
                                 token_id=token.id))
    application = result.application
    if result.created:
        inspections.try_enqueue(result.run)
    body = {"id": application.id, "status": application.status}
    return jsonify(body), 201 if result.created else 200


def _form_part() -> bytes:
    if "application" in request.files:
        return request.files["application"].read()
    if "application" in request.form:
        return request.form["application"].encode()
    raise IntakeError("missing_field", "the multipart part `application` is missing",
                      "application")


def _file_parts() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for part_name, storage in request.files.items(multi=True):
        if part_name == "application":
            continue
        if part_name in files:
            raise IntakeError("duplicate_file", f"file part {part_name!r} was sent twice",
                              "materials")
        files[part_name] = storage.read()
    return files


@bp.get("/applications/<application_id>")
def get_application(application_id: str):
    """read-own finds only its owner's applications: another owner's answers exactly as
    an unknown id does. Every read is an audit event naming the token."""
    token = g.api_token
    if not token.scope_kind.can_read():
        return _error("forbidden", "this token may only submit applications", 403)
    try:
        application = find_application(
            application_id, owner=None if token.scope_kind.reads_all() else token.owner)
    except AmbiguousExternalId as exc:
        return _error("ambiguous", str(exc), 409)
    if application is None:
        _note_refused_read(token, application_id)
        return _error("not_found", f"no application {application_id[:64]}", 404)
    record("application.view", actor=f"api:{token.name}", target_type="application",
           target_id=application.id, detail={"via": "api", **_token_detail(token)})
    db.session.commit()
    # the contract's output in full: a read-own token reads back only what its owner sent
    return jsonify(application_report(application))


def _token_detail(token: ApiToken) -> dict:
    return {"token": token.id, "owner": token.owner, "scope": token.scope}


def _note_refused_read(token: ApiToken, key: str) -> None:
    """A read that found nothing for this token is recorded, naming another owner's
    application when that is what it was; an unknown id costs the same work, so the
    time taken does not tell the two apart either."""
    foreign = db.session.execute(db.select(Application.id).where(
        (Application.id == key) | (Application.external_id == key)).limit(1)).scalar()
    record("application.view_refused", actor=f"api:{token.name}", target_type="application",
           target_id=foreign, detail={"via": "api", "key": key[:64], **_token_detail(token)})
    db.session.commit()
