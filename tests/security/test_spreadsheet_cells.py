"""neutralise_cell: what a spreadsheet would run as a formula is exported as text."""
from __future__ import annotations

import csv
import io

import pytest

from factcheck.services.spreadsheet import neutralise_cell


@pytest.mark.parametrize("value", [
    "=cmd|'/Ccalc'!A0@x",  # the sign-in e-mail of issue 11
    "=HYPERLINK(\"https://evil.example\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=",
])
def test_formula_triggers_get_a_leading_apostrophe(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", [
    "", "plain text", "chen@desk.example", "2024-05-01", "42", " =1+1", "a=b", "'already quoted",
])
def test_other_values_are_unchanged(value):
    assert neutralise_cell(value) == value


def test_a_neutralised_cell_survives_the_csv_round_trip():
    out = io.StringIO()
    csv.writer(out).writerow([neutralise_cell("=cmd|'/Ccalc'!A0"), neutralise_cell("ok")])
    row = next(csv.reader(io.StringIO(out.getvalue())))
    assert row == ["'=cmd|'/Ccalc'!A0", "ok"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
