"""The pages' side of idempotency keys (the rules: factcheck/services/idempotency.py).

A form posted by a signed-in person with a key is looked up before its view runs: a submission
already carried out is answered as the first time was (sent to the same page, with a message
saying so) and runs no second time; any other is expected on the request's session, whose first
writing commit uses the key up. Left out, each for its reason:

* the JSON API (/api/v1): its clients do not send forms, and it has its own rules;
* signing in: there is no user yet to hold the key, and signing in twice opens two device
  sessions, which makes no duplicate anyone sees (signing out ends the session, so a key sent
  with a sign-out has no one to be checked for either);
* a post without a key (a page opened before keys existed): it runs as it always did.
"""
from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, current_app, flash, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from factcheck.extensions import db
from factcheck.services import idempotency
from factcheck.views.common import runtime, safe_local_url

ALREADY_SAVED = "This was already saved — nothing was sent twice."
_EXPECTED = "idempotency_expected"


def _sent_fields() -> list[tuple[str, str]]:
    """What the form sent, for the submission's key: every field but the CSRF token (which says
    nothing about the content), and each uploaded file as its name and a digest of its bytes."""
    token = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in (token, idempotency.FIELD)]
    for name, upload in request.files.items(multi=True):
        stream, digest = upload.stream, hashlib.sha256()
        if stream.seekable():
            while chunk := stream.read(1 << 16):
                digest.update(chunk)
            stream.seek(0)
        fields.append((name, f"{upload.filename}:{digest.hexdigest()}"))
    return fields


def _submission_key() -> str | None:
    if request.method != "POST" or request.path.startswith("/api/"):
        return None
    form_key = request.form.get(idempotency.FIELD)
    if not form_key or not current_user.is_authenticated:
        return None
    return idempotency.submission_key(form_key, _sent_fields())


def _page_the_form_is_on(record_location: str | None) -> str:
    """Where the first answer sent the person; failing that, the page the form was sent from."""
    if record_location:
        return record_location
    kept = safe_local_url(request.form.get("return_to"))
    if kept:
        return kept
    referrer = request.referrer or ""
    own = referrer.removeprefix(request.host_url.rstrip("/")) if referrer.startswith(request.host_url) else None
    return safe_local_url(own) or url_for("main.home")


def _answer_again(location: str | None) -> Response:
    """The answer to a submission already carried out. A page's form goes to the page; an htmx form
    follows the redirect and swaps in the refreshed panel and the message, as after its first post."""
    flash(ALREADY_SAVED, "success")
    return redirect(_page_the_form_is_on(location))


def _before() -> Response | None:
    key = _submission_key()
    if key is None:
        return None
    user_id = current_user.id
    done = idempotency.find(db.session, user_id, key)
    if done is not None:
        current_app.logger.info("Submission %s… of user %s already carried out: not run again", key[:12], user_id)
        return _answer_again(done.location)
    idempotency.expect(db.session, user_id, key, runtime().now())
    g.setdefault(_EXPECTED, True)
    return None


def _location_of(response: Response) -> str | None:
    location = response.headers.get("Location") if 300 <= response.status_code < 400 else None
    location = location or response.headers.get("HX-Redirect")
    if location and location.startswith(request.host_url):
        location = "/" + location.removeprefix(request.host_url)
    return safe_local_url(location)


def _after(response: Response) -> Response:
    if not g.get(_EXPECTED):
        return response
    used = idempotency.used(db.session)
    location = _location_of(response)
    if used is not None and location is not None:
        try:
            idempotency.remember_location(db.session, used, location)
        except Exception:  # the change is saved; a retry then goes to the form's page instead
            current_app.logger.warning("Could not record where submission %s… went", used.key[:12], exc_info=True)
    return response


def _already_saved(error: idempotency.AlreadySaved) -> Any:
    """Two copies of one submission committed at once, and this one came second."""
    db.session.rollback()
    current_app.logger.info("Concurrent copy of submission %s… of user %s turned away",
                            error.pending.key[:12], error.pending.user_id)
    done = idempotency.find(db.session, error.pending.user_id, error.pending.key)
    return _answer_again(done.location if done is not None else None)


def init_app(app: Flask) -> None:
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(idempotency.AlreadySaved, _already_saved)
