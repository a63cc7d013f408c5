"""My queue's page is read in its order from ``ix_claims_queue_order`` (issue 15): the statement must
write the order exactly as the index does (a priority's rank as literals, not bound parameters), or
every claim of the queue is fetched and sorted to keep a page of them."""
from datetime import date, timedelta

from factcheck.extensions import db
from factcheck.models import Priority
from factcheck.models.claim import PRIORITY_RANK_SQL
from factcheck.services import claim_queries


def _plan(user_id: int) -> str:
    compiled = claim_queries._MY_QUEUE.compile(db.engine)
    params = compiled.construct_params({"user_id": user_id, "limit": 50, "offset": 0})
    arguments = tuple(params[name] for name in compiled.positiontup) if compiled.positiontup else params
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            # The planner would scan a table this small whole; with scans off it shows whether the
            # index can give the page's order at all, which is what a large queue needs.
            connection.exec_driver_sql("SET enable_seqscan = off")
            connection.exec_driver_sql("SET enable_bitmapscan = off")
            rows = [row[0] for row in connection.exec_driver_sql("EXPLAIN " + compiled.string, arguments)]
        else:
            rows = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string, arguments)]
        connection.rollback()
    return "\n".join(rows)


def test_my_queue_reads_its_page_in_the_index_order(app, make):
    checker = make.user("checker")
    today = date(2026, 11, 28)
    for day, priority in ((3, Priority.LOW), (1, Priority.URGENT), (None, Priority.HIGH), (1, Priority.LOW)):
        claim = make.assigned_claim(checker, due_date=today + timedelta(days=day) if day is not None else None)
        claim.priority = priority
    db.session.commit()
    # Written as the index writes it (a bound parameter per priority would match the index only in a
    # plan made for those values, not in the generic plan PostgreSQL keeps for a prepared statement).
    written = " ".join(claim_queries._MY_QUEUE.compile(db.engine).string.split())
    assert PRIORITY_RANK_SQL.replace("CASE priority", "CASE claims.priority") in written
    plan = _plan(checker.id)
    assert "ix_claims_queue_order" in plan, plan
    if db.engine.dialect.name == "postgresql":
        assert "Sort" not in plan.split("InitPlan")[0] and "Sort Key" not in plan, plan
    else:
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
    # The order the index gives is the queue's: due date (undated last), then priority, then id.
    queue = claim_queries.my_queue(db.session, checker, limit=50)
    assert [(row.due_date, row.priority) for row in queue.claims] == [
        (today + timedelta(days=1), "urgent"), (today + timedelta(days=1), "low"),
        (today + timedelta(days=3), "low"), (None, "high")]
