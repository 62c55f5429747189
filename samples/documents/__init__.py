"""Generated Chinese documents: 居民身份证 front and back, 营业执照, 真实性核验单.

Records first (`random_identity`, `random_company`: coherent, checksum-valid data),
then renders of them (`render_id_front`, `render_id_back`, `render_license`: BGR
uint8, document only; `samples.camera` puts them in a phone photo), and the
ground truth an extractor should read off each (`ground_truth`, in the field
names and formats of shared/CONTRACT.md).
"""
from __future__ import annotations

import datetime as dt

from samples.documents.company import CompanyRecord, random_company
from samples.documents.id_card import (CARD_SIZE, CORNER_RADIUS, render_id_back, render_id_front,
                                       validity_text)
from samples.documents.identity import IdentityRecord, random_identity
from samples.documents.license import render_license
from samples.documents.verification import VerificationEntries, render_verification_form

KINDS = ("id_card_front", "id_card_back", "business_license")

__all__ = [
    "CARD_SIZE", "CORNER_RADIUS", "KINDS", "CompanyRecord", "IdentityRecord", "ground_truth",
    "random_company", "random_identity", "render_id_back", "render_id_front", "render_license",
    "VerificationEntries", "render_verification_form", "validity_text",
]


def ground_truth(rec: IdentityRecord | CompanyRecord, kind: str) -> dict[str, str]:
    """The fields an extractor should read off the `kind` render of `rec`.

    Exactly the contract's field names; dates as YYYY-MM-DD, 长期 as `long_term`.
    """
    if kind == "id_card_front" and isinstance(rec, IdentityRecord):
        return {"name": rec.name, "sex": rec.sex, "ethnicity": rec.ethnicity,
                "birth_date": _iso(rec.birth_date), "address": rec.address,
                "id_number": rec.id_number}
    if kind == "id_card_back" and isinstance(rec, IdentityRecord):
        return {"issuer": rec.issuer, "valid_from": _iso(rec.valid_from),
                "valid_until": _iso(rec.valid_until)}
    if kind == "business_license" and isinstance(rec, CompanyRecord):
        truth = {"name": rec.name, "credit_code": rec.credit_code,
                 "entity_type": rec.entity_type,
                 "legal_representative": rec.legal_representative, "address": rec.address,
                 "registered_capital": rec.registered_capital,
                 "established": _iso(rec.established), "term_until": _iso(rec.term_until),
                 "business_scope": rec.business_scope}
        if rec.registration_number:
            truth["registration_number"] = rec.registration_number
        return truth
    raise ValueError(f"no {kind!r} ground truth for a {type(rec).__name__}; kinds: {KINDS}")


def _iso(day: dt.date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()
