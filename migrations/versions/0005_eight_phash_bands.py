"""Eight perceptual-hash bands instead of four: near duplicates within 7 bits are found.

The four existing band columns change meaning (each now keys a 32-bit eighth of the
hash), so every stored hash is banded again.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW = ("phash_b4", "phash_b5", "phash_b6", "phash_b7")
materials = sa.table("materials", sa.column("id", sa.Integer), sa.column("phash", sa.String),
                     *(sa.column(f"phash_b{i}", sa.Integer) for i in range(8)))


def _bands(phash: str, count: int) -> list[int]:
    width = max(1, len(phash) // count)
    return [int(phash[i * width:(i + 1) * width] or "0", 16) & 0x7FFFFFFF for i in range(count)]


def _reband(count: int) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(materials.c.id, materials.c.phash)
                              .where(materials.c.phash.is_not(None))).all()
    for row in rows:
        values = {f"phash_b{i}": band for i, band in enumerate(_bands(row.phash, count))}
        connection.execute(materials.update().where(materials.c.id == row.id).values(**values))


def upgrade():
    with op.batch_alter_table("materials") as batch:
        for name in NEW:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch.create_index(f"ix_materials_{name}", [name])
    _reband(8)


def downgrade():
    with op.batch_alter_table("materials") as batch:
        for name in NEW:
            batch.drop_index(f"ix_materials_{name}")
            batch.drop_column(name)
    _reband(4)
