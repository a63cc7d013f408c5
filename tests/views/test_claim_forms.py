"""The claim page's forms written from kept markup (views/claim_forms.py) are what the forms built with
the claim's values render, for every form and for values that need escaping."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from factcheck.forms import choices
from factcheck.forms.claims import (
    AcceptSuggestionForm,
    AcceptVerdictForm,
    AssignForm,
    DismissForm,
    EvidenceForm,
    ProposeForm,
    ReanchorForm,
    ResolveForm,
    ReturnForm,
)
from factcheck.models import Claim
from factcheck.views import claim_forms

EVIL = '<script>alert("x")</script> & \'q\' \ue000via\ue001'
SETTINGS = SimpleNamespace(verdict_scale=("verified", "false", "<odd> & \"one\""))
CHECKERS = [(3, "Ann <b> (ann@x.test)"), (4, "Bo & Co (bo@x.test)")]


def _built(name: str, claim: Claim) -> object:
    """The form as the view built it before: with the claim's values."""
    version = str(claim.version)
    made = {
        "evidence_form": lambda: EvidenceForm(formdata=None, question="" if claim.claimant else "substance"),
        "propose_form": lambda: ProposeForm(formdata=None, version=version, verdicts=SETTINGS.verdict_scale),
        "return_form": lambda: ReturnForm(formdata=None, version=version),
        "accept_form": lambda: AcceptVerdictForm(formdata=None, version=version),
        "dismiss_form": lambda: DismissForm(formdata=None, version=version),
        "triage_form": lambda: AcceptSuggestionForm(
            formdata=None, version=version, statement=claim.statement, claimant=claim.claimant or "",
            via=", ".join(claim.via or [])),
        "resolve_form": lambda: ResolveForm(formdata=None, version=version),
        "reanchor_form": lambda: ReanchorForm(formdata=None, version=version),
        "assign_form": lambda: AssignForm(formdata=None, version=version, assignee_id=claim.assignee_id,
                                          due_date=claim.due_date, priority=claim.priority),
    }[name]()
    if name == "assign_form":
        made.assignee_id.choices = choices(CHECKERS)
    return made


def _claims() -> list[Claim]:
    return [
        Claim(id=1, version=7, statement=EVIL, claimant=EVIL, via=[EVIL, "Reuters"], assignee_id=3,
              due_date=date(2026, 1, 2), priority="high"),
        Claim(id=2, version=12, statement="Plain words.", claimant=None, via=None, assignee_id=None, due_date=None,
              priority="normal"),
        Claim(id=3, version=1, statement="", claimant="", via=[], assignee_id=99, due_date=date(2025, 12, 31),
              priority="urgent"),
    ]


@pytest.mark.parametrize("name", sorted(claim_forms.FORMS))
def test_kept_forms_write_what_the_built_forms_render(app, name: str) -> None:
    with app.test_request_context():
        for _ in range(2):  # the first view keeps the markup, the second writes from it
            for claim in _claims():
                built = claim_forms._macro(claim_forms.FORMS[name].macro)(_built(name, claim), bool(claim.claimant))
                kept = claim_forms.inside(name, claim, settings=SETTINGS, checkers=choices(CHECKERS))
                assert kept == built


def test_a_posted_form_is_written_from_itself(app) -> None:
    with app.test_request_context():
        claim = _claims()[0]
        form = DismissForm(formdata=None, version="7", reason=EVIL)
        form.reason.errors = ["Say why."]
        markup = claim_forms.inside("dismiss_form", claim, settings=SETTINGS, posted=form)
        assert "Say why." in markup and "&lt;script&gt;" in markup and "<script>" not in markup


def test_the_assignment_form_is_written_once_for_every_assignee_and_priority(app) -> None:
    """Its selects' options are marked, not written again for each assignee and priority: claims of the
    same shape (a claimant or not, the same checkers) share one markup, each with its own selection."""
    with app.test_request_context():
        claim_forms._KEPT._items.clear()
        claims = [Claim(id=n, version=n, statement="Words.", claimant=None, via=None, assignee_id=assignee,
                        due_date=None, priority=priority)
                  for n, (assignee, priority) in enumerate([(3, "high"), (4, "low"), (None, "urgent"), (99, "normal")])]
        for claim in claims:
            built = claim_forms._macro("assign")(_built("assign_form", claim), False)
            assert claim_forms.inside("assign_form", claim, settings=SETTINGS, checkers=choices(CHECKERS)) == built
        assert [key[0] for key in claim_forms._KEPT._items] == ["assign_form"]


def test_options_not_written_as_expected_are_not_marked() -> None:
    select = '<select id="priority" name="priority"><option value="a">A</option>{}</select>'
    names = ("priority",)
    assert claim_forms._options_marked(select.format('<option value="b">B</option>'), names) is not None
    assert claim_forms._options_marked(select.format('<option value="b c">B</option>'), names) is None
    assert claim_forms._options_marked(select.format('<option selected value="b">B</option>'), names) is None
    assert claim_forms._options_marked(select.format(""), ("priority", "assignee_id")) is None
