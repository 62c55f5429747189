"""A finding's evidence and texts in the reviewer's language: Chinese keys, a rule by its
description, 长期 for a card valid for life; technical keys stay in the API only."""
from __future__ import annotations

import re
from typing import Any

from pipeline.labels import EVIDENCE_LABELS, MATERIAL_KIND_LABELS
from reviewer.services.masking import mask_text

MAX_ROWS = 12
LONG_TERM = re.compile(r"\blong_term\b", re.IGNORECASE)


def plain(text: str) -> str:
    """A text as a reviewer reads it: `long_term` is 长期."""
    return LONG_TERM.sub("长期", text)


def _rule_description(rule_id: Any) -> str:
    from pipeline.quality.base import CHECKS
    from pipeline.rules.base import RULES

    rule = RULES.get(rule_id) or CHECKS.get(rule_id)
    return rule.description if rule is not None else "其他检查"


def _value(key: str, value: Any) -> str:
    if key in ("rule", "check"):
        return _rule_description(value)
    if key == "kind":
        return MATERIAL_KIND_LABELS.get(value, "其他资料")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return "、".join(_value("", v) for v in value[:8]) + ("…" if len(value) > 8 else "")
    if isinstance(value, dict):
        return "，".join(f"{EVIDENCE_LABELS.get(k, k)} {_value(k, v)}"
                        for k, v in list(value.items())[:8])
    return plain(mask_text(value))


def evidence_rows(evidence: dict | None) -> list[tuple[str, str]]:
    """(Chinese label, shown value) for the evidence a reviewer can read."""
    return [(EVIDENCE_LABELS[key], _value(key, value)) for key, value in (evidence or {}).items()
            if key in EVIDENCE_LABELS][:MAX_ROWS]
