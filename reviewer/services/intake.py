"""Intake: validate an application and its files, then store all of it or nothing.

Shared by `reviewer intake DIR` and `POST /api/v1/applications`. Every refusal is an
`IntakeError` carrying the contract's error object; nothing is written until every
check has passed, and a failure while writing removes the files it added.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from models import Application, InspectionRun, Material, Person, Subject, Website, db, utcnow
from models.base import new_id
from models.audit import record
from models.status import Status
from models.storage import LocalStorage, sha256_of
from pipeline.china_time import CHINA
from pipeline.form import FilingForm
from pipeline.imageio import PDF_KINDS, FileInfo, UnsupportedFile, probe
from reviewer.services import inspections
from reviewer.services.runtime import IntakeLimits

EXTENSIONS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
              ".pdf": "application/pdf"}
MAX_FORM_BYTES = 1024 * 1024  # the contract's application.json is a few KB


class IntakeError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


@dataclass(frozen=True)
class Submitter:
    """Who hands an application in: the audit actor and the client that owns it
    (an API token's owner and id; the operators' CLI owns with "")."""

    actor: str = "system"
    actor_id: int | None = None
    owner: str = ""
    token_id: int | None = None


@dataclass
class IntakeResult:
    """The application, and the run intake started for it: None when the application had
    already been received (the same external id and content), as nothing is started then."""

    application: Application
    created: bool
    run: InspectionRun | None = None


def parse_form(raw: bytes | str) -> FilingForm:
    if len(raw) > MAX_FORM_BYTES:
        raise IntakeError("too_large", f"application.json has {len(raw)} bytes; the limit is "
                          f"{MAX_FORM_BYTES}", "application", 413)
    try:
        data = json.loads(raw)
    except RecursionError as exc:
        raise IntakeError("malformed_json", "application.json is nested too deeply",
                          "application") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise IntakeError("malformed_json", f"application.json is not valid JSON: {exc}",
                          "application") from exc
    if not isinstance(data, dict):
        raise IntakeError("malformed_json", "application.json must hold a JSON object",
                          "application")
    try:
        return FilingForm.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc) from exc


def _validation_error(exc: ValidationError) -> IntakeError:
    first = exc.errors()[0]
    path = field_path(first["loc"])
    kind = first["type"]
    code = "missing_field" if kind == "missing" else "invalid_value"
    message = first["msg"] if not path else f"{path}: {first['msg']}"
    return IntakeError(code, message, path or None)


def field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before") or str(part).startswith(
                ("function-", "literal[", "date", "lax-or-strict")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def check_files(form: FilingForm, files: Mapping[str, bytes], limits: IntakeLimits) -> dict[str, FileInfo]:
    named = {m.file for m in form.materials}
    for name in files:
        if name not in named:
            raise IntakeError("unexpected_file", f"file part {name!r} is named by no material",
                              "materials")
    total = sum(len(data) for data in files.values())
    if total > limits.max_application_bytes:
        raise IntakeError("too_large", f"the files add up to {total} bytes; the limit is "
                          f"{limits.max_application_bytes}", "materials", 413)
    return {m.file: _check_file(i, m, files, limits) for i, m in enumerate(form.materials)}


def _check_file(index: int, material, files: Mapping[str, bytes], limits: IntakeLimits) -> FileInfo:
    where = f"materials[{index}].file"
    data = files.get(material.file)
    if data is None:
        raise IntakeError("missing_file", f"{material.file} is named but was not sent", where)
    if len(data) > limits.max_file_bytes:
        raise IntakeError("too_large", f"{material.file} has {len(data)} bytes; the limit is "
                          f"{limits.max_file_bytes}", where, 413)
    try:
        info = probe(data, max_pixels=limits.max_pixels)
    except UnsupportedFile as exc:
        raise IntakeError(exc.code, f"{material.file}: {exc}", where) from exc
    named_as = EXTENSIONS.get(Path(material.file).suffix.lower())
    if named_as != info.mime:
        raise IntakeError("type_mismatch", f"{material.file}: the name says "
                          f"{named_as or 'an unsupported type'} but the bytes are {info.mime}",
                          where)
    if info.mime == "application/pdf" and material.kind not in PDF_KINDS:
        raise IntakeError("unsupported_type", f"{material.file}: a {material.kind} must be a "
                          "JPEG or PNG photo, not a PDF", where)
    return info


def content_hash(form: FilingForm, digests: Mapping[str, str]) -> str:
    body = form.model_dump(mode="json")
    blob = json.dumps([body, sorted(digests.items())], sort_keys=True,
                      ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


def review_due_at(received: dt.datetime) -> dt.datetime:
    """初审 is answered within one working day; weekends do not count."""
    local = received.astimezone(CHINA)
    if local.weekday() >= 5:  # received on a weekend: the clock starts Monday 09:00
        local = (local + dt.timedelta(days=7 - local.weekday())).replace(
            hour=9, minute=0, second=0, microsecond=0)
    due = local + dt.timedelta(days=1)
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    return due.astimezone(dt.timezone.utc)


def intake(raw_form: bytes | str, files: Mapping[str, bytes], *, storage: LocalStorage,
           limits: IntakeLimits, actor: str = "system", actor_id: int | None = None,
           by: Submitter | None = None) -> IntakeResult:
    """External ids are unique per owner: another client's id is a fresh application."""
    by = by or Submitter(actor, actor_id)
    form = parse_form(raw_form)
    infos = check_files(form, files, limits)
    digests = {name: sha256_of(data) for name, data in files.items()}
    digest = content_hash(form, digests)
    existing = _existing(form.external_id, digest, by.owner)
    if existing is not None:
        return IntakeResult(existing, created=False)
    written = [name for name in files if not storage.exists(digests[name])]
    try:
        for name, data in files.items():
            storage.put(data, digests[name])
        application, run = _store(form, files, infos, digests, digest, by)
        db.session.commit()
    except BaseException as exc:
        db.session.rollback()
        for name in written:  # what this call added, unless another application now holds it
            if not _held(digests[name]):  # (the twin that won a race stored the same bytes)
                storage.delete(digests[name])
        if isinstance(exc, IntegrityError):  # the same external_id arrived concurrently
            existing = _existing(form.external_id, digest, by.owner)
            if existing is not None:
                return IntakeResult(existing, created=False)
        raise
    return IntakeResult(application, created=True, run=run)


