"""Running counts for the dashboard, kept by triggers in the transaction of every write (issue 15).

The dashboard counted index ranges that grow with the newsroom: the period's claims by status, its
verdicts, the overdue claims, each checker's claims, the articles at the gate. ``running_counts``
holds those counts per day, status and checker; triggers on ``claims`` and ``articles`` move them
in the statement that changes a row, under that row's lock, so every way a claim is written (the
ORM, the bulk insert of suggestions, COPY, a cascade from a deleted article) keeps them exact, and
concurrent writers serialise on the count rows they share until they commit.

One key expression per kind serves the fill, the SQLite triggers and the PostgreSQL functions. An
update adds -1 for the old row's key and +1 for the new one, grouped: a key that did not change sums
to zero and is not written at all.

The statuses are the workflow's groups as they stand (factcheck/services/workflow.py): settled is
final and dismissed, a checker holds assigned, in progress and proposed claims.
tests/services/test_running_counts.py compares every count with a fresh COUNT(*) of the app's own
conditions, on both databases.

Revision ID: 0015_running_counts
Revises: 0014_assigned_by
Create Date: 2026-11-27 12:00:00
"""
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_running_counts'
down_revision = '0014_assigned_by'
branch_labels = None
depends_on = None

SETTLED = "('final', 'dismissed')"
WITH_CHECKER = "('assigned', 'in_progress', 'proposed')"


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    condition: str  # which rows are counted; {r} is the row (NEW, OLD, or the table's alias)
    day: dict[str, str]  # per dialect
    value: str
    user: str
    columns: tuple[str, ...]  # the columns the key and condition read (an update of others is no change)


def _utc_day(column: str) -> dict[str, str]:
    # SQLite keeps a UTC time as text ('2026-11-27 12:00:00.000000'); PostgreSQL as timestamptz.
    return {"sqlite": f"date({{r}}.{column})", "postgresql": f"({{r}}.{column} AT TIME ZONE 'UTC')::date"}


NO_DAY = {"sqlite": "'0001-01-01'", "postgresql": "DATE '0001-01-01'"}
SAME_DAY = {"sqlite": "{r}.due_date", "postgresql": "{r}.due_date"}

KINDS = (
    Kind("created", "claims", "TRUE", _utc_day("created_at"), "{r}.status", "0", ("status", "created_at")),
    Kind("final", "claims", "{r}.status = 'final' AND {r}.finalized_at IS NOT NULL", _utc_day("finalized_at"),
         "coalesce({r}.verdict, '')", "0", ("status", "finalized_at", "verdict")),
    Kind("due", "claims", f"{{r}}.status NOT IN {SETTLED} AND {{r}}.due_date IS NOT NULL", SAME_DAY, "''",
         f"CASE WHEN {{r}}.status IN {WITH_CHECKER} THEN coalesce({{r}}.assignee_id, 0) ELSE 0 END",
         ("status", "due_date", "assignee_id")),
    Kind("held", "claims", f"{{r}}.status IN {WITH_CHECKER} AND {{r}}.assignee_id IS NOT NULL", NO_DAY,
         "{r}.status", "{r}.assignee_id", ("status", "assignee_id")),
    Kind("article", "articles", "TRUE", NO_DAY, "{r}.status", "0", ("status",)),
)
TABLES = ("claims", "articles")
UPSERT = ("INSERT INTO running_counts (kind, day, value, user_id, n) {rows} "
          "ON CONFLICT (kind, day, value, user_id) DO UPDATE SET n = running_counts.n + excluded.n")


def _keys(dialect: str, table: str, row: str, sign: int, source: str = "") -> list[str]:
    """One SELECT per kind of ``table``: (kind, day, value, user_id, n) of ``row`` where it counts."""
    return [f"SELECT '{k.name}' AS kind, {k.day[dialect].format(r=row)} AS day, {k.value.format(r=row)} AS value, "
            f"{k.user.format(r=row)} AS user_id, {sign} AS n{source} WHERE {k.condition.format(r=row)}"
            for k in KINDS if k.table == table]


