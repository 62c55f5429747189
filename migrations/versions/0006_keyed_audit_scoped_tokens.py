"""A keyed audit chain; API tokens with a scope and an owner; applications per owner.

Audit: each event gets the id of the AUDIT_KEYS key that made its hash. The events
made before (unkeyed SHA-256) are first verified as they are (a broken chain refuses
the upgrade: re-keying it would bless the tampering), then re-chained once under the
signing key, and a signed checkpoint of the new head is appended outside the
database. Downgrade re-chains them with plain SHA-256 again.

Tokens: scope `read-own` (submit and read back its own, as every token could before)
and owner = the token's name. Applications: the owner is taken from the audit event
of their intake (`api:<token name>`; "" for the CLI), and external ids become unique
per owner. Downgrade refuses when two owners share an external id.

Revision ID: 0006
Revises: 0005
"""
import hashlib
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from models.audit import GENESIS, event_payload
from models.audit_anchor import append_checkpoint
from models.audit_keys import checkpoint_path, current_keyring
from models.base import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 2000
events = sa.table("audit_events", sa.column("id", sa.Integer), sa.column("at", UTCDateTime()),
                  sa.column("actor_id", sa.Integer), sa.column("actor", sa.String),
                  sa.column("action", sa.String), sa.column("target_type", sa.String),
                  sa.column("target_id", sa.String), sa.column("detail", sa.JSON),
                  sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
                  sa.column("key_id", sa.String))
head = sa.table("audit_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                sa.column("last_hash", sa.String))
tokens = sa.table("api_tokens", sa.column("name", sa.String), sa.column("scope", sa.String),
                  sa.column("owner", sa.String))
applications = sa.table("applications", sa.column("id", sa.String),
                        sa.column("owner", sa.String), sa.column("external_id", sa.String))


def _sha256(row) -> str:
    return hashlib.sha256(event_payload(row)).hexdigest()


def _rows(connection, keyed: bool):
    columns = [c for c in events.c if keyed or c.name != "key_id"]
    last = 0
    while True:
        rows = connection.execute(sa.select(*columns).where(events.c.id > last)
                                  .order_by(events.c.id).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _check(connection, digest, keyed: bool) -> None:
    """The chain as stored verifies with `digest`, or the migration stops (before it
    changes anything)."""
    prev = GENESIS
    for row in _rows(connection, keyed):
        if row.prev_hash != prev or digest(row) != row.hash:
            raise RuntimeError(f"audit event {row.id} does not verify: the audit chain was "
                               "changed; investigate before migrating (nothing was changed)")
        prev = row.hash


def _rechain(connection, digest, key_id) -> tuple[int, str]:
    """Every event linked and hashed again with `digest`; the new (seq, head hash)."""
    prev, seq = GENESIS, 0
    for row in _rows(connection, keyed=True):
        linked = SimpleNamespace(**{**row._asdict(), "prev_hash": prev})
        prev, seq = digest(linked), row.id
        keyed = {"key_id": key_id} if key_id else {}  # downgrade: the column goes next
        connection.execute(events.update().where(events.c.id == row.id)
                           .values(prev_hash=linked.prev_hash, hash=prev, **keyed))
    connection.execute(head.update().where(head.c.id == 1).values(last_hash=prev))
    return seq, prev


def _triggers(connection, state: str) -> None:
    """PostgreSQL's append-only trigger is set aside for this one rewrite."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(f"ALTER TABLE audit_events {state} TRIGGER USER"))


def _key_audit_chain(connection) -> tuple[int, str]:
    keyring = current_keyring()
    _triggers(connection, "DISABLE")
    seq, last_hash = _rechain(connection, lambda row: keyring.mac(event_payload(row)),
                              keyring.current_id)
    _triggers(connection, "ENABLE")
    return seq, last_hash


def _check_keyed(connection) -> None:
    keyring = current_keyring()
    _check(connection, lambda row: keyring.mac(event_payload(row), row.key_id), keyed=True)


def _unkey_audit_chain(connection) -> None:
    _triggers(connection, "DISABLE")
    _rechain(connection, _sha256, None)
    _triggers(connection, "ENABLE")


def _owners_from_intake_events(connection) -> None:
    intakes = connection.execute(sa.select(events.c.target_id, events.c.actor).where(
        events.c.action == "application.intake", events.c.actor.startswith("api:"))).all()
    for application_id, actor in intakes:
        connection.execute(applications.update().where(applications.c.id == application_id)
                           .values(owner=actor[len("api:"):]))


def upgrade():
    connection = op.get_bind()
    _check(connection, _sha256, keyed=False)
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("key_id", sa.String(16), nullable=True))
    seq, last_hash = _key_audit_chain(connection)
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("key_id", existing_type=sa.String(16), nullable=False)
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("scope", sa.String(16), nullable=False,
                                   server_default="read-own"))
        batch.add_column(sa.Column("owner", sa.String(64), nullable=False, server_default=""))
    connection.execute(tokens.update().values(owner=tokens.c.name))
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("owner", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("token_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_applications_token_id_api_tokens", "api_tokens",
                                 ["token_id"], ["id"])
        batch.drop_constraint("uq_applications_external_id", type_="unique")
        batch.create_unique_constraint("uq_applications_owner_external_id",
                                       ["owner", "external_id"])
        batch.create_index("ix_applications_external_id", ["external_id"])
    _owners_from_intake_events(connection)
    if seq:  # last, so that a failure above leaves no checkpoint of a chain never committed
        append_checkpoint(checkpoint_path(), current_keyring(), seq, last_hash)


def downgrade():
    connection = op.get_bind()
    _check_keyed(connection)
    shared = connection.execute(sa.select(applications.c.external_id)
                                .group_by(applications.c.external_id)
                                .having(sa.func.count() > 1).limit(1)).scalar()
    if shared is not None:
        raise RuntimeError(f"external id {shared!r} is used by several owners; the schema "
                           "before 0006 holds one application per external id")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_external_id")
        batch.drop_constraint("uq_applications_owner_external_id", type_="unique")
        batch.create_unique_constraint("uq_applications_external_id", ["external_id"])
        batch.drop_constraint("fk_applications_token_id_api_tokens", type_="foreignkey")
        batch.drop_column("token_id")
        batch.drop_column("owner")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("owner")
        batch.drop_column("scope")
    _unkey_audit_chain(connection)
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("key_id")
