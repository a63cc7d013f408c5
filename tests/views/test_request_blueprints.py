"""The request's blueprint names, kept per matched rule (factcheck/__init__.py ``FactcheckRequest``)."""
from flask import request
from flask.wrappers import Request


def _names(app, path: str) -> tuple[list[str], list[str]]:
    with app.test_request_context(path):
        kept = request.blueprints
        assert request.blueprints is kept  # the second read is the kept one
        return kept, Request.blueprints.fget(request._get_current_object())


def test_the_kept_names_are_flasks(app):
    for path, expected in (("/users", ["users"]), ("/login", ["auth"]), ("/healthz", ["main"]), ("/no/such/page", [])):
        kept, flasks = _names(app, path)
        assert kept == flasks == expected, path


def test_a_changed_rule_gets_its_own_names(app):
    with app.test_request_context("/users"):
        assert request.blueprints == ["users"]
        request.url_rule = None  # what Flask does when routing fails
        assert request.blueprints == []


def test_a_blueprints_own_hook_still_runs(login_as):
    # users' before_request lets only those who manage users in: it is found through request.blueprints.
    assert login_as("checker").get("/users").status_code == 403
    assert login_as("admin").get("/users").status_code == 200
