"""The desk's conversation and reminders: threaded notes, who has a claim open, due-date reminders.

notes.parent_id: a reply names the note that opened its thread (one level deep).
claim_presence: who has a claim open in a page where they can change it, refreshed by their
browser's heartbeat; one row per claim and person (shown while recent, never audited).
due_reminders: the "due tomorrow" and "overdue" reminders already sent, one per claim, kind and
due date, so running the reminder command again sends nothing twice.

Revision ID: 0011_desk
Revises: 0010_email
Create Date: 2026-11-27 10:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_desk'
down_revision = '0010_email'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notes_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notes_parent_id_notes'), 'notes', ['parent_id'], ['id'],
                                    ondelete='CASCADE')

    op.create_table('claim_presence',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_presence_claim_id_claims'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_claim_presence_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'user_id', name=op.f('pk_claim_presence'))
    )
    op.create_table('due_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_due_reminders_claim_id_claims'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_due_reminders')),
    sa.UniqueConstraint('claim_id', 'kind', 'due_date', name=op.f('uq_due_reminders_claim_id'))
    )


def downgrade():
    op.drop_table('due_reminders')
    op.drop_table('claim_presence')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notes_parent_id_notes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notes_parent_id'))
        batch_op.drop_column('parent_id')
