"""网站数量: how many websites (one domain each) one order may carry (seeds/001 3.2)."""
from __future__ import annotations

from pipeline.findings import Finding, Severity
from pipeline.rules.base import Rule, RuleContext, register
from pipeline.rules.tables import table


@register
class SiteCountRule(Rule):
    id = "site_count.province_limit"
    description = "同一备案订单可备案的网站/域名数量：湖北、湖南每单一个网站；陕西个人 4 个网站、单位域名不超过 30 个；河南个人 3 个、单位 5 个；其他省份不限（3.2 各省市支持备案的网站数量表）。"
    code = "SITE_COUNT_EXCEEDED"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        limits = table("site_limits")
        entry = limits["provinces"].get(ctx.app.province)
        if entry is None or ctx.app.filing_type not in limits["filing_types"]:
            return []
        subject = "individual" if ctx.is_individual else "unit"
        limit = entry[subject]
        count = len(ctx.app.websites)  # 每个网站对应一个域名: websites and domains count alike
        maximum = limit.get("max_websites", limit.get("max_domains"))
        if count <= maximum:
            return []
        noun = "网站" if "max_websites" in limit else "域名"
        who = "个人" if ctx.is_individual else "单位"
        return [self.finding(
            f"本订单备案了 {count} 个{noun}，{ctx.app.province}{who}备案同一订单最多 {maximum} 个{noun}"
            f"（{entry['note'].rstrip('。')}）。请减少本订单的网站，其余网站在本次备案成功后另行提交。",
            field="websites", observed=count, expected=f"<= {maximum}", province=ctx.app.province,
            limit=maximum)]
