"""Form rules (表单规则): every rule of the seed documents, as small registered checks.

Each rule is a class in `RULES` (id -> class) with a Chinese description, the contract
finding code it reports and a severity; province tables (banned words, site limits,
materials) live in `pipeline/data/*.json`, each citing its seed document.

    run_form_rules(app, now=now)          -> list[Finding]
    sms_verification_targets(app)         -> ["主体负责人 王建国", ...]
    required_materials(app)               -> [RequiredMaterial(...), ...]
"""
from __future__ import annotations

import datetime as dt
import logging

# The rule modules register their rules in RULES when imported.
from pipeline.rules import (  # noqa: F401
    addresses, certificates, contacts, domains, materials, order, people,
    personal_site_names, pre_approval, site_count, site_names,
)
from pipeline.findings import Finding
from pipeline.form import FilingForm
from pipeline.rules.base import RULES, Rule, RuleContext, RuleError, RuleSettings
from pipeline.rules.materials import RequiredMaterial, required_materials
from pipeline.rules.sms import sms_verification_targets

__all__ = [
    "RULES", "RequiredMaterial", "Rule", "RuleContext", "RuleError", "RuleSettings",
    "required_materials", "run_form_rules", "sms_verification_targets",
]
log = logging.getLogger(__name__)


def run_form_rules(app: FilingForm, *, now: dt.datetime,
                   last_activity_at: dt.datetime | None = None,
                   settings: RuleSettings | None = None) -> list[Finding]:
    """Run every registered rule; blocks first, then warnings, then notes.

    A rule that raises does not stop the others: once all have run, `RuleError`
    names the failed rule ids and carries the findings of the rest.
    """
    ctx = RuleContext(app, now, last_activity_at, settings or RuleSettings())
    findings: list[Finding] = []
    failed: dict[str, str] = {}
    for rule_id, rule_class in RULES.items():
        try:
            findings.extend(rule_class().check(ctx))
        except Exception as exc:
            log.exception("form rule %s failed", rule_id)
            failed[rule_id] = f"{type(exc).__name__}: {exc}"[:500]
    # Stable sort: where two rules flag the same value, the stricter finding comes first.
    findings.sort(key=lambda f: -f.severity.rank)
    if failed:
        raise RuleError(failed, findings)
    return findings
