"""DUPLICATE_UPLOAD from the database: the band index finds copies up to 7 bits away."""
import random

import pytest

from models import db
from reviewer.services import runtime
from tests.reviewer.factories import make_application
from workers.duplicates import duplicate_findings


def _flip(phash: str, bits) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:064x}"


@pytest.fixture
def pair(app):
    first = make_application(runtime.storage(), external_id="ICP-DUP-FIRST")
    second = make_application(runtime.storage(), external_id="ICP-DUP-SECOND")
    second.subject.cert_number = "91330106MA2CFYUP7K"  # another subject
    _license(second).sha256 = "0" * 64  # other bytes: only the perceptual hash can match
    db.session.commit()
    return first, second


def _license(application):
    return next(m for m in application.materials if m.kind == "business_license")


@pytest.mark.parametrize("flipped", [0, 3, 7])
def test_a_copy_within_seven_bits_names_the_other_application(pair, flipped):
    first, second = pair
    phash = f"{random.Random(flipped).getrandbits(256):064x}"
    _license(first).set_phash(phash)
    _license(second).set_phash(_flip(phash, [32 * band + 3 for band in range(flipped)]))
    db.session.commit()
    findings = duplicate_findings(second, [_license(second)])
    assert findings[0].code == "DUPLICATE_UPLOAD"
    assert len(findings) == 1 and "ICP-DUP-FIRST" in findings[0].observed + findings[0].message


def test_a_different_picture_is_no_duplicate(pair):
    first, second = pair
    rng = random.Random(1)
    _license(first).set_phash(f"{rng.getrandbits(256):064x}")
    _license(second).set_phash(f"{rng.getrandbits(256):064x}")
    db.session.commit()
    assert duplicate_findings(second, [_license(second)]) == []


def _stored_back_reading(material, issuer: str) -> None:
    from models import MaterialResult
    from pipeline.analysis import ExtractedDocument, MaterialAnalysis

    fields = {"issuer": issuer, "valid_from": "2016-05-01", "valid_until": "2036-05-01"}
    analysis = MaterialAnalysis(file=material.original_name, kind=material.kind,
                                extracted=ExtractedDocument(kind=material.kind, fields=fields))
    db.session.add(MaterialResult(sha256=material.sha256, kind=material.kind,
                                  pipeline_version="test", analysis=analysis.to_dict()))


@pytest.mark.parametrize("their_issuer, duplicate", [("北京市公安局朝阳分局", False),
                                                     ("杭州市公安局西湖分局", True)])
def test_a_near_identical_id_back_that_prints_another_issuer_is_no_duplicate(
        pair, their_issuer, duplicate):
    """Two people's ID backs photographed alike were 8 bits apart (7 here, in reach of the band index): the first's stored
    reading and the second's tell whether it is one card or two."""
    from pipeline.analysis import ExtractedDocument, MaterialAnalysis

    first, second = pair
    back = {a: next(m for m in a.materials if m.kind == "id_card_back") for a in pair}
    back[second].sha256 = "1" * 64
    phash = f"{random.Random(5).getrandbits(256):064x}"
    back[first].set_phash(phash)
    back[second].set_phash(_flip(phash, [3, 40, 77, 100, 130, 170, 200]))  # 7 bits
    _stored_back_reading(back[first], their_issuer)
    db.session.commit()
    mine = MaterialAnalysis(file=back[second].original_name, kind="id_card_back",
                            extracted=ExtractedDocument(kind="id_card_back", fields={
                                "issuer": "杭州市公安局西湖分局", "valid_from": "2016-05-01",
                                "valid_until": "2036-05-01"}))
    findings = duplicate_findings(second, [back[second]], {mine.file: mine})
    assert [f.code for f in findings] == (["DUPLICATE_UPLOAD"] if duplicate else [])
