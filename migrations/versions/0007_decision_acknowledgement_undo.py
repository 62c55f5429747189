"""Decisions record the block findings acknowledged, whether they went against the
recommendation, and when their author undid them within the undo window.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

import models.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("acknowledged", sa.JSON(), nullable=False,
                                   server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("against_recommendation", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("undone_at", models.base.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade():
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("undone_at")
        batch.drop_column("against_recommendation")
        batch.drop_column("acknowledged")
