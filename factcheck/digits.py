"""Whole numbers typed by people: ``str.isdigit`` alone also accepts digits ``int`` refuses ("²", "①")."""
from __future__ import annotations


def plain_digits(value: str) -> bool:
    """Whether ``value`` is one or more of the digits 0-9, and nothing else."""
    return value.isascii() and value.isdigit()
