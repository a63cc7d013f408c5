"""The demo newsroom that `make run` loads into an empty database.

The articles are the project's own writing about invented places, in a wire-news style, so the
demo never repeats real reporting. Everything is created through the services, so the demo's
audit log is a real, verifiable chain.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from factcheck.models import Article, Claim, User
from factcheck.services import articles, claims, evidence, notes, users
from factcheck.services.context import Context, DbSession

PASSWORD = "factcheck-demo"
DEMO_USERS = [
    ("admin@demo.test", "Ada Admin", ["admin"]),
    ("editor@demo.test", "Edith Editor", ["editor"]),
    ("editor2@demo.test", "Evan Second-Editor", ["editor"]),
    ("checker@demo.test", "Chen Checker", ["checker"]),
    ("checker2@demo.test", "Carla Checker", ["checker"]),
    ("manager@demo.test", "Mona Manager", ["manager"]),
]
LOGIN_EMAILS = [email for email, _name, _roles in DEMO_USERS]

HARBOUR = """Valmora port handled record cargo last year, authority says
VALMORA, March 4 (Northwire) - The port of Valmora handled 41.2 million tonnes of cargo last year, a record for the harbour, the Valmora Port Authority said on Tuesday.
Container traffic rose 12 percent to 1.9 million boxes, according to figures published by the authority.
"We have never moved this much freight through the harbour in a single year," port director Helena Sandqvist told reporters.
The port's expansion cost 380 million euros and was completed two months ahead of schedule, Sandqvist said.
Dock workers' union leader Marco Ferrant disputed the figures, saying that much of the growth came from transhipment that never leaves the quay.
Valmora is the country's third-largest port by tonnage.
"""

BRIDGE = """Regional council approves Ostrava river bridge after decade-long dispute
KESSEL, June 18 (Northwire) - The Kessel regional council voted 31 to 9 on Monday to build a road bridge across the Ostrava river, ending a dispute that began in 2014.
The bridge will cut the journey between Kessel and Lindau from 50 minutes to 15, council leader Agnes Mertz said.
Environmental group Riverwatch said the construction would destroy one of the last breeding grounds of the river tern in the region.
The project is expected to cost 96 million euros, half of it paid from national funds, according to a council statement.
Opponents said a ferry link would cost a third as much.
Work is due to start next spring.
"""

HOSPITAL = """Northgate hospital waiting times fell by a fifth, health board says
NORTHGATE, Sept 9 (Northwire) - Average waiting times for planned surgery at Northgate General Hospital fell by 21 percent in the first half of the year, the regional health board said on Friday.
The median wait dropped from 19 weeks to 15 weeks, the board said in its quarterly report.
Health minister Pavel Dorn credited the new evening operating shifts, which he said had added 2,400 procedures.
Nurses' representative Ines Varga said staff shortages remained the worst in a decade.
"""


def _mark(ctx: Context, editor: User, article: Article, quote: str, claimant: str | None = None,
          kind: str = "statement") -> Claim:
    return claims.add_claim(ctx, actor=editor, article=article, quote=quote, claimant=claimant, kind=kind)


def _suggest(ctx: Context, article: Article, quote: str, claimant: str | None, score: float) -> Claim:
    start = article.text.index(quote)
    return claims.suggest_claim(ctx, article=article, start=start, end=start + len(quote), claimant=claimant,
                                via=[], kind="attributed statement" if claimant else "statement", score=score)


def _evidence(ctx: Context, checker: User, claim: Claim, title: str, stance: str, excerpt: str) -> None:
    evidence.add_evidence(ctx, actor=checker, claim=claim, url="https://example.org/sources/" + str(claim.id),
                          title=title, stance=stance, excerpt=excerpt, publisher="Demo source",
                          source_type="official statement", credibility="credible")
    if claim.claimant:
        # An attributed claim is checked twice: was it said, and is it accurate.
        evidence.add_evidence(ctx, actor=checker, claim=claim, question="attribution", stance="supports",
                              url=f"https://example.org/transcripts/{claim.id}", title=f"Statement by {claim.claimant}",
                              excerpt="The statement as published by the speaker's office.", publisher="Demo source",
                              source_type="primary document", credibility="credible")


def database_is_empty(session: DbSession) -> bool:
    return session.scalar(select(User.id).limit(1)) is None


def is_loaded(session: DbSession) -> bool:
    return users.find_by_email(session, "admin@demo.test") is not None


def load(ctx: Context) -> bool:
    """Create the demo newsroom; return False when it is already there."""
    if is_loaded(ctx.session):
        return False
    people: dict[str, User] = {}
    for email, name, roles in DEMO_USERS:
        people[email] = users.create_user(ctx, actor=None, actor_label="demo", email=email, password=PASSWORD,
                                          roles=roles, display_name=name)
    editor, editor2 = people["editor@demo.test"], people["editor2@demo.test"]
    checker, checker2 = people["checker@demo.test"], people["checker2@demo.test"]
    today = ctx.now().date()

    # An article half-way through the desk: claims in every state.
    harbour = articles.create_article(ctx, actor=editor, title="Valmora port handled record cargo last year",
                                      text=HARBOUR, outlet="Northwire", byline="Staff reporter")
    record = _mark(ctx, editor, harbour, "The port of Valmora handled 41.2 million tonnes of cargo last year, "
                   "a record for the harbour", "Valmora Port Authority", "statistic")
    boxes = _mark(ctx, editor, harbour, "Container traffic rose 12 percent to 1.9 million boxes",
                  "Valmora Port Authority", "statistic")
    cost = _mark(ctx, editor, harbour, "The port's expansion cost 380 million euros and was completed two "
                 "months ahead of schedule", "Helena Sandqvist", "attributed statement")
    third = _mark(ctx, editor, harbour, "Valmora is the country's third-largest port by tonnage.", None, "statistic")
    _suggest(ctx, harbour, "much of the growth came from transhipment that never leaves the quay",
             "Marco Ferrant", 0.71)
    quote = _suggest(ctx, harbour, "We have never moved this much freight through the harbour in a single year",
                     "Helena Sandqvist", 0.42)
    claims.dismiss(ctx, actor=editor, claim=quote, reason="Opinion of the speaker; nothing to check.")
    claims.assign(ctx, actor=editor, claim=record, assignee=checker, due_date=today + timedelta(days=1), priority="high")
    claims.assign(ctx, actor=editor, claim=boxes, assignee=checker, due_date=today - timedelta(days=1), priority="urgent")
    claims.assign(ctx, actor=editor, claim=cost, assignee=checker2, due_date=today + timedelta(days=3))
    claims.assign(ctx, actor=editor, claim=third, assignee=checker2, due_date=today)
    _evidence(ctx, checker, record, "Valmora Port Authority annual traffic report", "supports",
              "Total throughput: 41.2 Mt (previous record: 39.8 Mt).")
    claims.propose_verdict(ctx, actor=checker, claim=record, verdict="verified", attribution_verdict="confirmed",
                           rationale="The authority's annual report gives 41.2 Mt, above every earlier year.")
    _evidence(ctx, checker2, cost, "Ministry of Transport project register", "context",
              "Valmora quay extension: budget 365 MEUR, completed in October.")
    notes.add_note(ctx, actor=checker2, claim=cost,
                   body="The register says **365 million**, not 380. @editor can we ask the port press office "
                        "which figure includes the dredging?")
    notes.add_note(ctx, actor=editor, claim=cost,
                   body="Asked them. Meanwhile check the [EU funding notice](https://example.org/eu/valmora), "
                        "@checker2: it may list the final cost.")

    # An article waiting at the gate: every claim final, one still needs a resolution.
    bridge = articles.create_article(ctx, actor=editor, title="Council approves Ostrava river bridge", text=BRIDGE,
                                     outlet="Northwire", byline="Regional desk")
    vote = _mark(ctx, editor, bridge, "The Kessel regional council voted 31 to 9 on Monday to build a road bridge "
                 "across the Ostrava river", None, "event with date")
    journey = _mark(ctx, editor, bridge, "The bridge will cut the journey between Kessel and Lindau from 50 minutes "
                    "to 15", "Agnes Mertz", "attributed statement")
    for claim, who, verdict, rationale in (
        (vote, checker, "verified", "The council's published minutes record 31 votes for and 9 against."),
        (journey, checker2, "misleading", "The planning study gives 15 minutes only outside rush hour; 25 at peak."),
    ):
        claims.assign(ctx, actor=editor, claim=claim, assignee=who, due_date=today + timedelta(days=2))
        _evidence(ctx, who, claim, "Kessel council documents", "supports" if verdict == "verified" else "refutes",
                  "Minutes and planning study of the Ostrava crossing.")
        claims.propose_verdict(ctx, actor=who, claim=claim, verdict=verdict, rationale=rationale,
                               attribution_verdict="confirmed" if claim.claimant else None)
        claims.accept_verdict(ctx, actor=editor2, claim=claim)

    # An article fresh off the wire: suggestions only.
    hospital = articles.create_article(ctx, actor=editor, title="Northgate hospital waiting times fell by a fifth",
                                       text=HOSPITAL, outlet="Northwire", byline="Health desk")
    _mark(ctx, editor, hospital, "the new evening operating shifts, which he said had added 2,400 procedures",
          "Pavel Dorn", "statistic")
    _suggest(ctx, hospital, "The median wait dropped from 19 weeks to 15 weeks", "regional health board", 0.83)
    _suggest(ctx, hospital, "Nurses' representative Ines Varga said staff shortages remained the worst in a decade.",
             "Ines Varga", 0.64)
    return True


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {PASSWORD}):"]
    lines += [f"  {email:<20} {name} ({', '.join(roles)})" for email, name, roles in DEMO_USERS]
    return "\n".join(lines)
