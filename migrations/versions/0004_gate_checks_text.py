"""The gate checks the text: corrections name their revision, claims keep the words they replaced.

claims.resolution_revision_id: a "corrected" resolution names the revision whose text no longer
holds the rated passage.
claims.changed_from: the passage as it stood before a revision changed it, so the desk sees what
the verdict was about.
articles.published_url: where the article was published; ClaimReview's appearance.

Revision ID: 0004_gate_checks_text
Revises: 0003_claim_desk
Create Date: 2026-11-26 19:45:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_gate_checks_text'
down_revision = '0003_claim_desk'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolution_revision_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('changed_from', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_claims_resolution_revision_id_revisions'), 'revisions',
                                    ['resolution_revision_id'], ['id'])
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_url', sa.String(length=2000), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('published_url')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_claims_resolution_revision_id_revisions'), type_='foreignkey')
        batch_op.drop_column('changed_from')
        batch_op.drop_column('resolution_revision_id')
