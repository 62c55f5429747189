"""前置审批: content that needs the approval of its authority before filing.

Source: `data/pre_approvals.json` (seeds/000 第4步, seeds/001 3.1 前置审批, seeds/002 前置审批办理).
"""
from __future__ import annotations

from pipeline.findings import Finding, Severity
from pipeline.form import FormWebsite
from pipeline.rules.base import Rule, RuleContext, register
from pipeline.rules.tables import table


def needs_pre_approval(site: FormWebsite) -> list[str]:
    """The content types of a site that need a pre-approval document."""
    regulated = table("pre_approvals")["content_types"]
    types = [site.content_type, *site.pre_approvals]
    return [t for t in dict.fromkeys(types) if t in regulated]


@register
class PreApprovalRule(Rule):
    id = "pre_approval.required"
    description = "网站内容涉及新闻、出版、文化、广播电影电视节目、教育、药品和医疗器械、医疗保健、网络预约车、电子公告等，须提供前置审批文件。"
    code = "PRE_APPROVAL_REQUIRED"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        attached = any(m.kind == "pre_approval" for m in ctx.app.materials)
        out = []
        for index, site in enumerate(ctx.app.websites):
            for content_type in needs_pre_approval(site):
                if content_type in site.pre_approvals and attached:
                    continue
                out.append(self._missing(index, site, content_type, attached))
        return out

    def _missing(self, index: int, site: FormWebsite, content_type: str, attached: bool) -> Finding:
        entry = table("pre_approvals")["content_types"][content_type]
        where = "未在网站信息中勾选该前置审批" if attached else "未上传前置审批文件"
        return self.finding(
            f"网站「{site.name}」的内容涉及{entry['label']}类，须先取得{entry['authority']}的前置审批，"
            f"但{where}。请办理前置审批后在网站信息中选择该审批类型并上传审批文件；如网站不涉及此类内容，"
            "请修改网站内容类型。",
            field=f"websites[{index}].content_type" if content_type == site.content_type
            else f"websites[{index}].pre_approvals",
            observed=content_type, expected="pre_approval", content_label=entry["label"])
