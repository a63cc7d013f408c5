"""Schemathesis against the app's own OpenAPI document: for every operation, a bounded number of
generated requests (valid token, seeded data) must get no 5xx and no response that contradicts the
document (status codes, content types, headers and bodies as documented)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from factcheck.extensions import db
from factcheck.services import notifications, tokens, webhooks
from factcheck.services.db import transaction
from tests.support.context import ctx

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def seeded(app, make, admin) -> list[dict[str, int]]:
    """Path ids that exist: articles, claims in several states with their evidence, a webhook."""
    app.config["FACTCHECK_API_RATE_LIMIT"] = "100000 per minute"
    webhook = webhooks.register_webhook(ctx(), actor=admin, url="https://cms.example/hook",
                                        events=["claim.verdict_final"]).webhook
    final = make.final_claim()
    suggested_like = make.claim(article=final.article, quote="The line will cost 210 million euros")
    proposed = make.proposed_claim()
    assigned = make.assigned_claim()
    ids = []
    for claim in (final, suggested_like, proposed, assigned):
        found = {"article_id": claim.article_id, "claim_id": claim.id, "webhook_id": webhook.id}
        if claim.current_evidence:
            found["evidence_id"] = claim.current_evidence[0].id
        ids.append(found)
    return ids


def _caller(make) -> tuple[str, dict[str, int]]:
    """A fresh admin with a token, a notification and another user's token to revoke: what one
    operation does to accounts (revoking, demoting, deactivating) stays out of the next one's way."""
    admin = make.user("admin")
    secret = tokens.issue_token(ctx(), actor=admin, user=admin, name="schemathesis", scopes=["read", "write"]).secret
    other = tokens.issue_token(ctx(), actor=admin, user=make.user("editor"), name="other", scopes=["read"]).token
    with transaction(db.session):
        note = notifications.notify(ctx(), recipient=admin, kind="test", message="Look at this")
    assert note is not None
    return secret, {"user_id": admin.id, "token_id": other.id, "notification_id": note.id}


def _check_each(strategy, headers: dict[str, str], examples: int, calls: list[int]):
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        calls.append(1)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    return run


def test_the_api_conforms_to_its_own_document(app, make, seeded):
    def one_context_per_request(environ, start_response):
        # As in production (and the suite's Client): each request in an app context of its own.
        with app.app_context():
            return app(environ, start_response)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", one_context_per_request)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 45
    calls: list[int] = []
    for operation in operations:
        secret, own = _caller(make)
        headers = {"Authorization": f"Bearer {secret}"}
        if any(p.name == "If-Match" for p in operation.headers):
            headers["If-Match"] = "*"
        names = {p.name for p in operation.path_parameters}
        # Generated ids (mostly absent ones), then each existing object, so the writes reach the services.
        existing = [{k: v for k, v in {**ids, **own}.items() if k in names} for ids in seeded] if names else []
        for path_parameters in [None, *existing]:
            examples = EXAMPLES_PER_OPERATION if path_parameters is None else 4
            run = _check_each(operation.as_strategy(headers=headers, path_parameters=path_parameters), headers,
                              examples, calls)
            try:
                run()
            except Exception as error:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} {path_parameters or ''}: {error}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) > 400
