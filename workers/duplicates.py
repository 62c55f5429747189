"""DUPLICATE_UPLOAD: the same image, or a near-identical one, used by another subject."""
from __future__ import annotations

from sqlalchemy import or_

from models import Application, Material, Subject, db
from models.material import phash_bands
from pipeline.findings import Finding

PHOTO_AND_DOCUMENT_KINDS = ("business_license", "id_card_front", "id_card_back", "face_photo",
                            "curtain_photo", "handheld_id_photo", "handheld_license_photo")


def duplicate_findings(application: Application, materials: list[Material]) -> list[Finding]:
    from pipeline.duplicates import NEAR_DUPLICATE_BITS, duplicate_finding, hash_distance

    own_subject = application.subject.cert_number if application.subject else None
    findings = []
    for material in materials:
        if material.kind not in PHOTO_AND_DOCUMENT_KINDS:
            continue
        for other, other_app in _candidates(material, application.id, own_subject):
            exact = other.sha256 == material.sha256
            distance = 0 if exact else hash_distance(material.phash, other.phash)
            if exact or distance <= NEAR_DUPLICATE_BITS:
                findings.append(duplicate_finding(material.original_name, other_app.external_id,
                                                  exact=exact, distance=distance))
                break
    return findings


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
