"""The claim steps the pages had and the API lacked: re-anchoring an orphaned claim, bulk assignment,
correcting and removing evidence (with the evidence's own ETag), restoring page furniture. Each
through the same service as the page: refused by the same permission table, audited."""
from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Claim, Evidence, Revision
from factcheck.services import evidence as evidence_service
from factcheck.services import intake, revisions
from tests.api.test_errors import problem
from tests.support.context import ctx
from tests.support.factories import ARTICLE_TEXT, FIRST_CLAIM, SECOND_CLAIM

NEW_WORDS = "The council met on Tuesday"


def _orphaned(make, editor) -> Claim:
    claim = make.claim(editor=editor)
    revisions.revise(ctx(), actor=editor, article=claim.article, text=ARTICLE_TEXT.replace(FIRST_CLAIM, NEW_WORDS))
    db.session.refresh(claim)
    assert claim.status == "orphaned"
    return claim


# ---- re-anchoring -----------------------------------------------------------------------------------

def test_an_editor_reanchors_an_orphaned_claim(app, api_as, make, audited):
    api = api_as("editor")
    claim = _orphaned(make, api.user)
    response = api.write(f"/claims/{claim.id}/reanchor", {"quote": NEW_WORDS})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["quote"] == NEW_WORDS and body["status"] == "open" and body["text_changed"] is True
    assert response.headers["ETag"] == f'"{body["version"]}"'
    [event] = audited("claim.reanchored")[-1:]
    assert event.actor_id == api.user.id and event.object_id == claim.id
    assert event.changes["quote"] == {"before": FIRST_CLAIM, "after": NEW_WORDS}


def test_reanchoring_refusals(app, api_as, make):
    editor = api_as("editor")
    claim = _orphaned(make, editor.user)
    etag = editor.get(f"/claims/{claim.id}").headers["ETag"]
    problem(api_as("checker").write(f"/claims/{claim.id}/reanchor", {"quote": NEW_WORDS}), 403)
    assert problem(editor.post("/claims/9999/reanchor", json={"quote": NEW_WORDS}, headers={"If-Match": '"1"'}),
                   404)["detail"] == "There is no such claim."
    missing = problem(editor.write(f"/claims/{claim.id}/reanchor", {"quote": "Words nowhere in the text"}), 422)
    assert "not found in the article text" in missing["detail"]
    assert problem(editor.post(f"/claims/{claim.id}/reanchor", json={"quote": NEW_WORDS}), 428)
    assert problem(editor.post(f"/claims/{claim.id}/reanchor", json={"quote": 7}, headers={"If-Match": etag}),
                   422)["errors"]["json"]["quote"]
    # Someone else re-anchors first: this copy is stale.
    assert editor.write(f"/claims/{claim.id}/reanchor", {"quote": NEW_WORDS}).status_code == 200
    stale = problem(editor.post(f"/claims/{claim.id}/reanchor", json={"quote": NEW_WORDS},
                                headers={"If-Match": etag}), 412)
    assert stale["current"]["quote"] == NEW_WORDS


# ---- bulk assignment --------------------------------------------------------------------------------

def test_bulk_assign_assigns_every_claim_named(app, api_as, make, audited):
    api = api_as("editor")
    article = make.article(api.user)
    claims = [make.claim(article, FIRST_CLAIM, api.user), make.claim(article, SECOND_CLAIM, api.user)]
    checker = make.user("checker")
    response = api.post("/claims/bulk-assign", json={"claim_ids": [c.id for c in claims], "assignee_id": checker.id,
                                                     "due_date": "2030-01-31", "priority": "high"})
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    assert [(i["id"], i["assignee_id"], i["status"], i["priority"], i["due_date"]) for i in items] == \
        [(c.id, checker.id, "assigned", "high", "2030-01-31") for c in claims]
    events = audited("claim.assigned")
    assert sorted(e.object_id for e in events) == [c.id for c in claims]
    assert {e.actor_id for e in events} == {api.user.id}


