"""The audit log through the API, for managers and admins: filtered listing with a cursor, verifying
the chain (itself recorded), and exports streamed as CSV or JSON lines that end with the archive
checkpoint and verify against the live log."""
from __future__ import annotations

import csv
import io
import json

import pytest

from factcheck.extensions import db
from factcheck.models import AuditEvent
from factcheck.services import audit
from tests.api.test_errors import problem
from tests.support.context import ctx


def test_the_listing_filters_by_object_actor_and_day(app, api_as, make):
    claim = make.final_claim()
    api = api_as("manager")
    body = api.get("/audit", query_string={"object_type": "claim", "object_id": claim.id, "limit": 2}).get_json()
    expected = list(db.session.scalars(db.select(AuditEvent.id).where(
        AuditEvent.object_type == "claim", AuditEvent.object_id == claim.id).order_by(AuditEvent.id.desc())))
    assert [e["id"] for e in body["items"]] == expected[:2] and body["next_cursor"]
    rest = api.get("/audit", query_string={"object_type": "claim", "object_id": claim.id,
                                          "cursor": body["next_cursor"]}).get_json()
    assert [e["id"] for e in body["items"] + rest["items"]] == expected
    nobody = api.get("/audit", query_string={"no_actor": "true"}).get_json()["items"]
    assert nobody and all(e["actor_id"] is None for e in nobody)
    today = body["items"][0]["created_at"][:10]
    assert api.get("/audit", query_string={"date_from": today, "date_to": today}).get_json()["items"]
    assert api.get("/audit", query_string={"date_from": "2030-01-01"}).get_json()["items"] == []
    assert problem(api.get("/audit", query_string={"date_from": "yesterday"}), 422)["errors"]["query"]["date_from"]


def test_verifying_the_chain_answers_the_report_and_records_it(app, api_as, make, audited):
    make.claim()
    api = api_as("manager")
    response = api.post("/audit/verify")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["intact"] is True and report["problem"] is None and report["count"] > 3
    assert report["head"]["seq"] == report["count"]
    [event] = audited(audit.VERIFIED)
    assert event.id == report["event_id"] and event.actor_id == api.user.id
    assert event.changes["intact"]["after"] is True and event.changes["count"]["after"] == report["count"]


def _body(response) -> str:
    assert response.is_streamed
    text = b"".join(response.response).decode()
    response.close()
    return text


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_the_export_streams_the_filtered_events_and_its_checkpoint(app, api_as, make, audited, fmt):
    claim = make.final_claim()
    api = api_as("admin")
    response = api.get("/audit/export", query_string={"format": fmt, "object_type": "claim", "object_id": claim.id},
                       buffered=False)
    assert response.status_code == 200
    assert response.mimetype == {"csv": "text/csv", "jsonl": "application/x-ndjson"}[fmt]
    assert "attachment" in response.headers["Content-Disposition"]
    # Audited and committed before a byte of the body was produced.
    [exported] = audited(audit.EXPORTED)
    assert exported.actor_id == api.user.id and exported.changes["format"]["after"] == fmt
    assert exported.changes["filters"]["after"] == {"object_type": "claim", "object_id": claim.id}
    text = _body(response)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        rows = [json.loads(line) for line in text.splitlines()]
    checkpoint = rows.pop()
    assert checkpoint["id"] == "checkpoint" if fmt == "csv" else "checkpoint" in checkpoint
    expected = list(db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.object_type == "claim", AuditEvent.object_id == claim.id).order_by(AuditEvent.id)))
    assert [int(r["id"]) for r in rows] == [e.id for e in expected]
    assert [r["hash"] for r in rows] == [e.hash for e in expected]


def test_an_unfiltered_export_verifies_against_the_live_log(app, api_as, make):
    make.final_claim()
    lines = _body(api_as("manager").get("/audit/export", buffered=False)).splitlines()  # JSON lines by default
    report = audit.verify_archive(lines, db.session, key=ctx().settings.audit_key)
    assert report.intact and report.matched_live == len(lines) - 1


@pytest.mark.parametrize("role", ["checker", "editor"])
def test_the_audit_endpoints_are_for_managers_and_admins(app, api_as, role, audited):
    api = api_as(role)
    problem(api.get("/audit"), 403)
    problem(api.post("/audit/verify"), 403)
    problem(api.get("/audit/export"), 403)
    assert audited(audit.VERIFIED) == [] and audited(audit.EXPORTED) == []


def test_bad_export_requests(app, api_as, audited):
    api = api_as("manager")
    assert problem(api.get("/audit/export", query_string={"format": "xml"}), 422)["errors"]["query"]["format"]
    problem(api_as("manager", scopes=("read",)).post("/audit/verify"), 403)
    assert audited(audit.EXPORTED) == [] and audited(audit.VERIFIED) == []
