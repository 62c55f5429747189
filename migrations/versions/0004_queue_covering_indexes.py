"""Covering indexes for the queue: one per sort (due, risk), with and without a status.

Each ends in `id` and carries the filtered columns (PostgreSQL INCLUDE; SQLite keeps
the key columns only), so a page's ids come from an index-only scan however deep
the page. They make the single-column status, due_at and risk_score indexes and the
(status, due_at) one redundant. A reviewer's own decisions: (decided_by_id,
application_id) replaces decided_by_id alone.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COVERED = ["assignee_id", "province", "filing_type", "highest_severity", "latest_run_id"]
RISK = sa.text("risk_score DESC")
NEW = {
    "ix_applications_status_due": ["status", "due_at", "id"],
    "ix_applications_due_order": ["due_at", "id"],
    "ix_applications_status_risk": ["status", RISK, "due_at", "id"],
    "ix_applications_risk_order": [RISK, "due_at", "id"],
}
OLD = {
    "ix_applications_queue": ["status", "due_at"],
    "ix_applications_status": ["status"],
    "ix_applications_due_at": ["due_at"],
    "ix_applications_risk_score": ["risk_score"],
}


def upgrade():
    for name, columns in NEW.items():
        op.create_index(name, "applications", columns, postgresql_include=COVERED)
    for name in OLD:
        op.drop_index(name, table_name="applications")
    op.create_index("ix_decisions_decider_application", "decisions",
                    ["decided_by_id", "application_id"])
    op.drop_index("ix_decisions_decided_by_id", table_name="decisions")


def downgrade():
    op.create_index("ix_decisions_decided_by_id", "decisions", ["decided_by_id"])
    op.drop_index("ix_decisions_decider_application", table_name="decisions")
    for name, columns in OLD.items():
        op.create_index(name, "applications", columns)
    for name in NEW:
        op.drop_index(name, table_name="applications")