def _summed(selects: list[str]) -> str:
    # Grouped and ordered: an unchanged key nets to zero and is skipped; the count rows are locked
    # in one order by every writer. (The WHERE tells SQLite the ON CONFLICT is the upsert's.)
    return (f"SELECT kind, day, value, user_id, sum(n) FROM ({' UNION ALL '.join(selects)}) AS changes "
            "WHERE TRUE GROUP BY kind, day, value, user_id HAVING sum(n) <> 0 ORDER BY kind, day, value, user_id")


def _columns(table: str) -> list[str]:
    return sorted({c for k in KINDS if k.table == table for c in k.columns})


def _changed(table: str) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _columns(table))


def create_sqlite_triggers() -> None:
    for table in TABLES:
        inserted = UPSERT.format(rows=_summed(_keys("sqlite", table, "NEW", 1)))
        deleted = UPSERT.format(rows=_summed(_keys("sqlite", table, "OLD", -1)))
        updated = UPSERT.format(rows=_summed(_keys("sqlite", table, "OLD", -1) + _keys("sqlite", table, "NEW", 1)))
        changed = _changed(table).replace("IS DISTINCT FROM", "IS NOT")
        op.execute(f"CREATE TRIGGER running_counts_{table}_insert AFTER INSERT ON {table} BEGIN {inserted}; END")
        op.execute(f"CREATE TRIGGER running_counts_{table}_delete AFTER DELETE ON {table} BEGIN {deleted}; END")
        op.execute(f"CREATE TRIGGER running_counts_{table}_update AFTER UPDATE OF {', '.join(_columns(table))} "
                   f"ON {table} WHEN {changed} BEGIN {updated}; END")


def create_postgresql_triggers() -> None:
    for table in TABLES:
        # Inserts and deletes once per statement, over its rows (an import's thousands of claims are
        # one grouped upsert); an update once per changed row, where the trigger's WHEN lets the
        # updates of other columns (text, version, notes' times) through without calling it.
        for op_name, rows, sign in (("insert", "new_rows", 1), ("delete", "old_rows", -1)):
            body = UPSERT.format(rows=_summed(_keys("postgresql", table, "r", sign, f" FROM {rows} AS r")))
            op.execute(f"CREATE FUNCTION running_counts_{table}_{op_name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {body}; RETURN NULL; END $$")
            transition = "NEW TABLE AS new_rows" if op_name == "insert" else "OLD TABLE AS old_rows"
            op.execute(f"CREATE TRIGGER running_counts_{table}_{op_name} AFTER {op_name.upper()} ON {table} "
                       f"REFERENCING {transition} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION running_counts_{table}_{op_name}()")
        body = UPSERT.format(rows=_summed(_keys("postgresql", table, "OLD", -1) + _keys("postgresql", table, "NEW", 1)))
        op.execute(f"CREATE FUNCTION running_counts_{table}_update() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN {body}; RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER running_counts_{table}_update AFTER UPDATE OF {', '.join(_columns(table))} "
                   f"ON {table} FOR EACH ROW WHEN ({_changed(table)}) "
                   f"EXECUTE FUNCTION running_counts_{table}_update()")


def fill(dialect: str) -> None:
    """The counts of the rows already there."""
    for table in TABLES:
        selects = _keys(dialect, table, "r", 1, f" FROM {table} AS r")
        op.execute(UPSERT.format(rows=_summed(selects)))


def upgrade():
    op.create_table('running_counts',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'day', 'value', 'user_id', name=op.f('pk_running_counts')),
    sqlite_with_rowid=False,
    )
    dialect = op.get_bind().dialect.name
    fill(dialect)
    if dialect == "postgresql":
        create_postgresql_triggers()
    else:
        create_sqlite_triggers()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            for op_name in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS running_counts_{table}_{op_name} ON {table}")
                op.execute(f"DROP FUNCTION IF EXISTS running_counts_{table}_{op_name}()")
    else:
        for table in TABLES:
            for op_name in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS running_counts_{table}_{op_name}")
    op.drop_table('running_counts')
