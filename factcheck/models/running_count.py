from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from factcheck.models.base import Base

# The day of a count that has none (a checker's claims in hand, the articles by status).
NO_DAY = date(1, 1, 1)
# The user of a count that has none (a claim nobody holds, a day's total).
NO_USER = 0


class RunningCount(Base):
    """Claims and articles counted as they are written, so the dashboard reads a few rows per day,
    status and checker instead of index ranges that grow with the newsroom (issue 15).

    Kept by database triggers on ``claims`` and ``articles`` (migration ``0015_running_counts``) in
    the transaction, and under the row lock, of the write itself: every path that writes a claim
    (the ORM, the bulk insert of suggestions, a COPY, a cascade from a deleted article) moves the
    counts, and two writers can neither lose nor double a change. Nothing in the app writes here.

    kinds (``factcheck.services.running_counts`` reads them):
    - ``created``: claims by the UTC day they came in and the status they have now;
    - ``final``: final claims by the UTC day they were made final and their verdict ('' for none);
    - ``due``: unsettled claims by due date, under their checker's id while one holds them
      (assigned, in progress, proposed), else under 0;
    - ``held``: the claims a checker holds, by status;
    - ``article``: articles by status.
    A count can fall to 0 and stay as a row: readers add them up, so a zero is no figure.
    """

    __tablename__ = "running_counts"
    __table_args__ = (
        PrimaryKeyConstraint("kind", "day", "value", "user_id"),
        # On SQLite the rows are the primary key's B-tree: a day range is read with its counts.
        # Derived: a backup leaves it out, and the triggers count the claims and articles restored.
        {"sqlite_with_rowid": False, "info": {"derived": True}},
    )

    kind: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date)
    value: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
