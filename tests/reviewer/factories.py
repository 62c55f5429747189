"""Applications for desk tests, inserted directly as rows (no intake, no workers).

`make_application` stores the contract example (copied here: tests do not read
/work/shared) with small generated images, a finished inspection run with findings,
extracted fields and a face comparison, and the stored material analyses the viewer
draws its boxes from.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
import re
from typing import Any

import pytest
from PIL import Image, ImageDraw

from models import (Application, ExtractedField, FaceMatch, FindingRow, InspectionRun, Material,
                    MaterialResult, Person, Subject, User, Website, db, utcnow)
from models.base import new_id
from pipeline import PIPELINE_VERSION
from samples import contract

CONTRACT_EXAMPLE: dict[str, Any] = contract.example()
LEADER_ID = CONTRACT_EXAMPLE["subject"]["leader"]["cert_number"]
LEADER_MOBILE = CONTRACT_EXAMPLE["subject"]["leader"]["mobile"]
NAME_BOX = [[120.0, 40.0], [260.0, 40.0], [260.0, 70.0], [120.0, 70.0]]
FACE_BOX = [40, 300, 200, 180]  # top, right, bottom, left
_serial = itertools.count(1)


def image_bytes(colour: tuple[int, int, int], size: tuple[int, int] = (480, 300),
                label: str = "") -> bytes:
    image = Image.new("RGB", size, colour)
    if label:
        ImageDraw.Draw(image).text((10, 10), label, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def default_findings() -> list[dict]:
    return [
        {"code": "ID_NAME_MISMATCH", "severity": "block", "material": "leader_front.jpg",
         "field": "name", "expected": "王建国", "observed": "王健国",
         "message": "身份证姓名“王健国”与填写的负责人姓名“王建国”不一致，请核对后重新填写或上传。",
         "evidence": {"box": NAME_BOX, "confidence": 0.91, "raw": "姓名王健国"}},
        {"code": "CONTACT_INVALID", "severity": "block", "material": None,
         "field": "subject.leader.emergency_phone", "expected": f"!= {LEADER_MOBILE}",
         "observed": "13900000000",
         "message": "应急联系电话 13900000000 不能与手机号码相同，请填写其他号码。",
         "evidence": {"rule": "contacts.emergency"}},
        {"code": "LICENSE_LEGAL_REP_MISMATCH", "severity": "warn", "material": "license.jpg",
         "field": "legal_representative", "expected": "王建国", "observed": "李明",
         "message": "营业执照法定代表人为“李明”，主体负责人为“王建国”，请确认是否需要授权书。",
         "evidence": {}},
    ]


def default_extracted() -> list[dict]:
    return [
        {"material": "leader_front.jpg", "kind": "id_card_front", "field": "name",
         "value": "王健国", "confidence": 0.91, "raw": "姓名王健国", "box": NAME_BOX},
        {"material": "leader_front.jpg", "kind": "id_card_front", "field": "id_number",
         "value": LEADER_ID, "confidence": 0.98, "raw": f"公民身份号码{LEADER_ID}",
         "box": [[100.0, 240.0], [420.0, 240.0], [420.0, 270.0], [100.0, 270.0]]},
        {"material": "license.jpg", "kind": "business_license", "field": "name",
         "value": "杭州云帆信息技术有限公司", "confidence": 0.97, "raw": "名称杭州云帆信息技术有限公司",
         "box": None},
        {"material": "license.jpg", "kind": "business_license", "field": "legal_representative",
         "value": "李明", "confidence": 0.95, "raw": "法定代表人李明", "box": None},
    ]


def _form(external_id: str, subject_name: str | None, changes: dict | None) -> dict:
    form = copy.deepcopy(CONTRACT_EXAMPLE)
    form["external_id"] = external_id
    if subject_name is not None:
        form["subject"]["name"] = subject_name
    for path, value in (changes or {}).items():
        target, keys = form, path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        target[keys[-1]] = value
    return form


def _rows(application: Application, form: dict, storage) -> None:
    subject = {k: v for k, v in form["subject"].items() if k != "leader"}
    application.subject = Subject(**subject)
    application.persons = [Person(role="subject_leader", **form["subject"]["leader"])]
    application.websites = [
        Website(position=i, name=w["name"], domain=w["domain"], content_type=w["content_type"],
                service_type=w["service_type"], languages=w["languages"],
                pre_approvals=w["pre_approvals"], own_leader=w["leader"] is not None,
                access=w["access"]) for i, w in enumerate(form["websites"])]
    for index, entry in enumerate(form["materials"]):
        data = image_bytes((200 + index * 10, 220, 230 - index * 20), label=entry["file"])
        application.materials.append(Material(
            kind=entry["kind"], person=entry.get("person"), original_name=entry["file"],
            sha256=storage.put(data), mime="image/jpeg", size_bytes=len(data),
            width=480, height=300))


def _analysis(material: Material) -> dict:
    lines = [{"text": "文字行", "confidence": 0.9,
              "box": [[20.0, 100.0 + 30 * i], [400.0, 100.0 + 30 * i],
                      [400.0, 124.0 + 30 * i], [20.0, 124.0 + 30 * i]]} for i in range(3)]
    faces = [{"box": FACE_BOX, "encoding": [0.0] * 4}] \
        if material.kind in ("id_card_front", "face_photo") else []
    return {"file": material.original_name, "kind": material.kind, "width": 480, "height": 300,
            "lines": lines, "faces": faces, "findings": [], "errors": {}}


def _by_file(row: dict, materials: dict[str, Material]) -> dict:
    """A row given with its material's file name (as the contract shows it), by material."""
    name = row.get("material")
    return {**row, "material": materials[name] if name else None}


