"""Revealing one masked value for one page view (查看完整信息), by a key the page gave.

Keys: a form path of a personal field (`subject.leader.mobile`,
`websites[0].leader.cert_number`), `extracted:<id>` for an extracted ID number,
`finding:<id>` for a finding whose texts hold personal data. A key is resolved
only within the application the request names.
"""
from __future__ import annotations

import re

from models import Application, ExtractedField, FindingRow, InspectionRun, db
from reviewer.web.desk.compare import lookup
from reviewer.services.masking import is_personal

FORM_KEY = re.compile(r"^(subject|subject\.leader|websites\[\d{1,3}\]\.leader)\."
                      r"(cert_number|mobile|phone2|emergency_phone)$")
ROW_KEY = re.compile(r"^(extracted|finding):(\d{1,12})$")


def _run_of(application: Application, run_id: int) -> bool:
    run = db.session.get(InspectionRun, run_id)
    return run is not None and run.application_id == application.id


def resolve(application: Application, key: str) -> dict[str, str] | None:
    """The unmasked texts behind `key` (part -> text), or None if the key names nothing."""
    if FORM_KEY.match(key):
        value = lookup(application.form, key)
        owner = lookup(application.form, key.rsplit(".", 1)[0]) or {}
        if value in (None, "") or not is_personal(key, cert_type=owner.get("cert_type")):
            return None
        return {"value": str(value)}
    match = ROW_KEY.match(key)
    if match is None:
        return None
    kind, row_id = match.group(1), int(match.group(2))
    if kind == "extracted":
        row = db.session.get(ExtractedField, row_id)
        if row is None or not _run_of(application, row.run_id):
            return None
        return {"value": row.value, "raw": row.raw or ""}
    row = db.session.get(FindingRow, row_id)
    if row is None or not _run_of(application, row.run_id):
        return None
    return {"message": row.message, "expected": row.expected or "", "observed": row.observed or ""}
