"""The audit log as a supervisor reads it: Chinese action names, people by their display
names, applications by their external ids (the stored codes and ids stay in the log)."""
from __future__ import annotations

import re

from sqlalchemy import select

from models import Application, User, db

ACTION_LABELS: dict[str, str] = {
    "application.assign": "分配申请", "application.expired": "申请过期",
    "application.intake": "接收申请", "application.view": "查看申请",
    "auth.login": "登录", "auth.login_failed": "登录失败", "auth.logout": "退出登录",
    "decision.approve": "初审通过", "decision.reject": "驳回",
    "decision.request_mail": "要求邮寄资料", "decision.overturn": "质检改判",
    "decision.undo": "撤销决定", "export.csv": "导出决定 CSV", "export.audit_csv": "导出审计日志 CSV",
    "inspection.failed": "自动检查失败", "inspection.finished": "自动检查完成",
    "inspection.rerun": "重新检查", "inspection.retry": "重试检查",
    "mail.received": "收到邮寄资料", "mail.shipped": "登记寄出", "material.view": "查看资料",
    "note.add": "添加备注", "pii.reveal": "显示完整个人信息", "reprocess.start": "批量重新处理",
    "retention.purge": "按保存期限删除", "review.agree": "抽检同意", "review.sample": "抽取复核样本",
    "token.create": "创建 API 令牌", "token.revoke": "吊销 API 令牌", "user.create": "创建用户",
}
PREFIX_LABELS = {"admin": "管理操作", "user": "用户变更"}
QUIET = ("material.view", "application.view")  # folded away on request (hide_views)


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    return PREFIX_LABELS.get(action.split(".")[0], "其他操作")


def names_for(events) -> dict:
    """`people_names`: user id -> display name; `externals`: application id -> external id."""
    user_ids = {e.actor_id for e in events if e.actor_id}
    app_ids = {e.target_id for e in events if e.target_type == "application" and e.target_id}
    people = dict(db.session.execute(select(User.id, User.display_name)
                                     .where(User.id.in_(user_ids))).all()) if user_ids else {}
    externals = dict(db.session.execute(select(Application.id, Application.external_id)
                                        .where(Application.id.in_(app_ids))).all()) \
        if app_ids else {}
    return {"people_names": people, "externals": externals}


# The chain check's findings (models.audit, in English for the CLI) as the page says them.
VERIFY_MESSAGES = (
    (re.compile(r"event (\d+): its link does not match"), "第 {} 条事件与前一条的哈希链接不符"),
    (re.compile(r"event (\d+): its content was changed"), "第 {} 条事件的内容被改动"),
    (re.compile(r"after event (\d+) were removed"), "第 {} 条之后的最新事件被删除"),
    (re.compile(r"(\d+) events, chain intact"), "{} 条事件，哈希链完整"),
)


def verify_message(message: str) -> str:
    for pattern, text in VERIFY_MESSAGES:
        found = pattern.search(message or "")
        if found:
            return text.format(found.group(1)) + "。"
    return "校验未通过，详见命令行 reviewer audit verify 的输出。" if message else ""
