"""Every refusal is an RFC 9457 problem (application/problem+json) with a detail a person can act on."""
from __future__ import annotations

import base64
import re

import pytest

from tests.support.factories import ARTICLE_TEXT


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == "about:blank" and body["status"] == status
    assert body["title"] and body["detail"] and body["instance"] == response.request.path
    return body


def test_unknown_objects_are_404(app, api_as):
    api = api_as("editor")
    assert "no such article" in problem(api.get("/articles/999"), 404)["detail"]
    assert "no such claim" in problem(api.get("/claims/999"), 404)["detail"]
    problem(api.get("/claims/99999999999999"), 404)  # beyond the id range: absent, not an overflow
    problem(api.get("/nothing/here"), 404)


def test_a_wrong_method_is_405_with_allow(app, api_as):
    response = api_as("editor").client.delete("/api/v1/articles")
    body = problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "POST"}
    assert "DELETE" in body["detail"]


def test_a_body_that_is_not_json_is_415(app, api_as):
    api = api_as("editor")
    response = api.client.post("/api/v1/articles", data="title=x", headers=api.headers(
        {"Content-Type": "application/x-www-form-urlencoded"}))
    assert "JSON" in problem(response, 415)["detail"]


def test_a_body_over_the_limit_is_413(app, api_as):
    app.config["FACTCHECK_API_MAX_BODY_BYTES"] = 1000
    api = api_as("editor")
    body = problem(api.post("/articles", json={"title": "Big", "text": "x" * 2000}), 413)
    assert "1000 bytes" in body["detail"]
    assert api.post("/articles", json={"title": "Small", "text": ARTICLE_TEXT}).status_code == 201


def test_schema_violations_are_422_with_field_errors(app, api_as):
    api = api_as("editor")
    body = problem(api.post("/articles", json={"title": 3, "surprise": True}), 422)
    assert set(body["errors"]["json"]) == {"title", "text", "surprise"}
    body = problem(api.post("/articles", json={"text": "nul\x00byte"}), 422)
    assert "NUL" in body["errors"]["json"]["text"][0]
    problem(api.get("/claims", query_string={"status": "nonsense"}), 422)


def test_a_rule_of_the_services_is_explained(app, api_as):
    body = problem(api_as("editor").post("/articles", json={"text": "   "}), 422)
    assert "Paste the article text" in body["detail"]


@pytest.mark.parametrize("cursor", ["!!", base64.urlsafe_b64encode("id:²".encode()).decode()])
def test_a_broken_cursor_is_400(app, api_as, cursor):
    assert "cursor" in problem(api_as("editor").get("/claims", query_string={"cursor": cursor}), 400)["detail"]


def test_too_many_requests_is_429(app, api_as):
    app.config["FACTCHECK_API_RATE_LIMIT"] = "3 per minute"
    api = api_as("checker")
    for _ in range(3):
        assert api.get("/articles").status_code == 200
    response = api.get("/articles")
    problem(response, 429)
    assert "Retry-After" in response.headers


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_spec_and_its_page_are_served_without_a_token(app, path, new_client):
    response = new_client().get(path)
    assert response.status_code == 200


def test_the_docs_page_works_offline(app, new_client):
    html = new_client().get("/api/v1/docs").get_data(as_text=True)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no asset from another host
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert f"/static/vendor/swagger-ui/{asset}" in html
        response = new_client().get(f"/static/vendor/swagger-ui/{asset}")
        assert response.status_code == 200
        response.close()


def test_the_spec_documents_problems_and_the_bearer_scheme(app, new_client):
    spec = new_client().get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert "application/problem+json" in spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert "/api/v1/articles/{article_id}/gate" in spec["paths"]
    assert not any("{rest}" in path for path in spec["paths"])
