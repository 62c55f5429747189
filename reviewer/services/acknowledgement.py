"""Deciding over the inspection: approving over a block finding (须整改) or against the
recommendation needs each block finding acknowledged and a note; the decision keeps both.
"""
from __future__ import annotations

from models import Application
from pipeline.findings import CATALOGUE

NEUTRAL = (None, "review")  # a recommendation that leaves the choice to the reviewer


def block_codes(application: Application) -> list[str]:
    """The codes of the latest run's block findings, in the order the page lists them."""
    run = application.latest_run
    findings = run.findings if run else []
    return list(dict.fromkeys(f.code for f in findings if f.severity == "block"))


def against_recommendation(application: Application, kind: str) -> bool:
    return application.recommendation not in NEUTRAL and kind != application.recommendation


def needs_acknowledgement(application: Application, kind: str) -> bool:
    """An approval over a block finding, or against a recommendation to reject or mail."""
    return kind == "approve" and (bool(block_codes(application))
                                  or against_recommendation(application, kind))


def refusal(application: Application, kind: str, acknowledged, note: str) -> str | None:
    """Why the decision cannot be recorded as asked (Chinese), or None."""
    if not needs_acknowledgement(application, kind):
        return None
    missing = [c for c in block_codes(application) if c not in set(acknowledged)]
    if missing:
        titles = "、".join(CATALOGUE[c].title if c in CATALOGUE else c for c in missing)
        return f"本申请有须整改的检查发现，通过前请逐项确认：{titles}。"
    if not note.strip():
        return "不按系统建议或越过须整改发现通过时，请在内部备注中写明理由。"
    return None
