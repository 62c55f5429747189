import pytest

from config import Config, ConfigError, ProductionConfig, load_config
from tests.reviewer.cli.test_settings import PRODUCTION


def test_defaults_serve_a_laptop(tmp_path):
    config = load_config({"INSTANCE_DIR": str(tmp_path)})
    assert config.effective_database_url().startswith("sqlite:///")
    assert config.embedded_redis
    assert config.effective_redis_url().startswith("unix://")
    assert config.storage_dir == (tmp_path / "storage").resolve()


@pytest.mark.parametrize("missing", ["SECRET_KEY", "REDIS_URL", "DATABASE_URL", "STORAGE_KEY",
                                     "AUDIT_KEYS"])
def test_production_refuses_to_start_without_each_secret(missing):
    env = dict(PRODUCTION)
    del env[missing]
    with pytest.raises(ConfigError, match=missing):
        load_config(env)


def test_production_with_everything_set_loads():
    config = load_config(dict(PRODUCTION))
    assert isinstance(config, ProductionConfig)
    assert config.secure_cookies


def test_bad_numbers_and_engines_are_named():
    with pytest.raises(ConfigError, match="MAX_PIXELS"):
        load_config({"MAX_PIXELS": "lots"})
    with pytest.raises(ConfigError, match="OCR_ENGINE"):
        load_config({"OCR_ENGINE": "tesseract"})


def test_app_factory_refuses_bad_production_config():
    from reviewer.web import create_app

    with pytest.raises(ConfigError):
        create_app(ProductionConfig())


def test_login_page_is_served(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "登录" in response.get_data(as_text=True)


def test_config_is_a_frozen_dataclass():
    config = Config()
    with pytest.raises(Exception):
        config.secret_key = "x"


def test_the_instance_folder_and_sqlite_file_are_owner_only(tmp_path):
    import stat

    from models import db
    from reviewer.web import create_app

    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)  # as an earlier version left it
    app = create_app(Config(instance_dir=instance, storage_dir=tmp_path / "storage",
                            testing=True))
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE((instance / "reviewer.db").stat().st_mode) == 0o600
    from models.storage import storage_key

    storage_key("", instance)
    assert stat.S_IMODE((instance / "storage.key").stat().st_mode) == 0o600
