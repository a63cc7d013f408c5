"""The dashboard reads indexes, not the audit log (issue 15).

claims.first_assigned_at: when the claim first went to a checker (assigned, or taken from the pool);
filled here from each claim's earliest claim.assigned / claim.taken audit event, and from now on by
the assigning steps. The turnaround figure no longer joins the period's final claims with their
audit events.
Indexes for the dashboard's other figures: claims brought in during the period (created_at, with the
status it is counted by), verdicts and turnaround of the claims made final in the period (status,
finalized_at), the overdue claims (due_date, id, status replaces due_date alone: the list is read in
its order and the status filtered in the index), and each checker's open claims (status, assignee_id,
due_date: counted from the index alone; it replaces the index on status, which it begins with).

Revision ID: 0013_perf_indexes
Revises: 0012_idempotency_keys
Create Date: 2026-11-26 22:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_perf_indexes'
down_revision = '0012_idempotency_keys'
branch_labels = None
depends_on = None

ASSIGNING_ACTIONS = "('claim.assigned', 'claim.taken')"
FILL_FIRST_ASSIGNED = f"""
    UPDATE claims SET first_assigned_at = (
        SELECT min(audit_events.created_at) FROM audit_events
        WHERE audit_events.object_type = 'claim' AND audit_events.object_id = claims.id
          AND audit_events.action IN {ASSIGNING_ACTIONS})
    WHERE claims.id IN (SELECT audit_events.object_id FROM audit_events
                        WHERE audit_events.object_type = 'claim' AND audit_events.action IN {ASSIGNING_ACTIONS})
"""


def upgrade():
    with op.batch_alter_table('claims') as batch_op:
        batch_op.add_column(sa.Column('first_assigned_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(FILL_FIRST_ASSIGNED)
    op.create_index('ix_claims_created_at_status', 'claims', ['created_at', 'status'])
    op.create_index('ix_claims_status_finalized_at', 'claims', ['status', 'finalized_at'])
    op.drop_index('ix_claims_due_date', table_name='claims')
    op.create_index('ix_claims_due_date_id_status', 'claims', ['due_date', 'id', 'status'])
    op.drop_index('ix_claims_status', table_name='claims')
    op.create_index('ix_claims_status_assignee_due', 'claims', ['status', 'assignee_id', 'due_date'])


def downgrade():
    op.drop_index('ix_claims_status_assignee_due', table_name='claims')
    op.create_index('ix_claims_status', 'claims', ['status'])
    op.drop_index('ix_claims_due_date_id_status', table_name='claims')
    op.create_index('ix_claims_due_date', 'claims', ['due_date'])
    op.drop_index('ix_claims_status_finalized_at', table_name='claims')
    op.drop_index('ix_claims_created_at_status', table_name='claims')
    with op.batch_alter_table('claims') as batch_op:
        batch_op.drop_column('first_assigned_at')
