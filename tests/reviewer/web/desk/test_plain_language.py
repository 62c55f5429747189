"""The reviewer's pages speak Chinese: evidence keys, rules by description, 长期, one face
threshold (in the face pair, not again in the finding)."""
from __future__ import annotations

import re

from reviewer.services import runtime
from tests.reviewer.factories import make_application

FACE = {"code": "FACE_MISMATCH", "severity": "block", "material": "face.jpg", "field": None,
        "expected": "leader_front.jpg", "observed": "0.654", "message": "照片与证件不是同一人。",
        "evidence": {"distance": 0.6541, "match_threshold": 0.6, "grey_threshold": 0.5,
                     "reference": "leader_front.jpg"}}
RULE = {"code": "ID_EXPIRES_SOON", "severity": "warn", "material": None,
        "field": "subject.leader.cert_valid_until", "expected": "> 2027-03-04",
        "observed": "long_term", "message": "证件有效期至 long_term。",
        "evidence": {"rule": "people.cert_expires_soon", "internal_score": 3}}


def evidence_block(body: str) -> str:
    return "".join(re.findall(r'<details class="evidence">(.*?)</details>', body, re.S))


def test_evidence_reads_in_chinese_with_one_face_threshold(client, login, users):
    application = make_application(runtime.storage(), findings=[FACE, RULE])
    login("reviewer")
    body = client.get(f"/applications/{application.id}").get_data(as_text=True)
    evidence = evidence_block(body)
    keys = re.findall(r"<dt>(.*?)</dt>", evidence)
    assert keys and not [k for k in keys if re.search("[A-Za-z]", k)], keys
    assert "人脸距离" in keys and "检查规则" in keys
    assert "people.cert_expires_soon" not in evidence and "有效期需大于 3 个月" in evidence
    assert "internal_score" not in body and "0.5<" not in evidence
    assert body.count("<dt>阈值</dt>") == 1 and "判定阈值" not in evidence
    assert "long_term" not in body and "证件有效期至 长期" in body
