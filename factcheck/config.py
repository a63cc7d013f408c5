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

from factcheck.digits import plain_digits
from factcheck.settings import (
    DEFAULT_VERDICT_SCALE,
    DEFAULT_VERDICTS_NEEDING_RESOLUTION,
    check_mail_from,
    parse_smtp_url,
)


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
        # Background jobs: "rq" (the default with Redis; run `flask worker`) or "thread" (in the app).
        "FACTCHECK_JOBS": env.get("FACTCHECK_JOBS") or ("rq" if redis_url else "thread"),
        "FACTCHECK_JOB_QUEUE": env.get("FACTCHECK_JOB_QUEUE", "factcheck"),
        "FACTCHECK_JOB_TIMEOUT": _positive_int(env, "FACTCHECK_JOB_TIMEOUT", 900),
        "FACTCHECK_JOB_THREADS": _positive_int(env, "FACTCHECK_JOB_THREADS", 2),
        # Finished jobs (and exported files) are forgotten after this many days.
        "FACTCHECK_JOB_RETENTION_DAYS": _positive_int(env, "FACTCHECK_JOB_RETENTION_DAYS", 7),
        # How long a page waits for its job before showing the job's progress page instead.
        "FACTCHECK_JOB_INLINE_WAIT": float(env.get("FACTCHECK_JOB_INLINE_WAIT", "1.5")),
        # Background work starting by itself (periodic rounds, e-mail after a commit): on, off, or auto
        # (on except in tests).
        "FACTCHECK_PERIODIC": env.get("FACTCHECK_PERIODIC", "auto"),
        # E-mail of notifications; without an SMTP server none is written or sent.
        "FACTCHECK_SMTP_URL": env.get("FACTCHECK_SMTP_URL", "").strip(),
        "FACTCHECK_MAIL_FROM": env.get("FACTCHECK_MAIL_FROM", "").strip(),
        # On PostgreSQL a GET or HEAD request reads without BEGIN and ROLLBACK until it writes
        # (factcheck.read_requests); 0 sends them as before.
        "FACTCHECK_READS_WITHOUT_TRANSACTION": env.get("FACTCHECK_READS_WITHOUT_TRANSACTION", "1").lower()
        in {"1", "true", "yes", "on"},
    }
    settings.update(overrides)
    if settings["FACTCHECK_JOBS"] not in ("rq", "thread"):
        raise ConfigError(f"FACTCHECK_JOBS must be 'rq' or 'thread', not {settings['FACTCHECK_JOBS']!r}.")
    if settings["FACTCHECK_JOBS"] == "rq" and not settings.get("FACTCHECK_REDIS_URL"):
        raise ConfigError("FACTCHECK_JOBS=rq needs FACTCHECK_REDIS_URL.")
    check_mail_settings(settings)
    return settings


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    if not plain_digits(value) or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number above zero, not {value!r}.")
    return int(value)


def check_mail_settings(settings: Mapping[str, Any]) -> None:
    """A mistyped SMTP setting stops the start with what is wrong, instead of e-mails failing one by one
    later. The URL's password is never repeated in the message."""
    url = settings.get("FACTCHECK_SMTP_URL")
    if not url:
        return
    try:
        parse_smtp_url(url)
    except ValueError as error:
        raise ConfigError(f"FACTCHECK_SMTP_URL is not usable: {error} "
                          "(e.g. smtp+starttls://user:password@mail.example.org:587).") from None
    if not settings.get("FACTCHECK_MAIL_FROM"):
        raise ConfigError("FACTCHECK_MAIL_FROM must be set when FACTCHECK_SMTP_URL is: the address e-mails come from.")
    try:
        check_mail_from(settings["FACTCHECK_MAIL_FROM"])
    except ValueError as error:
        raise ConfigError(f"FACTCHECK_MAIL_FROM is not usable: {error}.") from None
    if not settings.get("FACTCHECK_PUBLIC_URL"):
        raise ConfigError("FACTCHECK_PUBLIC_URL must be set when FACTCHECK_SMTP_URL is: e-mails link to the "
                          "claims they are about (e.g. https://factcheck.news.example).")


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