def _run(application: Application, findings, extracted, faces: bool) -> InspectionRun:
    run = InspectionRun(application_id=application.id, pipeline_version=PIPELINE_VERSION,
                        state="done", trigger="intake", started_at=utcnow(),
                        finished_at=utcnow(), recommendation="review")
    materials = {m.original_name: m for m in application.materials}
    run.findings = [FindingRow(**_by_file(f, materials)) for f in findings]
    run.extracted = [ExtractedField(**_by_file(e, materials)) for e in extracted]
    if faces:
        run.faces = [FaceMatch(material=materials["face.jpg"],
                               reference=materials["leader_front.jpg"], faces_found=1,
                               distance=0.41, match=True, threshold=0.6)]
    return run


def _store_analyses(application: Application) -> None:
    for material in application.materials:
        known = db.session.execute(db.select(MaterialResult.id).filter_by(
            sha256=material.sha256, kind=material.kind,
            pipeline_version=PIPELINE_VERSION)).first()
        if known is None:
            db.session.add(MaterialResult(sha256=material.sha256, kind=material.kind,
                                          pipeline_version=PIPELINE_VERSION,
                                          analysis=_analysis(material)))


def make_application(storage, *, subject_name: str | None = None, status: str = "awaiting_review",
                     province: str = "浙江省", filing_type: str = "first_filing",
                     due_in: dt.timedelta = dt.timedelta(hours=20), assignee: User | None = None,
                     findings: list[dict] | None = None, extracted: list[dict] | None = None,
                     faces: bool = True, risk_score: int | None = None,
                     form_changes: dict | None = None, external_id: str | None = None,
                     received_ago: dt.timedelta = dt.timedelta(hours=4)) -> Application:
    """One application with its rows, files and a finished run; committed."""
    external_id = external_id or f"ICP-TEST-{next(_serial):06d}-{new_id()[:6]}"
    form = _form(external_id, subject_name, {"province": province, "filing_type": filing_type,
                                             **(form_changes or {})})
    findings = default_findings() if findings is None else findings
    now = utcnow()
    application = Application(
        id=new_id(), external_id=external_id, filing_type=filing_type, province=province,
        nature=form["subject"]["nature"], subject_name=form["subject"]["name"],
        submitted_at=now - received_ago, received_at=now - received_ago, last_activity_at=now,
        due_at=now + due_in, status=status, assignee_id=assignee.id if assignee else None,
        form=form, content_hash=new_id() + new_id())
    _rows(application, form, storage)
    db.session.add(application)
    db.session.flush()
    run = _run(application, findings, default_extracted() if extracted is None else extracted,
               faces)
    db.session.add(run)
    db.session.flush()
    application.latest_run_id = run.id
    severities = {f["severity"] for f in findings}
    application.highest_severity = next((s for s in ("block", "warn", "info") if s in severities),
                                        None)
    application.risk_score = risk_score if risk_score is not None else 10 * len(findings)
    application.recommendation = "reject" if "block" in severities else "approve"
    _store_analyses(application)
    db.session.commit()
    return application


@pytest.fixture(autouse=True)
def desk_env(app, monkeypatch):
    """Two things the shared fixtures do not do for desk tests.

    Passwords are hashed with argon2 at cheap settings (the production cost of
    about half a second per hash would dominate these tests' run time). And the
    `app` fixture keeps one app context open for the whole test, so Flask's `g`
    (where Flask-WTF caches the CSRF token) outlives each request: the token is
    dropped after every request, so that a new session (a second log-in) gets its own.
    """
    from argon2 import PasswordHasher
    from flask import g

    import models.user

    monkeypatch.setattr(models.user, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    app.teardown_request(lambda exc: g.pop("csrf_token", None))
    return app


TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client, page: str = "/queue") -> str:
    """The CSRF token of the logged-in session, read from a page's meta tag."""
    found = TOKEN.search(client.get(page).get_data(as_text=True))
    assert found, f"no CSRF token on {page}"
    return found.group(1)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST a form with the session's CSRF token, as the browser would."""
    body = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=body, **kwargs)
