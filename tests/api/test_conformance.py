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

from factcheck.services import tokens
from tests.support.context import ctx

EXAMPLES_PER_OPERATION = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def seeded(app, make, admin) -> tuple[str, list[dict[str, int]]]:
    """A token, and path ids that exist: articles and claims in several states, and the admin."""
    app.config["FACTCHECK_API_RATE_LIMIT"] = "100000 per minute"
    final = make.final_claim()
    suggested_like = make.claim(article=final.article, quote="The line will cost 210 million euros")
    proposed = make.proposed_claim()
    assigned = make.assigned_claim()
    secret = tokens.issue_token(ctx(), actor=admin, user=admin, name="schemathesis", scopes=["read", "write"]).secret
    ids = [{"article_id": claim.article_id, "claim_id": claim.id, "user_id": admin.id}
           for claim in (final, suggested_like, proposed, assigned)]
    return secret, ids


def _check_each(strategy, headers: dict[str, str], examples: int, calls: list[int]):
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        calls.append(1)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    return run


def test_the_api_conforms_to_its_own_document(app, seeded):
    secret, existing = seeded
    def one_context_per_request(environ, start_response):
        # As in production (and the suite's Client): each request in an app context of its own.
        with app.app_context():
            return app(environ, start_response)

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", one_context_per_request)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    calls: list[int] = []
    for operation in operations:
        headers = {"Authorization": f"Bearer {secret}"}
        if any(p.name == "If-Match" for p in operation.headers):
            headers["If-Match"] = "*"
        names = {p.name for p in operation.path_parameters}
        # Generated ids (mostly absent ones), then each existing object, so the writes reach the services.
        variants = [None] + ([{k: v for k, v in ids.items() if k in names} for ids in existing] if names else [])
        for path_parameters in variants:
            examples = EXAMPLES_PER_OPERATION if path_parameters is None else 4
            run = _check_each(operation.as_strategy(headers=headers, path_parameters=path_parameters), headers,
                              examples, calls)
            try:
                run()
            except Exception as error:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} {path_parameters or ''}: {error}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) > 200
