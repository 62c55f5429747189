"""前置审批: regulated content types need their pre-approval document."""
from __future__ import annotations

import pytest

REGULATED = ["news", "publishing", "culture", "broadcasting", "education", "medicine",
             "healthcare", "ride_hailing", "bulletin"]
FREE = ["enterprise_portal", "general_portal", "other"]


@pytest.mark.parametrize("content_type", REGULATED + FREE)
def test_content_type_needs_pre_approval(forms, content_type):
    data = forms.unit()
    data["websites"][0]["content_type"] = content_type
    found = forms.rule("pre_approval.required", data)
    assert [f.observed for f in found] == ([content_type] if content_type in REGULATED else [])
    for finding in found:
        assert finding.code == "PRE_APPROVAL_REQUIRED" and finding.field == "websites[0].content_type"


@pytest.mark.parametrize("content_type", REGULATED)
def test_declared_and_attached_pre_approval_passes(forms, content_type):
    data = forms.unit()
    data["websites"][0].update(content_type=content_type, pre_approvals=[content_type])
    data["materials"].append({"kind": "pre_approval", "file": "approval.pdf"})
    assert forms.rule("pre_approval.required", data) == []


def test_declared_without_document_is_refused(forms):
    data = forms.unit()
    data["websites"][0].update(content_type="news", pre_approvals=["news"])
    [finding] = forms.rule("pre_approval.required", data)
    assert "未上传" in finding.message


def test_document_for_another_content_is_not_enough(forms):
    data = forms.unit()
    data["websites"][0].update(content_type="education", pre_approvals=["news"])
    data["materials"].append({"kind": "pre_approval", "file": "approval.pdf"})
    [finding] = forms.rule("pre_approval.required", data)
    assert finding.observed == "education" and "未在网站信息中勾选" in finding.message


def test_extra_declared_regulated_content_needs_its_document(forms):
    data = forms.unit()
    data["websites"][0]["pre_approvals"] = ["bulletin"]
    [finding] = forms.rule("pre_approval.required", data)
    assert finding.field == "websites[0].pre_approvals"
