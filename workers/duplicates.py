"""DUPLICATE_UPLOAD: the same image, or a near-identical one, used by another subject."""
from __future__ import annotations

from sqlalchemy import or_

from models import Application, Material, MaterialResult, Subject, db
from models.material import phash_bands
from pipeline.analysis import MaterialAnalysis
from pipeline.findings import Finding

PHOTO_AND_DOCUMENT_KINDS = ("business_license", "id_card_front", "id_card_back", "face_photo",
                            "curtain_photo", "handheld_id_photo", "handheld_license_photo")


def duplicate_findings(application: Application, materials: list[Material],
                       analyses: dict[str, MaterialAnalysis] | None = None) -> list[Finding]:
    """`analyses`: this application's, by file name, to tell a near-identical picture of
    another card or person from a copy (the other side's is read from its stored result)."""
    own_subject = application.subject.cert_number if application.subject else None
    findings = []
    for material in materials:
        if material.kind not in PHOTO_AND_DOCUMENT_KINDS:
            continue
        mine = (analyses or {}).get(material.original_name)
        for other, other_app in _candidates(material, application.id, own_subject):
            finding = _duplicate(material, mine, other, other_app.external_id)
            if finding is not None:
                findings.append(finding)
                break
    return findings


def _duplicate(material: Material, mine: MaterialAnalysis | None, other: Material,
               other_external_id: str) -> Finding | None:
    from pipeline.duplicates import (NEAR_DUPLICATE_BITS, duplicate_finding, hash_distance,
                                     shows_something_else)

    if other.sha256 == material.sha256:
        return duplicate_finding(material.original_name, other_external_id, exact=True,
                                 distance=0)
    distance = hash_distance(material.phash, other.phash)
    if distance > NEAR_DUPLICATE_BITS or shows_something_else(mine, _stored_analysis(other)):
        return None
    return duplicate_finding(material.original_name, other_external_id, exact=False,
                             distance=distance)


def _stored_analysis(material: Material) -> MaterialAnalysis | None:
    """The newest stored analysis of a material's bytes as its kind, of any version."""
    row = db.session.execute(
        db.select(MaterialResult).filter_by(sha256=material.sha256, kind=material.kind)
        .order_by(MaterialResult.created_at.desc()).limit(1)).scalar_one_or_none()
    return MaterialAnalysis.from_dict(row.analysis) if row else None


def _candidates(material: Material, application_id: str, own_subject: str | None):
    same = [Material.sha256 == material.sha256]
    if material.phash:
        same += [column == band for column, band
                 in zip(Material.band_columns(), phash_bands(material.phash))]
    query = (db.select(Material, Application)
             .join(Application, Material.application_id == Application.id)
             .join(Subject, Subject.application_id == Application.id)
             .where(Material.application_id != application_id, or_(*same),
                    Material.phash.is_not(None) | (Material.sha256 == material.sha256))
             .limit(50))
    if own_subject:
        query = query.where(Subject.cert_number != own_subject)
    return db.session.execute(query).all()