def test_bulk_assign_refusals_assign_nothing(app, api_as, make):
    editor = api_as("editor")
    claim = make.claim(editor=editor.user)
    final = make.final_claim()
    checker = make.user("checker")
    body = {"claim_ids": [claim.id], "assignee_id": checker.id}
    problem(api_as("checker").post("/claims/bulk-assign", json=body), 403)
    problem(api_as("editor", scopes=("read",)).post("/claims/bulk-assign", json=body), 403)
    assert "9999" in problem(editor.post("/claims/bulk-assign", json={**body, "claim_ids": [claim.id, 9999]}),
                             404)["detail"]
    problem(editor.post("/claims/bulk-assign", json={**body, "assignee_id": 9999}), 404)
    in_the_way = problem(editor.post("/claims/bulk-assign", json={**body, "claim_ids": [claim.id, final.id]}), 409)
    assert f"Claim {final.id}" in in_the_way["detail"] and "Nothing was assigned" in in_the_way["detail"]
    assert problem(editor.post("/claims/bulk-assign", json={**body, "claim_ids": []}), 422)["errors"]["json"]
    assert db.session.get(Claim, claim.id).assignee_id is None


# ---- evidence ---------------------------------------------------------------------------------------

def _with_evidence(make, checker) -> tuple[Claim, Evidence]:
    claim = make.assigned_claim(checker)
    item = evidence_service.add_evidence(ctx(), actor=checker, claim=claim, url="https://example.org/minutes",
                                         title="Council minutes", stance="supports")
    return claim, item


EDITED = {"url": "https://example.org/minutes-final", "title": "Council minutes (final)", "stance": "supports",
          "publisher": "Lakeside council", "source_type": "primary document"}


