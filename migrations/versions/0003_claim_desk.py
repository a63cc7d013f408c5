"""The claim desk: notifications, evidence that is removed without being lost, two questions.

notifications: assignments, mentions and returned verdicts for a user, with a read mark.
evidence.question / claims.attribution_verdict: an attributed claim is checked twice, "was it
said?" and "is it accurate?"; each piece of evidence answers one of them.
evidence.credibility: the checker's rating of the source.
evidence.removed_*: removal is a mark, so the history keeps what was there.
Indexes for keyset paging of the claims list under its filters.

Revision ID: 0003_claim_desk
Revises: 0002_intake
Create Date: 2026-11-26 00:05:38
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_claim_desk'
down_revision = '0002_intake'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_notifications_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_notifications_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at', 'id'], unique=False)

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attribution_verdict', sa.String(length=30), nullable=True))
        batch_op.create_index('ix_claims_assignee_id_id', ['assignee_id', 'id'], unique=False)
        batch_op.create_index('ix_claims_due_date', ['due_date'], unique=False)
        batch_op.create_index('ix_claims_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_claims_verdict_id', ['verdict', 'id'], unique=False)

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question', sa.String(length=20), server_default='substance', nullable=False))
        batch_op.add_column(sa.Column('credibility', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('removed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('removal_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_evidence_removed_by_id_users'), 'users', ['removed_by_id'], ['id'])



def downgrade():
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evidence_removed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('removal_reason')
        batch_op.drop_column('removed_by_id')
        batch_op.drop_column('removed_at')
        batch_op.drop_column('credibility')
        batch_op.drop_column('question')

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_verdict_id')
        batch_op.drop_index('ix_claims_status_id')
        batch_op.drop_index('ix_claims_due_date')
        batch_op.drop_index('ix_claims_assignee_id_id')
        batch_op.drop_column('attribution_verdict')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_unread')

    op.drop_table('notifications')
