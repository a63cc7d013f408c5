"""Claims remember the editor who assigned them, who hears when the verdict waits for review.

Filled for existing claims from the actor of each claim's latest ``claim.assigned`` event.

Revision ID: 0014_assigned_by
Revises: 0013_perf_indexes
Create Date: 2026-11-26 23:30:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_assigned_by'
down_revision = '0013_perf_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_claims_assigned_by_id_users'), 'users', ['assigned_by_id'], ['id'],
                                    ondelete='SET NULL')
    op.execute(
        "UPDATE claims SET assigned_by_id = ("
        " SELECT e.actor_id FROM audit_events e"
        " WHERE e.object_type = 'claim' AND e.object_id = claims.id AND e.action = 'claim.assigned'"
        " ORDER BY e.id DESC LIMIT 1)"
        " WHERE assignee_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_claims_assigned_by_id_users'), type_='foreignkey')
        batch_op.drop_column('assigned_by_id')
