"""Idempotency keys: form submissions already carried out, so a retry never does them twice.

idempotency_keys: one row per (user, key) for each form submission that changed something, written
in the transaction of the change: the key (a hash of the form's key and what was sent), when, and
where the answer sent the person. A user's rows older than a week go as their new ones are written.

Revision ID: 0012_idempotency_keys
Revises: 0011_desk
Create Date: 2026-11-27 10:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_idempotency_keys'
down_revision = '0011_desk'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idempotency_keys',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'key', name=op.f('pk_idempotency_keys'))
    )


def downgrade():
    op.drop_table('idempotency_keys')
