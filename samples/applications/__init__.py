"""Whole filing applications (shared/CONTRACT.md section 1) with realistic material photos.

`build_application(rng, scenario, out_dir, external_id=...)` writes `application.json`
and the JPEG files it names into `out_dir`, and returns the JSON dict plus
`_expected_codes`: the finding codes the scenario is built to raise (empty for the
clean ones). A checker should raise at least these; an unreadable photo may also
bring an *_UNREADABLE warning. Pictures come from `samples.documents` and
`samples.camera`, face photos from `samples.photos` (reframed, so that two
applications of one sample person are not near-duplicate uploads), bad photos from
`samples.defects`.

Both sample faces are women, so every leader here is 女; scenarios about the ID
card are filed by individuals, those about the license by enterprises, the rest by
either. 江苏 is only used when asked for (its personal sites follow a fixed name
template).
"""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.china_time import CHINA
from samples.applications.case import Case, Scenario
from samples.applications.parts import (clean_photo, company_site, contacts, face_photo, id_photo,
                                        personal_site, verification_form)
from samples.applications.scenarios import SCENARIOS, scenario_spec
from samples.documents import (random_company, random_identity, render_id_back, render_id_front,
                               render_license)
from samples.documents.people import business_address
from samples.documents.regions import regions
from samples.faces import PEOPLE

__all__ = ["SCENARIOS", "build_application"]


def build_application(rng: random.Random, scenario: str, out_dir: Path, *,
                      external_id: str, province: str | None = None,
                      submitted_at: dt.datetime | None = None) -> dict[str, Any]:
    """Write an application folder for the scenario and return its JSON plus
    `_expected_codes` (sorted; not written to application.json).

    `submitted_at` (default: now, +08:00) is also the day the ID cards are checked
    against, so clean ones stay valid for months after it.
    """
    spec = scenario_spec(scenario)
    case = _new_case(rng, spec, province, submitted_at)
    for stage, hook in (("records", spec.records), ("form", spec.form), ("images", spec.images)):
        if stage == "form":
            case.form = _form(case, external_id)
        if stage == "images":
            _pictures(case)
        if hook:
            hook(case)
    case.expected |= set(spec.expected)
    return _write(case, Path(out_dir))


def _new_case(rng: random.Random, spec: Scenario, province: str | None,
              submitted_at: dt.datetime | None) -> Case:
    from pipeline.form import PROVINCES

    nature = spec.nature or rng.choice(("enterprise", "individual"))
    province = province or rng.choice([p for p in PROVINCES if p != "江苏省"])
    when = (submitted_at or dt.datetime.now(CHINA)).replace(microsecond=0)
    leader = random_identity(rng, as_of=when.date(), province=province, sex="女",
                             person=rng.choice(PEOPLE))  # both sample faces are women
    company = None
    if nature == "enterprise":
        company = random_company(rng, province, as_of=when.date(),
                                 legal_representative=leader.name)
    return Case(rng, nature, province, when, leader, company)


def _form(case: Case, external_id: str) -> dict[str, Any]:
    rng, leader, company = case.rng, case.leader, case.company
    site = company_site(rng, company) if company else personal_site(rng, case.province, leader)
    person = {"name": leader.name, "cert_type": "resident_id", "cert_number": leader.id_number,
              "cert_valid_until": _iso(leader.valid_until),
              **contacts(rng, case.province, site["domain"], unit=company is not None)}
    return {"external_id": external_id, "filing_type": "first_filing",
            "province": case.province, "submitted_at": case.submitted_at.isoformat(),
            "subject": _subject(case, person), "websites": [site], "materials": []}


def _subject(case: Case, person: dict[str, Any]) -> dict[str, Any]:
    rng, leader, company = case.rng, case.leader, case.company
    if company:
        mail = company.address
        if rng.random() < 0.3:  # an office elsewhere in the province
            mail = business_address(rng, rng.choice(regions(case.province)))
        return {"nature": "enterprise", "cert_type": "business_license", "name": company.name,
                "cert_number": company.credit_code, "cert_address": company.address,
                "mail_address": mail, "investor": company.legal_representative, "remarks": "",
                "leader": person}
    remarks = "网站开通后主要发布本人的读书笔记和学习心得。" if case.province == "江苏省" else ""
    return {"nature": "individual", "cert_type": "resident_id", "name": leader.name,
            "cert_number": leader.id_number, "cert_address": leader.address,
            "mail_address": leader.address, "investor": leader.name, "remarks": remarks,
            "leader": person}


def _pictures(case: Case) -> None:
    """The materials of CONTRACT section 1, photographed as applicants do."""
    rng = case.rng
    if case.company:
        _add(case, "business_license", "license.jpg",
             clean_photo(render_license(case.company), rng))
        if case.province == "北京市":  # 北京 asks units for 手持主办单位证件照 (materials.json)
            _add(case, "handheld_license_photo", "handheld_license.jpg",
                 clean_photo(render_license(case.company), rng))
    _add(case, "id_card_front", "leader_front.jpg", id_photo(render_id_front(case.leader), rng),
         "subject_leader")
    _add(case, "id_card_back", "leader_back.jpg", id_photo(render_id_back(case.leader), rng),
         "subject_leader")
    _add(case, "face_photo", "face.jpg", face_photo(case.leader.person, rng), "website_leader:0")
    _add(case, "verification_form", "form.jpg", verification_form(case.form, rng))


def _add(case: Case, kind: str, file: str, image: np.ndarray, person: str | None = None) -> None:
    entry = {"kind": kind, "file": file} | ({"person": person} if person else {})
    case.form["materials"].append(entry)
    case.images[file] = image


def _write(case: Case, out_dir: Path) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    for material in case.form["materials"]:
        path = out_dir / material["file"]
        quality = [cv2.IMWRITE_JPEG_QUALITY, case.rng.randint(86, 94)]
        if not cv2.imwrite(str(path), case.images[material["file"]], quality):
            raise OSError(f"could not write {path}")
    (out_dir / "application.json").write_text(
        json.dumps(case.form, ensure_ascii=False, indent=2), encoding="utf-8")
    return case.form | {"_expected_codes": sorted(case.expected)}


def _iso(day: dt.date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()
