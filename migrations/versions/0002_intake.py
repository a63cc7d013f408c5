"""Revisions remember how their text came in, and the page furniture set aside from it.

source_format / source_filename: pasted text or the uploaded file it was read from.
furniture: lines (image credits, related-headline lists, newsletter prompts) kept in the text but
set aside from claim suggestion, so the editor can see them and bring one back.

Revision ID: 0002_intake
Revises: ba9c8ca9fc02
Create Date: 2026-11-25 23:58:49
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002_intake'
down_revision = 'ba9c8ca9fc02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_format', sa.String(length=10), server_default='paste', nullable=False))
        batch_op.add_column(sa.Column('source_filename', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('furniture', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_column('furniture')
        batch_op.drop_column('source_filename')
        batch_op.drop_column('source_format')

