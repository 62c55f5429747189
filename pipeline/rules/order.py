"""备案订单: an order without an update for 45 days is deleted (seeds/001 1.1 第5步, 7. 备案审核)."""
from __future__ import annotations

import datetime as dt

from pipeline.findings import Finding, Severity
from pipeline.rules.base import Rule, RuleContext, in_china, register


@register
class OrderAgeRule(Rule):
    id = "order.expired"
    description = "备案订单有效期为 45 天：订单超过 45 天无更新（无修改更新操作、也未通过管局审核）将超期被删除。"
    code = "ORDER_EXPIRED"
    severity = Severity.BLOCK

    def check(self, ctx: RuleContext) -> list[Finding]:
        last = in_china(ctx.last_activity_at or ctx.app.submitted_at)
        idle = in_china(ctx.now) - last
        days = ctx.settings.order_expiry_days
        if idle <= dt.timedelta(days=days):
            return []
        return [self.finding(
            f"备案订单自 {last:%Y-%m-%d %H:%M} 起已 {idle.days} 天无更新，超过 {days} 天的订单会超期被删除。"
            "请申请人重新提交备案订单，或确认订单仍有效后更新订单。",
            field="submitted_at" if ctx.last_activity_at is None else "last_activity_at",
            observed=last.isoformat(), expected=f"<= {days} 天", idle_days=idle.days)]
