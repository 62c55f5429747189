"""0008: findings, extracted fields and face comparisons go from a file name to a material
id and back, with their rows, on the configured database (SQLite or PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from models import db
from tests.models.test_migrations import _empty_database

T0 = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.timezone.utc)
NAMED = {"findings": ["material"], "extracted_fields": ["material"],
         "face_matches": ["material", "reference"]}


def _at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def _insert(conn, table: str, **values) -> int | None:
    reflected = sa.Table(table, sa.MetaData(), autoload_with=conn)
    result = conn.execute(sa.insert(reflected).values(**values))
    return result.inserted_primary_key[0] if result.inserted_primary_key else None


def _application(conn, app_id: str) -> None:
    _insert(conn, "applications", id=app_id, external_id=f"ICP-MIG-{app_id}",
            filing_type="first_filing", province="浙江省", nature="enterprise",
            subject_name="测试迁移有限公司", submitted_at=T0, received_at=T0,
            last_activity_at=T0, due_at=_at(60 * 24), status="awaiting_review", form={},
            content_hash=app_id * 4, risk_score=0, version=1, owner="")


def _material(conn, app_id: str, name: str, *, version: int = 1, minutes: float = 0) -> int:
    return _insert(conn, "materials", application_id=app_id, kind="id_card_front",
                   original_name=name, sha256=f"{app_id}{name}{version}".ljust(64, "0")[:64],
                   mime="image/jpeg", size_bytes=1, pages=1, version=version,
                   created_at=_at(minutes))


def _run(conn, app_id: str, *, created: float, finished: float | None) -> int:
    return _insert(conn, "inspection_runs", application_id=app_id, pipeline_version="2026.12.04",
                   state="done" if finished is not None else "running", trigger="intake",
                   attempts=1, created_at=_at(created),
                   finished_at=_at(finished) if finished is not None else None)


def _finding(conn, run_id: int, material: str | None) -> int:
    return _insert(conn, "findings", run_id=run_id, code="ID_NAME_MISMATCH", severity="block",
                   material=material, message="姓名不一致", evidence={})


def _extracted(conn, run_id: int, material: str) -> int:
    return _insert(conn, "extracted_fields", run_id=run_id, material=material,
                   kind="id_card_front", field="name", value="张三")


def _face(conn, run_id: int, material: str, reference: str | None) -> int:
    return _insert(conn, "face_matches", run_id=run_id, material=material, reference=reference,
                   faces_found=1, distance=0.4, match=True, threshold=0.6)


def _seed_0007() -> dict:
    """Rows as 0007 stored them (by file name), and the material each name must become.

    Application a: leader_front.jpg v1 with the upload, v2 mailed in between two runs;
    run 1 was created a moment before its materials (one flush at intake) and finished
    after them; run 3 never finished and was created before any material. Application b
    has a file of the same name, which a's rows must not take."""
    with db.engine.begin() as conn:
        _application(conn, "a")
        _application(conn, "b")
        front1 = _material(conn, "a", "leader_front.jpg")
        face = _material(conn, "a", "face.jpg")
        front2 = _material(conn, "a", "leader_front.jpg", version=2, minutes=30)
        other = _material(conn, "b", "leader_front.jpg", minutes=-5)
        run1 = _run(conn, "a", created=-0.001, finished=5)
        run2 = _run(conn, "a", created=40, finished=45)
        run3 = _run(conn, "a", created=-10, finished=None)
        run_b = _run(conn, "b", created=0, finished=5)
        return {
            ("findings", _finding(conn, run1, "leader_front.jpg")): [front1],
            ("findings", _finding(conn, run1, None)): [None],
            ("findings", _finding(conn, run2, "leader_front.jpg")): [front2],
            ("findings", _finding(conn, run3, "leader_front.jpg")): [front1],
            ("findings", _finding(conn, run_b, "leader_front.jpg")): [other],
            ("extracted_fields", _extracted(conn, run1, "leader_front.jpg")): [front1],
            ("extracted_fields", _extracted(conn, run2, "leader_front.jpg")): [front2],
            ("face_matches", _face(conn, run1, "face.jpg", "leader_front.jpg")): [face, front1],
            ("face_matches", _face(conn, run2, "face.jpg", "leader_front.jpg")): [face, front2],
            ("face_matches", _face(conn, run2, "face.jpg", None)): [face, None],
        }


