"""A newsroom's worth of data, fast: SQLAlchemy Core bulk inserts (COPY on PostgreSQL) into the real
migrated schema.

At scale 1: 50 users, 5,000 articles (one revision each), 100,000 claims (20 per article, in every
state), 300,000 evidence, 200,000 notes and 1,000,000 audit events forming a *valid* keyed chain
(bench/chain.py: numbered, linked, HMAC-SHA256 with the bench's audit key), which the audit log, the claim histories and the dashboard's turnaround read.
Every count but the users' scales linearly with ``scale``.

Time runs over the year before the fill, in event order: event ``k`` of ``E`` happens at
``start + k/E * 365 days``, so ids and times rise together (the audit log's date filters rely on
that) and the last 30 days, the dashboard's default period, hold 30/365 of everything.

No factcheck.services function is called: the services are being refactored.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from bench.chain import Chain, check_against_app
from factcheck import canonical_json

PASSWORD = "bench password"
FULL = {"articles": 5_000, "claims": 100_000, "events": 1_000_000}
EVIDENCE_PER_CLAIM = 3
NOTES_PER_CLAIM = 2
WINDOW = timedelta(days=365)
CHUNK_ARTICLES = 250  # claims, evidence, notes and events are generated and inserted this many articles at a time

# Users: 1 admin, 6 editors, 4 managers, 39 checkers = 50.
EDITORS = 6
MANAGERS = 4
CHECKERS = 39

# A claim's status by (7 * id) % 20: 40 % final, 10 % proposed, 15 % in progress, 15 % assigned,
# 10 % open, 5 % suggested, 5 % dismissed.
STATUS_CYCLE = (["final"] * 8 + ["proposed"] * 2 + ["in_progress"] * 3 + ["assigned"] * 3 + ["open"] * 2
                + ["suggested", "dismissed"])
ARTICLE_STATUS_CYCLE = ["draft"] + ["in_check"] * 10 + ["ready"] * 3 + ["approved"] * 3 + ["published"] * 3
VERDICTS = ["verified", "mostly accurate", "misleading", "disputed", "false", "unverifiable"]
NEEDS_RESOLUTION = {"misleading", "disputed", "false"}
PRIORITIES = ["normal", "normal", "high", "low", "urgent"]
STANCES = ["supports", "refutes", "context"]
SOURCE_TYPES = ["primary document", "official statement", "news agency", "expert", "dataset", "social media"]
ASSIGNED_OR_LATER = {"assigned", "in_progress", "proposed", "final"}
STARTED_OR_LATER = {"in_progress", "proposed", "final"}


@dataclass(frozen=True)
class Sizes:
    articles: int
    claims: int
    events: int
    users: int = 1 + EDITORS + MANAGERS + CHECKERS

    @classmethod
    def at(cls, scale: float) -> Sizes:
        articles = max(4, round(FULL["articles"] * scale))
        claims = max(articles, round(FULL["claims"] * scale))
        return cls(articles, claims, max(claims, round(FULL["events"] * scale)))

    @property
    def evidence(self) -> int:
        return self.claims * EVIDENCE_PER_CLAIM

    @property
    def notes(self) -> int:
        return self.claims * NOTES_PER_CLAIM


@dataclass
class Dataset:
    """What the benches need to know about the data they measure."""
    url: str
    sizes: Sizes
    start: datetime
    end: datetime
    events: int = 0  # as inserted (the target, or more when the claims' own events need more)
    seconds: float = 0.0
    admin: str = "admin@bench.test"
    editors: list[str] = field(default_factory=list)
    managers: list[str] = field(default_factory=list)
    checkers: list[str] = field(default_factory=list)
    checker_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def claim_status(self, claim_id: int) -> str:
        return STATUS_CYCLE[(7 * claim_id) % len(STATUS_CYCLE)]

    def assignee(self, claim_id: int) -> int:
        return self.checker_ids[(claim_id * 11) % len(self.checker_ids)]

    def claims_of_article(self, article_id: int) -> range:
        return range(_first_claim(article_id, self.sizes), _first_claim(article_id + 1, self.sizes))

    def sample_claim(self, status: str = "final", near: float = 0.5) -> int:
        """A claim in ``status`` about ``near`` of the way through the ids."""
        claim_id = max(1, int(self.sizes.claims * near))
        while self.claim_status(claim_id) != status:
            claim_id += 1
        return claim_id

    def claims_of_checker(self, user_id: int, statuses: set[str]) -> list[int]:
        return [c for c in range(1, self.sizes.claims + 1)
                if self.claim_status(c) in statuses and self.assignee(c) == user_id]


def _first_claim(article_id: int, sizes: Sizes) -> int:
    """Claims are spread evenly: article a holds ids [first(a), first(a + 1))."""
    return (article_id - 1) * sizes.claims // sizes.articles + 1


# ---- the schema -------------------------------------------------------------------------------------

def reset_database(url: str) -> None:
    """An empty database at ``url`` (a fresh SQLite file, or PostgreSQL's public schema dropped)."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            from pathlib import Path

            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


# ---- the rows ---------------------------------------------------------------------------------------

def _users(password_hash: str, now: datetime) -> tuple[list[dict], list[dict], Dataset]:
    people = [("admin@bench.test", "Admin", "admin")]
    people += [(f"editor{n}@bench.test", f"Editor {n}", "editor") for n in range(1, EDITORS + 1)]
    people += [(f"manager{n}@bench.test", f"Manager {n}", "manager") for n in range(1, MANAGERS + 1)]
    people += [(f"checker{n}@bench.test", f"Checker {n:02d}", "checker") for n in range(1, CHECKERS + 1)]
    users, roles = [], []
    for user_id, (email, name, role) in enumerate(people, start=1):
        users.append({"id": user_id, "email": email, "display_name": name, "password_hash": password_hash,
                      "is_active_account": True, "created_at": now, "updated_at": now})
        roles.append({"user_id": user_id, "role": role})
    info = Dataset(url="", sizes=Sizes(0, 0, 0), start=now, end=now)
    info.editors = [p[0] for p in people if p[2] == "editor"]
    info.managers = [p[0] for p in people if p[2] == "manager"]
    info.checkers = [p[0] for p in people if p[2] == "checker"]
    info.checker_ids = [i for i, p in enumerate(people, start=1) if p[2] == "checker"]
    return users, roles, info


def _sentence(article_id: int, n: int) -> str:
    return (f"Official {n} of report {article_id} said the district counted {1000 + 37 * n} new homes "
            f"in {1990 + n % 30}")


def _article_text(article_id: int, claims: range) -> tuple[str, list[tuple[int, int, str]]]:
    """The text and, per claim, (start, end, quote)."""
    parts = [f"Report {article_id}: housing in the district\n\n"]
    anchors = []
    position = len(parts[0])
    for n, _claim_id in enumerate(claims):
        quote = _sentence(article_id, n)
        anchors.append((position, position + len(quote), quote))
        piece = quote + ". Residents were not asked about it, the council's minutes show.\n"
        parts.append(piece)
        position += len(piece)
    return "".join(parts), anchors


class _Clock:
    """Event k's time; the filler spreads the events not tied to a claim evenly between them."""

    def __init__(self, start: datetime, total: int) -> None:
        self.start = start
        self.step = WINDOW / max(total, 1)
        self.k = 0

    def tick(self) -> datetime:
        self.k += 1
        return self.start + self.step * self.k


def _lifecycle_events(status: str) -> int:
    count = 1 + EVIDENCE_PER_CLAIM + NOTES_PER_CLAIM
    count += status in ASSIGNED_OR_LATER
    count += status in STARTED_OR_LATER
    count += status in {"proposed", "final"}
    count += status in {"final", "dismissed"}
    return count


class Generator:
    def __init__(self, sizes: Sizes, info: Dataset, end: datetime) -> None:
        self.sizes = sizes
        self.info = info
        self.end = end
        lifecycle = sum(_lifecycle_events(info.claim_status(c)) for c in range(1, sizes.claims + 1))
        self.filler = max(0, sizes.events - lifecycle)
        self.total_events = lifecycle + self.filler
        self.clock = _Clock(end - WINDOW, self.total_events)
        self.filler_acc = 0
        self.chain = Chain()
        self.event_id = 0
        self.today = end.date()

    # One event of the chain.
    def event(self, rows: list[dict], *, actor_id: int | None, actor: str, action: str, object_type: str,
              object_id: int | None, article_id: int | None, changes: dict[str, Any]) -> datetime:
        self.event_id += 1
        when = self.clock.tick()
        row = {"id": self.event_id, "created_at": when, "actor_id": actor_id, "actor_label": actor, "action": action,
               "object_type": object_type, "object_id": object_id, "article_id": article_id, "changes": changes,
               "request_id": f"{self.event_id:032x}", "ip_address": "203.0.113.7"}
        self.chain.link(row)
        rows.append(row)
        return when

    def filler_events(self, rows: list[dict]) -> None:
        self.filler_acc += self.filler
        count, self.filler_acc = divmod(self.filler_acc, self.sizes.claims)
        for _ in range(count):
            user_id = 1 + (self.event_id * 13) % self.sizes.users
            self.event(rows, actor_id=user_id, actor=self.email(user_id), action="auth.login", object_type="user",
                       object_id=user_id, article_id=None, changes={})

    def email(self, user_id: int) -> str:
        if user_id == 1:
            return self.info.admin
        if user_id <= 1 + EDITORS:
            return self.info.editors[user_id - 2]
        if user_id <= 1 + EDITORS + MANAGERS:
            return self.info.managers[user_id - 2 - EDITORS]
        return self.info.checkers[user_id - 2 - EDITORS - MANAGERS]

    def chunk(self, first_article: int, last_article: int) -> dict[str, list[dict]]:
        """Articles [first, last] with their revisions, claims, evidence, notes and events, in time order."""
        out: dict[str, list[dict]] = {"articles": [], "revisions": [], "claims": [], "evidence": [], "notes": [],
                                      "audit_events": []}
        events = out["audit_events"]
        for article_id in range(first_article, last_article + 1):
            claim_ids = self.info.claims_of_article(article_id)
            editor_id = 2 + article_id % EDITORS
            editor = self.email(editor_id)
            text, anchors = _article_text(article_id, claim_ids)
            created = self.event(events, actor_id=editor_id, actor=editor, action="article.created",
                                 object_type="article", object_id=article_id, article_id=article_id,
                                 changes={"title": {"before": None, "after": f"Report {article_id}"}})
            status = ARTICLE_STATUS_CYCLE[article_id % len(ARTICLE_STATUS_CYCLE)]
            out["articles"].append({
                "id": article_id, "title": f"Report {article_id}: housing in the district", "outlet": "Benchwire",
                "byline": "Bench Reporter", "language": "en", "source_url": f"https://example.org/{article_id}",
                "status": status, "current_revision_id": None, "created_by_id": editor_id,
                "approved_by_id": editor_id if status in ("approved", "published") else None,
                "approved_at": created if status in ("approved", "published") else None,
                "published_at": created if status == "published" else None,
                "created_at": created, "updated_at": created,
            })
            out["revisions"].append({
                "id": article_id, "article_id": article_id, "number": 1, "text": text,
                "sha256": hashlib.sha256(text.encode()).hexdigest(), "source_format": "paste", "source_filename": None,
                "furniture": [], "created_by_id": editor_id, "created_at": created,
            })
            for claim_id, (start, end, quote) in zip(claim_ids, anchors, strict=True):
                self.claim(out, claim_id, article_id, editor_id, editor, start, end, quote, text)
        return out

    def claim(self, out: dict[str, list[dict]], claim_id: int, article_id: int, editor_id: int, editor: str,
              start: int, end: int, quote: str, text: str) -> None:
        events = out["audit_events"]
        status = self.info.claim_status(claim_id)
        checker_id = self.info.assignee(claim_id)
        checker = self.email(checker_id)
        attributed = claim_id % 2 == 0
        created = self.event(events, actor_id=editor_id, actor=editor,
                             action="claim.suggested" if status == "suggested" else "claim.created",
                             object_type="claim", object_id=claim_id, article_id=article_id,
                             changes={"quote": {"before": None, "after": quote},
                                      "status": {"before": None, "after": "suggested" if status == "suggested" else "open"}})
        due = self.today + timedelta(days=(claim_id % 15) - 5)
        row: dict[str, Any] = {
            "id": claim_id, "article_id": article_id, "revision_id": article_id, "quote": quote,
            "prefix": text[max(0, start - 32):start], "suffix": text[end:end + 32], "start": start, "end": end,
            "statement": quote, "claimant": f"Official {claim_id % 20}" if attributed else None, "via": [],
            "kind": "statistic", "score": 0.5 + (claim_id % 50) / 100, "status": status,
            "priority": PRIORITIES[claim_id % len(PRIORITIES)], "due_date": None, "assignee_id": None,
            "dismiss_reason": None, "verdict": None, "rationale": None, "proposed_by_id": None, "proposed_at": None,
            "reviewed_by_id": None, "finalized_at": None, "resolution": None, "resolution_note": None,
            "text_changed": False, "attribution_verdict": None, "version": 1, "created_at": created,
            "updated_at": created,
        }
        if status in ASSIGNED_OR_LATER:
            row.update(assignee_id=checker_id, due_date=due)
            row["updated_at"] = self.event(
                events, actor_id=editor_id, actor=editor, action="claim.assigned", object_type="claim",
                object_id=claim_id, article_id=article_id,
                changes={"status": {"before": "open", "after": "assigned"},
                         "assignee_id": {"before": None, "after": checker_id},
                         "due_date": {"before": None, "after": due.isoformat()}})
        if status in STARTED_OR_LATER:
            row["updated_at"] = self.event(
                events, actor_id=checker_id, actor=checker, action="claim.started", object_type="claim",
                object_id=claim_id, article_id=article_id, changes={"status": {"before": "assigned", "after": "in_progress"}})
        worker_id, worker = (checker_id, checker) if status in ASSIGNED_OR_LATER else (editor_id, editor)
        for n in range(EVIDENCE_PER_CLAIM):
            evidence_id = (claim_id - 1) * EVIDENCE_PER_CLAIM + n + 1
            url = f"https://stats.example.org/housing/{claim_id}/{n}"
            when = self.event(events, actor_id=worker_id, actor=worker, action="evidence.added", object_type="evidence",
                              object_id=evidence_id, article_id=article_id,
                              changes={"claim_id": {"before": None, "after": claim_id}, "url": {"before": None, "after": url},
                                       "stance": {"before": None, "after": STANCES[n % 3]}})
            out["evidence"].append({
                "id": evidence_id, "claim_id": claim_id, "url": url, "title": f"Housing statistics {claim_id}-{n}",
                "publisher": "Statistics Office", "published_on": date(2024, 1 + n, 15),
                "excerpt": "New dwellings completed, by district and year; provisional figures.",
                "source_type": SOURCE_TYPES[(claim_id + n) % len(SOURCE_TYPES)], "stance": STANCES[n % 3],
                "question": "attribution" if attributed and n == 0 else "substance",
                "credibility": "credible", "added_by_id": worker_id, "removed_at": None, "removed_by_id": None,
                "removal_reason": None, "created_at": when, "updated_at": when,
            })
        for n in range(NOTES_PER_CLAIM):
            note_id = (claim_id - 1) * NOTES_PER_CLAIM + n + 1
            body = (f"Called the statistics office about figure {claim_id}; **provisional** until March. "
                    f"See table {n + 2}.")
            when = self.event(events, actor_id=worker_id, actor=worker, action="note.added", object_type="note",
                              object_id=note_id, article_id=article_id,
                              changes={"claim_id": {"before": None, "after": claim_id}, "body": {"before": None, "after": body}})
            out["notes"].append({"id": note_id, "claim_id": claim_id, "author_id": worker_id, "body": body,
                                 "created_at": when, "updated_at": when})
        verdict = VERDICTS[claim_id % len(VERDICTS)]
        if status in ("proposed", "final"):
            when = self.event(events, actor_id=checker_id, actor=checker, action="verdict.proposed", object_type="claim",
                              object_id=claim_id, article_id=article_id,
                              changes={"status": {"before": "in_progress", "after": "proposed"},
                                       "verdict": {"before": None, "after": verdict}})
            row.update(verdict=verdict, rationale="The office's provisional table gives the same figure.",
                       proposed_by_id=checker_id, proposed_at=when, updated_at=when,
                       attribution_verdict="confirmed" if attributed else None)
        if status == "final":
            reviewer_id = 2 + (article_id + 1) % EDITORS
            when = self.event(events, actor_id=reviewer_id, actor=self.email(reviewer_id), action="verdict.accepted",
                              object_type="claim", object_id=claim_id, article_id=article_id,
                              changes={"status": {"before": "proposed", "after": "final"}})
            row.update(reviewed_by_id=reviewer_id, finalized_at=when, updated_at=when,
                       resolution="corrected" if verdict in NEEDS_RESOLUTION else None)
        if status == "dismissed":
            row["updated_at"] = self.event(
                events, actor_id=editor_id, actor=editor, action="claim.dismissed", object_type="claim",
                object_id=claim_id, article_id=article_id,
                changes={"status": {"before": "open", "after": "dismissed"}})
            row["dismiss_reason"] = "Not a factual claim."
        out["claims"].append(row)
        self.filler_events(events)


def _insert(connection, table: sa.Table, rows: list[dict], batch: int = 5_000) -> None:
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
        return
    for start in range(0, len(rows), batch):
        connection.execute(table.insert(), rows[start:start + batch])


def _copy(connection, table: sa.Table, rows: list[dict]) -> None:
    """PostgreSQL: COPY … FROM STDIN through psycopg, in the connection's transaction (several times
    faster than INSERTs). JSON columns go as their text, in the form the app's engine writes them."""
    columns = list(rows[0])
    json_columns = {name for name in columns if isinstance(table.c[name].type, sa.JSON)}
    names = ", ".join(f'"{name}"' for name in columns)
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([canonical_json.dumps(row[name]) if name in json_columns else row[name] for name in columns])


def generate(app, scale: float, *, log=print) -> Dataset:
    """Fill the (migrated, empty) database of ``app`` at ``scale``; returns what the benches need."""
    from factcheck.extensions import db
    from factcheck.models import Base

    started = time.perf_counter()
    sizes = Sizes.at(scale)
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    users, roles, info = _users(generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"), end - WINDOW)
    info.sizes, info.start, info.end = sizes, end - WINDOW, end
    generator = Generator(sizes, info, end)
    tables = Base.metadata.tables
    sample = {"created_at": end, "actor_id": 1, "actor_label": "x", "action": "a", "object_type": "claim",
              "object_id": 1, "article_id": None, "changes": {"k": {"before": None, "after": "é"}},
              "request_id": None, "ip_address": None}
    warning = check_against_app(sample)
    if warning:
        info.warnings.append(warning)
        log(f"warning: {warning}")
    with app.app_context():
        engine = db.engine
        info.url = engine.url.render_as_string(hide_password=False)
        with engine.begin() as connection:
            _insert(connection, tables["users"], users)
            _insert(connection, tables["user_roles"], roles)
        for first in range(1, sizes.articles + 1, CHUNK_ARTICLES):
            rows = generator.chunk(first, min(first + CHUNK_ARTICLES - 1, sizes.articles))
            with engine.begin() as connection:
                for name in ("articles", "revisions", "claims", "evidence", "notes", "audit_events"):
                    _insert(connection, tables[name], rows[name])
        with engine.begin() as connection:
            articles = tables["articles"]
            connection.execute(sa.update(articles).values(current_revision_id=articles.c.id))
            if engine.dialect.name == "postgresql":
                # Explicit ids bypass the sequences; move them past the data. Then fresh statistics, as
                # autovacuum would have them on a database that grew to this size.
                for name in ("users", "articles", "revisions", "claims", "evidence", "notes", "audit_events"):
                    connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                               f"(SELECT max(id) FROM {name}))"))
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(sa.text("VACUUM ANALYZE"))
        engine.dispose()
    info.events = generator.event_id
    info.seconds = time.perf_counter() - started
    log(f"filled {sizes.articles:,} articles, {sizes.claims:,} claims, {sizes.evidence:,} evidence, "
        f"{sizes.notes:,} notes, {info.events:,} audit events in {info.seconds:.1f} s")
    return info
