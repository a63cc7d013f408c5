from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from factcheck import jobs
from factcheck.extensions import db
from factcheck.models import Role

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> Any:
    """Each role starts where its daily work is."""
    if current_user.has_role(Role.EDITOR, Role.ADMIN):
        return redirect(url_for("articles.index"))
    if current_user.has_role(Role.CHECKER):
        return redirect(url_for("queues.mine"))
    if current_user.has_role(Role.MANAGER):
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("articles.index"))


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness for the process manager and the load balancer: the process answers and can reach its
    database. It loads no user and touches no table, so it stays cheap. Readiness is /readyz."""
    try:
        # A connection of the pool without an ORM session: the session's bookkeeping (and its
        # removal at the end of the request) cost more than the statement (issue 15).
        with db.engine.connect() as connection:
            connection.execute(_SELECT_1)
    except SQLAlchemyError:
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")


_SELECT_1 = text("SELECT 1")


def _redis_url() -> str | None:
    """Redis when the deployment has one: FACTCHECK_REDIS_URL (the throttling storage is set from it)."""
    configured = current_app.config.get("FACTCHECK_REDIS_URL") or current_app.config.get("RATELIMIT_STORAGE_URI")
    if isinstance(configured, str) and configured.startswith(("redis://", "rediss://", "unix://")):
        return configured
    return None


def _redis_ok(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    except (redis.exceptions.RedisError, OSError):
        return False
    finally:
        client.close()


@bp.get("/readyz")
def readyz() -> Any:
    """Readiness: whether this server can serve pages now, checking each service it stands on
    (the database, and Redis when FACTCHECK_REDIS_URL is set). 503 when any is down, so a load
    balancer sends the desk to another server, and an operator sees which one failed."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        checks["database"] = "error"
    redis_url = _redis_url()
    checks["redis"] = ("ok" if _redis_ok(redis_url) else "error") if redis_url else "not configured"
    ready = all(value != "error" for value in checks.values())
    # Told, not counted: a missing job worker stops imports, not the pages, so a load balancer must
    # keep sending the desk here; the operator reads it here and on the job's page.
    checks["jobs"] = _jobs_state()
    return jsonify(status="ok" if ready else "error", **checks), 200 if ready else 503


def _jobs_state() -> str:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if jobs.backend(app).name != "rq":
        return "threads of this process"
    count = jobs.workers(app)
    if count is None:
        return "unknown (Redis does not answer)"
    return f"{count} worker(s)" if count else "no worker is running"
