"""The perceptual hash is 256 bits (64 hex digits): widen the column.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("materials") as batch:
        batch.alter_column("phash", type_=sa.String(128), existing_type=sa.String(32))


def downgrade():
    with op.batch_alter_table("materials") as batch:
        batch.alter_column("phash", type_=sa.String(32), existing_type=sa.String(128))