def _values(columns_of: dict[str, list[str]], rows) -> dict:
    out = {}
    with db.engine.connect() as conn:
        for table, row_id in rows:
            columns = ", ".join(columns_of[table])
            out[(table, row_id)] = list(conn.execute(
                sa.text(f"SELECT {columns} FROM {table} WHERE id = :id"), {"id": row_id}).one())
    return out


def _names(expected_ids: dict) -> dict:
    """The file names the rows held before 0008, from the material ids they must get."""
    with db.engine.connect() as conn:
        name_of = dict(conn.execute(sa.text("SELECT id, original_name FROM materials")).all())
    return {key: [name_of.get(i) for i in ids] for key, ids in expected_ids.items()}


def _columns(table: str) -> dict[str, bool]:
    return {c["name"]: c["nullable"] for c in sa.inspect(db.engine).get_columns(table)}


def _foreign_keys(table: str) -> set[tuple]:
    return {(fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
            for fk in sa.inspect(db.engine).get_foreign_keys(table)}


def _assert_schema_is_the_models() -> None:
    for table in NAMED:
        model = db.metadata.tables[table]
        assert _columns(table) == {c.name: c.nullable for c in model.columns}, table
        assert _foreign_keys(table) == {(fk.name, tuple(c.name for c in fk.columns),
                                         fk.referred_table.name)
                                        for fk in model.foreign_key_constraints}, table


IDS = {"findings": ["material_id"], "extracted_fields": ["material_id"],
       "face_matches": ["material_id", "reference_material_id"]}


def test_0008_carries_names_over_to_material_ids_and_back(app):
    _empty_database()
    upgrade(revision="0007")
    expected = _seed_0007()
    names = _names(expected)
    assert _values(NAMED, expected) == names  # the seed as 0007 holds it

    upgrade()
    assert _values(IDS, expected) == expected
    _assert_schema_is_the_models()
    assert not {"material", "reference"} & set(_columns("face_matches"))

    downgrade(revision="0007")
    assert _values(NAMED, expected) == names
    assert not {"material_id", "reference_material_id"} & set(_columns("face_matches"))
    assert _columns("extracted_fields")["material"] is False  # NOT NULL again, as 0001 made it
    assert _columns("findings")["material"] is True

    upgrade()
    assert _values(IDS, expected) == expected


def test_0008_the_contract_shows_the_names_through_the_migrated_ids(app):
    from models import Application
    from models.report import application_report

    _empty_database()
    upgrade(revision="0007")
    _seed_0007()
    upgrade()
    run2 = db.session.execute(sa.text("SELECT max(id) FROM inspection_runs "
                                      "WHERE application_id = 'a' AND state = 'done'")).scalar()
    db.session.execute(sa.text("UPDATE applications SET latest_run_id = :run WHERE id = 'a'"),
                       {"run": run2})
    db.session.commit()
    report = application_report(db.session.get(Application, "a"))
    assert [f["material"] for f in report["findings"]] == ["leader_front.jpg"]
    assert [e["material"] for e in report["extracted"]] == ["leader_front.jpg"]
    assert [(f["material"], f["reference"]) for f in report["faces"]] == [
        ("face.jpg", "leader_front.jpg"), ("face.jpg", None)]


def test_0008_refuses_a_name_no_material_of_the_application_has(app, capfd):
    _empty_database()
    upgrade(revision="0007")
    _seed_0007()
    with db.engine.begin() as conn:
        run_id = conn.execute(sa.text("SELECT min(id) FROM inspection_runs")).scalar()
        lost = _finding(conn, run_id, "never_uploaded.jpg")
    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
        upgrade()
    assert f"findings:{lost}" in capfd.readouterr().err
    db.session.rollback()
    assert "material" in _columns("findings") and "material_id" not in _columns("findings")
    assert "material_id" not in _columns("face_matches")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0007"
