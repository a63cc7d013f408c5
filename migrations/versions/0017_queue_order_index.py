"""My queue's page read in its order from an index (issue 15).

My queue shows a checker's to-do claims by due date (undated last), then priority, then id, 50 to a
page. No index held that order, so PostgreSQL fetched every claim of the queue from the table and
sorted them to keep 50: at the full fill's 16x the bench's checker has 770 claims waiting, and the
page grew from 2.3 to 4.4 ms between 1x and 16x. A partial index over the to-do statuses in the
page's very order (the priority's rank written as the same literal CASE the statement writes) gives
the page's 50 rows in order (PostgreSQL, 16x full fill: the statement 25 ms cold / the sort of 770
rows, against 50 rows read through the index, 1.1 ms cold).

Revision ID: 0017_queue_order_index
Revises: 0016_articles_list_index
Create Date: 2026-11-28 04:15:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_queue_order_index'
down_revision = '0016_articles_list_index'
branch_labels = None
depends_on = None

# As factcheck/models/claim.py writes them at this revision (a migration does not follow later edits).
_RANK = ("CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 WHEN 'low' THEN 3 "
         "ELSE 9 END")
_TO_DO = "status IN ('assigned', 'in_progress')"


def upgrade():
    op.create_index('ix_claims_queue_order', 'claims',
                    ['assignee_id', sa.text('(due_date IS NULL)'), 'due_date', sa.text(f'({_RANK})'), 'id'],
                    postgresql_where=sa.text(_TO_DO), sqlite_where=sa.text(_TO_DO))


def downgrade():
    op.drop_index('ix_claims_queue_order', table_name='claims')
