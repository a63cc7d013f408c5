"""The migrations are the only way the schema changes: they must build exactly the models' schema."""
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import exc, inspect, text

from factcheck.extensions import db
from factcheck.models.claim import PRIORITY_RANK_SQL

# Rules the schema keeps in triggers, which autogenerate does not compare: the audit log accepts
# appends only, and the dashboard's running counts move with every write to claims and articles.
# SQLite's batch_alter_table rebuilds a table without its triggers, so a later migration could drop
# them without a word; this names them.
RUNNING_COUNTS = {f"running_counts_{table}_{change}" for table in ("articles", "claims")
                  for change in ("insert", "delete", "update")}
TRIGGERS = {
    "sqlite": {"audit_events_no_delete", "audit_events_no_update", *RUNNING_COUNTS},
    "postgresql": {"audit_events_append_only", "audit_events_no_truncate", *RUNNING_COUNTS},
}


def _triggers() -> set[str]:
    statement = {"sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
                 # The schema the tests run in: one database holds a schema per test process.
                 "postgresql": "SELECT tgname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                               "WHERE NOT tgisinternal AND pg_class.relnamespace = current_schema()::regnamespace",
                 }[db.engine.dialect.name]
    with db.engine.connect() as connection:
        return set(connection.scalars(text(statement)))


# Indexes over expressions (my queue's order): SQLite's reflection skips them and PostgreSQL gives
# them back in its own spelling ('urgent'::text, new lines), so autogenerate cannot compare them; the
# test below compares them by name and each one's SQL as the database keeps it.
EXPRESSION_INDEXES = {"ix_claims_queue_order"}


def _not_an_expression_index(obj, name, type_, reflected, compare_to):
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def test_migrated_database_matches_the_models(app):
    with db.engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index",
                                exc.SAWarning)
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index",
                                UserWarning)
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_object": _not_an_expression_index})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_expression_indexes_are_built_as_the_models_write_them(app):
    statement = {
        "sqlite": "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
        "postgresql": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()",
    }[db.engine.dialect.name]
    with db.engine.connect() as connection:
        # Without PostgreSQL's casts and line breaks: the expressions as the models write them.
        built = {name: " ".join(sql.replace("::text", "").replace("::character varying", "").split())
                 .replace("( ", "(").replace(" )", ")") for name, sql in connection.execute(text(statement))}
    queue = built["ix_claims_queue_order"]
    assert f"({PRIORITY_RANK_SQL})" in queue and "(due_date IS NULL)" in queue
    assert "WHERE" in queue and "'assigned'" in queue and "'in_progress'" in queue


def test_downgrade_to_base_and_back(app):
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert _triggers() == set()
    upgrade()
    assert "audit_events" in inspect(db.engine).get_table_names()
    assert _triggers() == TRIGGERS[db.engine.dialect.name]


def test_the_schema_keeps_its_triggers(app):
    assert _triggers() == TRIGGERS[db.engine.dialect.name]
