"""Indexes for the queue's finding-code filter and reviewer counts; the audit head row.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_findings_code_run", "findings", ["code", "run_id"])
    op.create_index("ix_applications_latest_run_id", "applications", ["latest_run_id"])
    op.create_index("ix_applications_assignee_status_due", "applications",
                    ["assignee_id", "status", "due_at"])
    head = sa.table("audit_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                    sa.column("last_hash", sa.String))
    op.bulk_insert(head, [{"id": 1, "seq": 0, "last_hash": "0" * 64}])


def downgrade():
    op.execute("DELETE FROM audit_head WHERE id = 1 AND seq = 0")
    op.drop_index("ix_applications_assignee_status_due", table_name="applications")
    op.drop_index("ix_applications_latest_run_id", table_name="applications")
    op.drop_index("ix_findings_code_run", table_name="findings")
