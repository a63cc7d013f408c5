"""The migrations are the only way the schema changes: they must build exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from factcheck.extensions import db

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


def test_migrated_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_and_back(app):
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert _triggers() == set()
    upgrade()
    assert "audit_events" in inspect(db.engine).get_table_names()
    assert _triggers() == TRIGGERS[db.engine.dialect.name]


def test_the_schema_keeps_its_triggers(app):
    assert _triggers() == TRIGGERS[db.engine.dialect.name]
