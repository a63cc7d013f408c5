"""Configuration read from the environment.

Everything a deployment changes comes from ``FACTCHECK_*`` variables; the defaults
are for a developer's machine and keep their state under ``instance/``.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from factcheck.settings import DEFAULT_VERDICT_SCALE, DEFAULT_VERDICTS_NEEDING_RESOLUTION


class ConfigError(RuntimeError):
    """The environment does not describe a runnable application."""


def _development_secret_key(instance_path: Path, name: str = "secret_key") -> str:
    """Generate a key once and keep it, so sessions (and the audit chain) survive a restart."""
    key_file = instance_path / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


ENVIRONMENTS = ("development", "production")
# A production key must be long enough that it cannot be guessed offline from a signed cookie.
MIN_PRODUCTION_SECRET_BYTES = 32
_TRUE = {"1", "true", "yes", "on"}


def environment_name(env: Mapping[str, str]) -> str:
    """``FACTCHECK_ENV``, case and surrounding spaces ignored; a value that is neither
    ``development`` nor ``production`` is a mistake to report, never a silent development run."""
    raw = env.get("FACTCHECK_ENV", "")
    name = raw.strip().lower() or "development"
    if name not in ENVIRONMENTS:
        raise ConfigError(f"FACTCHECK_ENV={raw!r} is not an environment; use one of: {', '.join(ENVIRONMENTS)}.")
    return name


def debug_requested(env: Mapping[str, str], overrides: dict[str, Any]) -> bool:
    """Whether this start asks for Flask's debug mode (``FLASK_DEBUG``, ``flask run --debug``, DEBUG)."""
    if "DEBUG" in overrides:
        return bool(overrides["DEBUG"])
    return env.get("FLASK_DEBUG", "").strip().lower() in _TRUE


def refuse_debug_in_production(production: bool, debug: bool) -> None:
    """The Werkzeug debugger runs any Python its console is sent: never on a production server."""
    if production and debug:
        raise ConfigError("Debug mode (FLASK_DEBUG, --debug or DEBUG) is refused when FACTCHECK_ENV=production: "
                          "it would serve the Werkzeug debugger.")


def load_config(
    instance_path: Path, environ: dict[str, str] | None = None, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The settings from the environment; ``overrides`` (tests, embedding) win over it."""
    env = os.environ if environ is None else environ
    overrides = overrides or {}
    production = environment_name(env) == "production"
    refuse_debug_in_production(production, debug_requested(env, overrides))

    secret_key = overrides.get("SECRET_KEY") or env.get("FACTCHECK_SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError("FACTCHECK_SECRET_KEY must be set when FACTCHECK_ENV=production.")
        secret_key = _development_secret_key(instance_path)
    if production and len(str(secret_key).encode()) < MIN_PRODUCTION_SECRET_BYTES:
        raise ConfigError(f"FACTCHECK_SECRET_KEY must be at least {MIN_PRODUCTION_SECRET_BYTES} bytes when "
                          "FACTCHECK_ENV=production; make one with: python -c 'import secrets; "
                          "print(secrets.token_hex(32))'.")

    # The key of the audit chain's HMAC: outside the database, so whoever can rewrite the table cannot
    # recompute the chain. Like the secret key: required in production, generated once in development.
    audit_key = overrides.get("FACTCHECK_AUDIT_KEY") or env.get("FACTCHECK_AUDIT_KEY")
    if not audit_key:
        if production:
            raise ConfigError("FACTCHECK_AUDIT_KEY must be set when FACTCHECK_ENV=production.")
        audit_key = _development_secret_key(instance_path, "audit_key")
    # Where the audit chain's head is anchored after every commit that wrote events: Redis when
    # configured, a file when configured, and the instance folder's file when neither is.
    redis_url = env.get("FACTCHECK_REDIS_URL") or None
    checkpoint_file = env.get("FACTCHECK_AUDIT_CHECKPOINT_FILE") or (
        None if redis_url else str(instance_path / "audit_checkpoints.jsonl"))

    database_url = env.get("FACTCHECK_DATABASE_URL") or f"sqlite:///{instance_path / 'factcheck.sqlite3'}"

    settings: dict[str, Any] = {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(env.get("FACTCHECK_MAX_UPLOAD_BYTES", 2_000_000)) + 64_000,
        "FACTCHECK_MAX_ARTICLE_BYTES": int(env.get("FACTCHECK_MAX_UPLOAD_BYTES", 2_000_000)),
        "FACTCHECK_VERDICT_SCALE": DEFAULT_VERDICT_SCALE,
        "FACTCHECK_VERDICTS_NEEDING_RESOLUTION": DEFAULT_VERDICTS_NEEDING_RESOLUTION,
        "FACTCHECK_PAGE_SIZE": 50,
        # Sign-in throttling shares its counts through Redis when there is one (several app servers).
        "RATELIMIT_STORAGE_URI": env.get("FACTCHECK_REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "FACTCHECK_PUBLIC_URL": env.get("FACTCHECK_PUBLIC_URL", ""),
        # Whether checkers may take unassigned claims from the pool themselves.
        "FACTCHECK_CHECKER_POOL": env.get("FACTCHECK_CHECKER_POOL", "0").lower() in {"1", "true", "yes", "on"},
        # Werkzeug's scrypt; the test suite swaps in a cheap method so thousands of logins stay fast.
        "FACTCHECK_PASSWORD_HASH_METHOD": "scrypt",
        "FACTCHECK_AUDIT_KEY": audit_key,
        "FACTCHECK_AUDIT_CHECKPOINT_FILE": checkpoint_file,
        "FACTCHECK_REDIS_URL": redis_url,
        "FACTCHECK_AUDIT_CHECKPOINT_REDIS_KEY": env.get("FACTCHECK_AUDIT_CHECKPOINT_REDIS_KEY", "factcheck:audit:head"),
    }
    settings.update(overrides)
    return settings


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