def test_evidence_is_read_with_its_etag_and_corrected(app, api_as, make, audited):
    api = api_as("checker")
    claim, item = _with_evidence(make, api.user)
    read = api.get(f"/claims/{claim.id}/evidence/{item.id}")
    assert read.status_code == 200 and read.headers["ETag"] == f'"{read.get_json()["version"]}"'
    assert api.get(f"/claims/{claim.id}").get_json()["evidence"][0]["version"] == read.get_json()["version"]
    response = api.put(f"/claims/{claim.id}/evidence/{item.id}", json=EDITED, headers={"If-Match": read.headers["ETag"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == "Council minutes (final)"
    assert response.headers["ETag"] != read.headers["ETag"]
    [event] = audited("evidence.edited")
    assert event.actor_id == api.user.id and event.object_id == item.id
    assert event.changes["url"] == {"before": "https://example.org/minutes", "after": EDITED["url"]}
    # The earlier ETag no longer matches: a second writer with the old copy is told (412), nothing changes.
    stale = problem(api.put(f"/claims/{claim.id}/evidence/{item.id}", json={**EDITED, "title": "Other"},
                            headers={"If-Match": read.headers["ETag"]}), 412)
    assert stale["current"]["title"] == "Council minutes (final)"
    assert stale["current_version"] == response.get_json()["version"]
    assert db.session.get(Evidence, item.id).title == "Council minutes (final)"


def test_evidence_edit_refusals(app, api_as, make):
    api = api_as("checker")
    claim, item = _with_evidence(make, api.user)
    path = f"/claims/{claim.id}/evidence/{item.id}"
    etag = api.get(path).headers["ETag"]
    problem(api_as("checker").put(path, json=EDITED, headers={"If-Match": etag}), 403)  # not their claim
    problem(api.put(f"/claims/{claim.id}/evidence/9999", json=EDITED, headers={"If-Match": etag}), 404)
    other = make.claim()
    problem(api.get(f"/claims/{other.id}/evidence/{item.id}"), 404)  # not this claim's evidence
    problem(api.put(path, json=EDITED), 428)
    bad = problem(api.put(path, json={**EDITED, "url": "ftp://example.org"}, headers={"If-Match": etag}), 422)
    assert bad["errors"]["json"]["url"]
    bad = problem(api.put(path, json={**EDITED, "stance": "maybe"}, headers={"If-Match": etag}), 422)
    assert bad["errors"]["json"]["stance"]
    assert db.session.get(Evidence, item.id).title == "Council minutes"


def test_evidence_is_removed_with_a_reason_and_the_verdict_goes_back(app, api_as, make, audited):
    checker = make.user("checker")
    claim = make.proposed_claim(checker)
    item = claim.current_evidence[0]
    api = api_as("editor")
    path = f"/claims/{claim.id}/evidence/{item.id}"
    etag = api.get(path).headers["ETag"]
    problem(api.post(f"{path}/remove", json={"reason": "  "}, headers={"If-Match": etag}), 422)
    problem(api_as("checker").post(f"{path}/remove", json={"reason": "Dup"}, headers={"If-Match": etag}), 403)
    response = api.post(f"{path}/remove", json={"reason": "The minutes were a draft."}, headers={"If-Match": etag})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["evidence"] == [] and body["status"] == "in_progress"
    assert response.headers["ETag"] == f'"{body["version"]}"'
    [removed] = audited("evidence.removed")
    assert removed.actor_id == api.user.id and removed.object_id == item.id
    assert removed.changes["removal_reason"]["after"] == "The minutes were a draft."
    assert audited("verdict.withdrawn")[0].object_id == claim.id
    # Removed evidence is gone for the API: reading, editing or removing it again is 404.
    problem(api.get(path), 404)
    problem(api.post(f"{path}/remove", json={"reason": "Again"}, headers={"If-Match": etag}), 404)


def test_a_stale_removal_is_412(app, api_as, make):
    api = api_as("checker")
    claim, item = _with_evidence(make, api.user)
    path = f"/claims/{claim.id}/evidence/{item.id}"
    etag = api.get(path).headers["ETag"]
    assert api.put(path, json=EDITED, headers={"If-Match": etag}).status_code == 200
    problem(api.post(f"{path}/remove", json={"reason": "Dup"}, headers={"If-Match": etag}), 412)
    assert db.session.get(Evidence, item.id).removed_at is None


# ---- page furniture ---------------------------------------------------------------------------------

def _wire(editor):
    text = ARTICLE_TEXT + "Photo: Harbour Press Agency\n"
    return intake.import_article(ctx(), actor=editor, title="Wire", text=text).article


def test_a_set_aside_line_is_restored_by_where_it_starts(app, api_as, make, audited):
    api = api_as("editor")
    article = _wire(api.user)
    furniture = api.get(f"/articles/{article.id}").get_json()["furniture"]
    [line] = [f for f in furniture if f["text"] == "Photo: Harbour Press Agency"]
    response = api.post(f"/articles/{article.id}/furniture/{line['start']}/restore")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["restored"]["text"] == "Photo: Harbour Press Agency" and body["suggested"] >= 0
    after = api.get(f"/articles/{article.id}").get_json()["furniture"]
    assert line["start"] not in [f["start"] for f in after]
    [event] = audited("revision.furniture_restored")
    assert event.actor_id == api.user.id and event.article_id == article.id
    assert event.changes["furniture"]["before"]["text"] == "Photo: Harbour Press Agency"
    # Restored already: there is no set-aside line there any more.
    assert "any more" in problem(api.post(f"/articles/{article.id}/furniture/{line['start']}/restore"), 404)["detail"]


def test_restoring_furniture_refusals(app, api_as, make):
    editor = make.user("editor")
    article = _wire(editor)
    start = db.session.get(Revision, article.current_revision_id).furniture[0]["start"]
    for role in ("checker", "manager"):
        problem(api_as(role).post(f"/articles/{article.id}/furniture/{start}/restore"), 403)
        problem(api_as(role).post(f"/articles/{article.id}/furniture/1/restore"), 403)  # no hint of what is there
    problem(api_as("editor", scopes=("read",)).post(f"/articles/{article.id}/furniture/{start}/restore"), 403)
    problem(api_as("editor").post(f"/articles/9999/furniture/{start}/restore"), 404)
    assert len(db.session.get(Revision, article.current_revision_id).furniture) >= 1
