"""The audit keyring: read from AUDIT_KEYS, generated once on a laptop, rotated."""
import json

import pytest

from config import ConfigError, attach, load_config
from models import AuditEvent, db
from models.audit import record, verify_chain
from models.audit_keys import load_keyring

K1 = ("k1", "the first key of 32 characters or more")
K2 = ("k2", "the second key of 32 characters or more")


def _use_keys(app, config, *pairs) -> None:
    attach(app, config.replace(audit_keys=tuple(pairs)))
    app.extensions.pop("audit_keyring", None)


def _events(n: int) -> None:
    for i in range(n):
        record("test.event", detail={"i": i})
        db.session.commit()


def test_audit_keys_are_read_newest_first_and_bad_ones_are_named(tmp_path):
    config = load_config({"INSTANCE_DIR": str(tmp_path),
                          "AUDIT_KEYS": f"{K2[0]}:{K2[1]}, {K1[0]}:{K1[1]}"})
    assert config.audit_keys == (K2, K1)
    for bad in ("k1", "k1:short", "bad id!:" + "x" * 32, f"k1:{K1[1]},k1:{K2[1]}"):
        with pytest.raises(ConfigError, match="AUDIT_KEYS"):
            load_config({"AUDIT_KEYS": bad})


def test_a_laptop_key_is_generated_once_under_the_instance_folder(tmp_path):
    first = load_keyring((), tmp_path)
    assert first == load_keyring((), tmp_path)
    assert first.current_id.startswith("dev-") and len(first.keys[0][1]) >= 32
    assert load_keyring((K1,), tmp_path).current_id == "k1"


def test_after_a_rotation_new_events_use_the_new_key_and_old_ones_verify_with_the_old(
        app, config):
    _use_keys(app, config, K1)
    _events(3)
    assert verify_chain()[0]  # a checkpoint signed with k1
    _use_keys(app, config, K2, K1)
    _events(2)
    ok, message, checked = verify_chain()
    assert ok and checked == 5, message
    keys = db.session.execute(db.select(AuditEvent.key_id).order_by(AuditEvent.id)).scalars()
    assert list(keys) == ["k1"] * 3 + ["k2"] * 2
    lines = config.effective_audit_checkpoint_path().read_text().splitlines()
    assert [json.loads(line)["key_id"] for line in lines] == ["k1", "k2"]


def test_a_key_dropped_from_the_keyring_too_soon_is_named(app, config):
    _use_keys(app, config, K1)
    _events(2)
    _use_keys(app, config, K2)
    _events(1)
    ok, message, _ = verify_chain()
    assert not ok and message == "event 1: key id 'k1' is not in AUDIT_KEYS"
