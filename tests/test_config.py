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
        # A checker's to-do at newsroom scale fits in the page cache (docs/performance.md, thirteenth round).
        assert db.session.execute(text("PRAGMA cache_size")).scalar() == -16000
        db.engine.dispose()


# ---- strict production (issue 11, point 5) ---------------------------------------------------------
PRODUCTION_KEY = "k" * 32
AUDIT_KEY = "a" * 64  # production also needs the audit chain's key (docs/audit.md)


@pytest.mark.parametrize("name", ["production", "Production", "PRODUCTION", " production\n"])
def test_environment_name_ignores_case_and_spaces(tmp_path, name):
    config = load_config(tmp_path, environ={"FACTCHECK_ENV": name, "FACTCHECK_SECRET_KEY": PRODUCTION_KEY,
                                            "FACTCHECK_AUDIT_KEY": AUDIT_KEY})
    assert config["ENV_NAME"] == "production"
    assert config["SESSION_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("name", ["prod", "staging", "test", "productio", "production!"])
def test_an_unknown_environment_refuses_to_start(tmp_path, name):
    with pytest.raises(ConfigError, match="FACTCHECK_ENV"):
        load_config(tmp_path, environ={"FACTCHECK_ENV": name, "FACTCHECK_SECRET_KEY": PRODUCTION_KEY})


@pytest.mark.parametrize("name", ["", "development", "Development"])
def test_development_is_the_default(tmp_path, name):
    assert load_config(tmp_path, environ={"FACTCHECK_ENV": name})["ENV_NAME"] == "development"


@pytest.mark.parametrize("key", ["x", "k" * 31, "é" * 15 + "x"])
def test_production_refuses_a_short_secret_key(tmp_path, key):
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        load_config(tmp_path, environ={"FACTCHECK_ENV": "production", "FACTCHECK_SECRET_KEY": key})
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        load_config(tmp_path, environ={"FACTCHECK_ENV": "production"}, overrides={"SECRET_KEY": key})


def test_production_takes_a_key_of_32_bytes(tmp_path):
    for key in ("k" * 32, "é" * 16):  # bytes, not characters
        assert load_config(tmp_path, environ={"FACTCHECK_ENV": "production", "FACTCHECK_AUDIT_KEY": AUDIT_KEY,
                                              "FACTCHECK_SECRET_KEY": key})["SECRET_KEY"] == key


def test_development_accepts_any_key(tmp_path):
    assert load_config(tmp_path, environ={"FACTCHECK_SECRET_KEY": "x"})["SECRET_KEY"] == "x"


@pytest.mark.parametrize("flag", ["1", "true", "ON"])
def test_production_refuses_flask_debug(tmp_path, flag):
    environ = {"FACTCHECK_ENV": "Production", "FACTCHECK_SECRET_KEY": PRODUCTION_KEY, "FLASK_DEBUG": flag}
    with pytest.raises(ConfigError, match="Debug mode"):
        load_config(tmp_path, environ=environ)


def test_production_refuses_debug_in_the_settings(tmp_path):
    with pytest.raises(ConfigError, match="Debug mode"):
        load_config(tmp_path, environ={"FACTCHECK_ENV": "production", "FACTCHECK_SECRET_KEY": PRODUCTION_KEY},
                    overrides={"DEBUG": True})


def test_development_may_debug(tmp_path):
    load_config(tmp_path, environ={"FLASK_DEBUG": "1"})


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTCHECK_ENV", "production")
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", PRODUCTION_KEY)
    monkeypatch.setenv("FACTCHECK_AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("FACTCHECK_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    return monkeypatch


def test_create_app_refuses_flask_debug_in_production(production_env):
    production_env.setenv("FLASK_DEBUG", "1")  # what `flask run --debug` sets before it loads the app
    with pytest.raises(ConfigError, match="Debug mode"):
        create_app()


def test_app_run_refuses_the_debugger_in_production(production_env):
    import werkzeug.serving

    app = create_app()
    assert app.config["ENV_NAME"] == "production" and not app.debug
    served = []
    # The server itself is replaced only so that a regression fails here instead of serving forever.
    production_env.setattr(werkzeug.serving, "run_simple", lambda *args, **kwargs: served.append(kwargs))
    with pytest.raises(ConfigError, match="Debug mode"):
        app.run(debug=True)
    app.debug = True
    with pytest.raises(ConfigError, match="Debug mode"):
        app.run()
    assert served == []
    app.debug = False
    app.run()  # without debug it starts (here: reaches the server)
    assert served and served[0]["use_debugger"] is False
