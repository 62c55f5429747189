"""The application status machine: the one place a status changes.

    submitted -> inspecting -> awaiting_review -> approved | rejected | awaiting_mail
    awaiting_mail -> mail_received -> awaiting_review
    any open status -> expired (45 days without an update)

`awaiting_review -> inspecting` is a re-run; `approved <-> rejected` is a
supervisor's overturn; a decided status back to `awaiting_review` is its author's undo
within the undo window; `approved` means awaiting submission to the bureau (待提交管局).
An illegal transition raises; nothing is written.
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SUBMITTED = "submitted"
    INSPECTING = "inspecting"
    AWAITING_REVIEW = "awaiting_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    AWAITING_MAIL = "awaiting_mail"
    MAIL_RECEIVED = "mail_received"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.SUBMITTED: "已提交",
    Status.INSPECTING: "自动检查中",
    Status.AWAITING_REVIEW: "待初审",
    Status.APPROVED: "初审通过（待提交管局）",
    Status.REJECTED: "已驳回",
    Status.AWAITING_MAIL: "待邮寄资料",
    Status.MAIL_RECEIVED: "邮寄资料已收到",
    Status.EXPIRED: "已过期",
}

_OPEN = {Status.SUBMITTED, Status.INSPECTING, Status.AWAITING_REVIEW,
         Status.AWAITING_MAIL, Status.MAIL_RECEIVED}

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.INSPECTING, Status.EXPIRED}),
    Status.INSPECTING: frozenset({Status.AWAITING_REVIEW, Status.EXPIRED}),
    Status.AWAITING_REVIEW: frozenset({Status.APPROVED, Status.REJECTED, Status.AWAITING_MAIL,
                                       Status.INSPECTING, Status.EXPIRED}),
    Status.AWAITING_MAIL: frozenset({Status.MAIL_RECEIVED, Status.AWAITING_REVIEW,
                                     Status.EXPIRED}),
    Status.MAIL_RECEIVED: frozenset({Status.AWAITING_REVIEW, Status.INSPECTING, Status.EXPIRED}),
    Status.APPROVED: frozenset({Status.REJECTED, Status.AWAITING_REVIEW}),
    Status.REJECTED: frozenset({Status.APPROVED, Status.AWAITING_REVIEW}),
    Status.EXPIRED: frozenset(),
}
OPEN_STATUSES = frozenset(_OPEN)
DECIDED_STATUSES = frozenset({Status.APPROVED, Status.REJECTED, Status.AWAITING_MAIL})


class IllegalTransition(ValueError):
    def __init__(self, current: str, target: str):
        super().__init__(f"an application cannot go from {current} to {target}")
        self.current, self.target = current, target


def check_transition(current: str, target: str) -> Status:
    source, goal = Status(current), Status(target)
    if goal not in ALLOWED[source]:
        raise IllegalTransition(source, goal)
    return goal


def transition(application, target: str) -> Status:
    """Move `application` to `target` or raise `IllegalTransition`.

    The caller commits in the same transaction as the action and its audit event.
    """
    from models.base import utcnow

    goal = check_transition(application.status, target)
    application.status = goal.value
    application.last_activity_at = utcnow()
    return goal
