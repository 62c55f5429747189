"""DUPLICATE_UPLOAD from the database: the band index finds copies up to 7 bits away."""
import random

import pytest

from models import db
from reviewer import services
from tests.reviewer.factories import make_application
from workers.duplicates import duplicate_findings


def _flip(phash: str, bits) -> str:
    value = int(phash, 16)
    for bit in bits:
        value ^= 1 << bit
    return f"{value:064x}"


@pytest.fixture
def pair(app):
    first = make_application(services.storage(), external_id="ICP-DUP-FIRST")
    second = make_application(services.storage(), external_id="ICP-DUP-SECOND")
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
