import pytest
from sqlalchemy import text

from factcheck import create_app
from factcheck.config import ConfigError, load_config, normalise_database_url
from factcheck.extensions import db


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="FACTCHECK_SECRET_KEY"):
        load_config(tmp_path, environ={"FACTCHECK_ENV": "production"})


def test_production_uses_the_given_key_and_secure_cookies(tmp_path):
    config = load_config(tmp_path, environ={"FACTCHECK_ENV": "production", "FACTCHECK_SECRET_KEY": "k" * 40,
                                            "FACTCHECK_AUDIT_KEY": "a" * 64})
    assert config["SECRET_KEY"] == "k" * 40
    assert config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_development_key_is_generated_once_and_kept(tmp_path):
    first = load_config(tmp_path, environ={})["SECRET_KEY"]
    second = load_config(tmp_path, environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_defaults_to_sqlite_in_instance(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'factcheck.sqlite3'}"


def test_database_url_from_environment_uses_psycopg3(tmp_path):
    config = load_config(tmp_path, environ={"FACTCHECK_DATABASE_URL": "postgres://u@h/db"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.engine.dispose()
