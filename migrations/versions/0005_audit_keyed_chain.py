"""A keyed audit chain with positions, and no TRUNCATE.

audit_events.hash_alg: how the event's hash was made; 'sha256' (unkeyed) for every event written
before this migration, 'hmac-sha256' (keyed with FACTCHECK_AUDIT_KEY) for every event after.
audit_events.seq: the event's position in the chain (1, 2, 3, …), unique; existing events are
numbered in id order, with the append-only triggers set aside for that one UPDATE.
PostgreSQL: a statement-level trigger refuses TRUNCATE (the row triggers never saw it).

Revision ID: 0005_audit_keyed_chain
Revises: 0004_gate_checks_text
Create Date: 2026-11-26 20:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_audit_keyed_chain'
down_revision = '0004_gate_checks_text'
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "audit_events is append-only"
NUMBER_EVENTS = """
    UPDATE audit_events SET seq = numbered.position
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS position FROM audit_events) AS numbered
    WHERE numbered.id = audit_events.id
"""


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column('audit_events', sa.Column('hash_alg', sa.String(length=20), server_default='sha256', nullable=False))
    op.add_column('audit_events', sa.Column('seq', sa.BigInteger(), nullable=True))
    if postgresql:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        op.execute(NUMBER_EVENTS)
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
        op.execute(f"""
            CREATE FUNCTION audit_events_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$
        """)
        op.execute("""
            CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_no_truncate()
        """)
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute(NUMBER_EVENTS)
        op.execute(f"""
            CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
            BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END
        """)
    op.create_index('uq_audit_events_seq', 'audit_events', ['seq'], unique=True)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_no_truncate()")
    op.drop_index('uq_audit_events_seq', table_name='audit_events')
    op.drop_column('audit_events', 'seq')
    op.drop_column('audit_events', 'hash_alg')
