"""Cells that a spreadsheet shows as text, never runs as a formula ("CSV injection").

Excel, LibreOffice Calc and Google Sheets treat a cell that begins with ``=``, ``+``, ``-`` or ``@``
as a formula when a CSV file is opened, and a formula can fetch URLs or, through DDE
(``=cmd|'/C calc'!A0``), start programs on the reader's machine. A leading tab or carriage return
is stripped or skipped by some of them before the check, so ``"\\t=1+1"`` is a formula too. Text
that reaches an export from people outside the newsroom (a sign-in e-mail, a request header, a
claim quoted from an article) can start with any of these.

``neutralise_cell`` puts an apostrophe in front of such a cell, the OWASP recommendation: every
spreadsheet reads a leading apostrophe as "this cell is text" and hides it, so the cell still shows
what was stored. The value in the database is never changed; only the exported copy is. A reader
who parses the CSV with a program sees the apostrophe and can drop it (the export's documentation
says so). Values that do not start with a trigger character are returned unchanged, so numbers
such as ``-3`` are the one visible cost: they are exported as the text ``'-3``.
"""
from __future__ import annotations

# The characters that make a spreadsheet read a cell as a formula (or skip to one that does).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it but never evaluates it: a leading apostrophe when it
    starts with ``= + - @``, a tab or a carriage return; otherwise unchanged."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
