"""The stand-ins kept pages are written with (``views/stand_ins.py``): what a person writes is never
taken for one, and what is kept per app is bounded, the one written longest ago going first."""
from __future__ import annotations

from flask import Flask
from markupsafe import Markup

from factcheck.views.stand_ins import KeptPerApp, StandIns, fill


def test_a_text_splits_at_its_own_stand_ins_only() -> None:
    ours, theirs = StandIns("ab"), StandIns("ab")
    text = f"<p>{ours.mark('a')} and {theirs.mark('a')} {ours.mark('b')}</p>"
    parts = ours.split(text)
    assert parts[1::2] == ["a", "b"]
    assert theirs.mark("a") in parts[2]  # another set's stand-in is text to this one
    filled = fill(parts, {"a": lambda: Markup("<i>1</i>"), "b": lambda: "2"})
    assert filled.startswith("<p><i>1</i> and ") and filled.endswith(" 2</p>")


def test_what_is_kept_per_app_is_bounded_and_per_app() -> None:
    kept = KeptPerApp("test.stand_ins", at_most=2)
    one, two = Flask("one"), Flask("two")
    kept.put(one, "a", 1)
    kept.put(one, "b", 2)
    kept.put(one, "a", 3)  # written again: now the newest
    kept.put(one, "c", 4)  # "b" was written longest ago
    assert (kept.get(one, "a"), kept.get(one, "b"), kept.get(one, "c")) == (3, None, 4)
    assert kept.size(one) == 2 and kept.get(two, "a") is None
    kept.forget(one)
    assert kept.size(one) == 0
