"""Findings, extracted fields and face comparisons refer to their material by id.

Each row held the material's file name as given at intake (`material`, and a face
comparison's `reference`); it now holds `material_id` (and `reference_material_id`),
and the name is read through the material. Existing rows are carried over: a name
becomes the material of the run's application with that `original_name` that was
current when the run was finalized, i.e. the highest version created no later than
the run's `finished_at` (its `created_at` if it never finished); if every version of
the name is newer than that, the oldest one. A name that no material of the
application has would be lost, so the upgrade refuses before changing anything.
Downgrade writes the names back from the ids.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from models.base import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

materials = sa.table("materials", sa.column("id", sa.Integer),
                     sa.column("application_id", sa.String),
                     sa.column("original_name", sa.String), sa.column("version", sa.Integer),
                     sa.column("created_at", UTCDateTime()))
runs = sa.table("inspection_runs", sa.column("id", sa.Integer),
                sa.column("application_id", sa.String),
                sa.column("created_at", UTCDateTime()), sa.column("finished_at", UTCDateTime()))
# table -> (name column, id column, nullable): each reference to a material
REFERENCES = {
    "findings": [("material", "material_id", True)],
    "extracted_fields": [("material", "material_id", False)],
    "face_matches": [("material", "material_id", False),
                     ("reference", "reference_material_id", True)],
}


def _table(name: str) -> sa.TableClause:
    columns = [c for pair in REFERENCES[name] for c in pair[:2]]
    return sa.table(name, sa.column("id", sa.Integer), sa.column("run_id", sa.Integer),
                    *(sa.column(c) for c in columns))


def _fk(table: str, column: str) -> str:
    return f"fk_{table}_{column}_materials"  # models.base.NAMING


def _material_of(row: sa.TableClause, name_column: str):
    """SQL: the id of the material `row.<name_column>` named when the row's run was made."""
    cutoff = sa.func.coalesce(runs.c.finished_at, runs.c.created_at)
    earlier = materials.c.created_at <= cutoff
    return (sa.select(materials.c.id)
            .where(runs.c.id == row.c.run_id,
                   materials.c.application_id == runs.c.application_id,
                   materials.c.original_name == row.c[name_column])
            .order_by(sa.case((earlier, 0), else_=1),
                      sa.case((earlier, -materials.c.version), else_=materials.c.version))
            .limit(1).scalar_subquery())


def _unmatched(connection) -> list[str]:
    """Rows whose name no material of their application has (table:id), at most ten."""
    found = []
    for name in REFERENCES:
        row = _table(name)
        for name_column, _, _ in REFERENCES[name]:
            ids = connection.execute(
                sa.select(row.c.id).where(row.c[name_column].is_not(None),
                                          _material_of(row, name_column).is_(None))
                .order_by(row.c.id).limit(10)).scalars()
            found += [f"{name}:{i}" for i in ids]
    return found[:10]


def upgrade():
    unmatched = _unmatched(op.get_bind())
    if unmatched:
        raise RuntimeError(f"rows name a file their application has no material for: "
                           f"{', '.join(unmatched)}; their names would be lost (nothing "
                           "was changed)")
    for name, references in REFERENCES.items():
        with op.batch_alter_table(name) as batch:
            for _, id_column, _ in references:
                batch.add_column(sa.Column(id_column, sa.Integer(), nullable=True))
                batch.create_foreign_key(_fk(name, id_column), "materials", [id_column], ["id"])
        row = _table(name)
        for name_column, id_column, _ in references:
            op.execute(row.update().where(row.c[name_column].is_not(None))
                       .values({id_column: _material_of(row, name_column)}))
        with op.batch_alter_table(name) as batch:
            for name_column, id_column, nullable in references:
                batch.alter_column(id_column, existing_type=sa.Integer(), nullable=nullable)
                batch.drop_column(name_column)


def downgrade():
    for name, references in REFERENCES.items():
        with op.batch_alter_table(name) as batch:
            for name_column, _, _ in references:
                batch.add_column(sa.Column(name_column, sa.String(128), nullable=True))
        row = _table(name)
        for name_column, id_column, _ in references:
            original = (sa.select(materials.c.original_name)
                        .where(materials.c.id == row.c[id_column]).scalar_subquery())
            op.execute(row.update().where(row.c[id_column].is_not(None))
                       .values({name_column: original}))
        with op.batch_alter_table(name) as batch:
            for name_column, id_column, nullable in references:
                batch.alter_column(name_column, existing_type=sa.String(128), nullable=nullable)
                batch.drop_constraint(_fk(name, id_column), type_="foreignkey")
                batch.drop_column(id_column)