def _held(sha256: str) -> bool:
    return db.session.execute(db.select(Material.id).where(Material.sha256 == sha256)
                              .limit(1)).first() is not None


def _existing(external_id: str, digest: str, owner: str) -> Application | None:
    found = db.session.execute(db.select(Application).where(
        Application.owner == owner, Application.external_id == external_id)).scalar_one_or_none()
    if found is not None and found.content_hash != digest:
        raise IntakeError("conflict", f"{external_id} was already received with other content",
                          "external_id", 409)
    return found


def _store(form: FilingForm, files, infos, digests, digest: str,
           by: Submitter) -> tuple[Application, InspectionRun]:
    now = utcnow()
    application = Application(
        id=new_id(), external_id=form.external_id, filing_type=form.filing_type, province=form.province,
        nature=form.subject.nature, subject_name=form.subject.name,
        submitted_at=form.submitted_at, received_at=now, last_activity_at=now,
        due_at=review_due_at(now), status=Status.SUBMITTED.value,
        form=form.model_dump(mode="json"), content_hash=digest, owner=by.owner,
        token_id=by.token_id)
    application.subject = Subject(**form.subject.model_dump(exclude={"leader"}))
    application.persons = list(_persons(form))
    application.websites = [_website(i, w) for i, w in enumerate(form.websites)]
    application.materials = [_material(m, files[m.file], digests[m.file], infos[m.file])
                             for m in form.materials]
    db.session.add(application)
    run = inspections.start(application, inspections.INTAKE)
    record("application.intake", actor=by.actor, actor_id=by.actor_id,
           target_type="application", target_id=application.id,
           detail={"external_id": form.external_id, "materials": len(form.materials),
                   "run": run.id, **({"owner": by.owner, "token": by.token_id}
                                     if by.token_id else {})})
    return application, run


def _persons(form: FilingForm):
    yield _person("subject_leader", form.subject.leader)
    for index, website in enumerate(form.websites):
        if website.leader is not None:
            yield _person(f"website_leader:{index}", website.leader)


def _person(role: str, person) -> Person:
    data = person.model_dump(mode="json")
    return Person(role=role, **data)


def _website(index: int, website) -> Website:
    return Website(position=index, name=website.name, domain=website.domain,
                   content_type=website.content_type, service_type=website.service_type,
                   languages=list(website.languages), pre_approvals=list(website.pre_approvals),
                   own_leader=website.leader is not None,
                   access=website.access.model_dump() if website.access else None)


def _material(material, data: bytes, sha256: str, info: FileInfo) -> Material:
    return Material(kind=material.kind, person=material.person, original_name=material.file,
                    sha256=sha256, mime=info.mime, size_bytes=len(data),
                    width=info.width, height=info.height, pages=info.pages)
