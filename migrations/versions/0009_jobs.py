"""Background jobs: imports, revisions, audit verification and exports run off the request path.

job_outputs: the files jobs make (exports), in chunks any app server can send.
jobs: one row per job, its parameters (an uploaded file in ``payload``), progress and outcome; the
queue (RQ on Redis, or a thread of the app process) carries only the id.

Revision ID: 0009_jobs
Revises: 0008_webhooks
Create Date: 2026-11-26 22:40:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_jobs'
down_revision = '0008_webhooks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('payload', sa.LargeBinary(), nullable=True),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('progress_message', sa.String(length=200), nullable=False),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('article_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jobs_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_jobs_article_id_articles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_created_by_id'), ['created_by_id'], unique=False)
    op.create_table(
        'job_outputs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_outputs_job_id_jobs'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_outputs')),
    )
    with op.batch_alter_table('job_outputs', schema=None) as batch_op:
        batch_op.create_index('ix_job_outputs_job_seq', ['job_id', 'seq'], unique=True)


def downgrade():
    with op.batch_alter_table('job_outputs', schema=None) as batch_op:
        batch_op.drop_index('ix_job_outputs_job_seq')
    op.drop_table('job_outputs')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_created_by_id'))
        batch_op.drop_index('ix_jobs_status_created')
    op.drop_table('jobs')
