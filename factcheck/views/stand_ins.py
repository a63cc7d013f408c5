"""Markup written once with stand-ins where what changes from view to view goes, split there and kept
per app; each view fills the stand-ins in (issue 15).

The claim page's and the article page's bodies (``kept_claim_pages``, ``kept_article_pages``) and the
layout around them (``layout.page``) are written so: their tokens, idempotency keys, presence region and
header are the only parts that differ between two views of the same rows. A stand-in holds a random
value made when the process starts, which no page shows, so no text a person wrote can be taken for one;
whoever splits a text checks that its stand-ins are those it wrote before keeping it.
"""
from __future__ import annotations

import re
import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from flask import Flask
from markupsafe import Markup


class StandIns:
    """Stand-ins of a few kinds (one character each), and the splitting of a text at them."""

    def __init__(self, kinds: str) -> None:
        nonce = secrets.token_hex(16)
        self._marks = {kind: Markup(f"\ue000{nonce}{kind}\ue001") for kind in kinds}
        self._hole = re.compile(f"\ue000{nonce}([{re.escape(kinds)}])\ue001")

    def mark(self, kind: str) -> Markup:
        return self._marks[kind]

    def split(self, text: str) -> list[str]:
        """The text at its stand-ins: text, kind, text, …, text."""
        return self._hole.split(text)


def fill(parts: Sequence[str], fillers: Mapping[str, Callable[[], str]]) -> Markup:
    """The split text with each stand-in replaced by what its kind's filler gives for this view."""
    out = []
    for n, part in enumerate(parts):
        out.append(fillers[part]() if n % 2 else part)
    return Markup("".join(out))


class KeptPerApp:
    """What is kept per app (in ``app.extensions``), at most ``at_most`` entries, the one written longest
    ago going first."""

    def __init__(self, extension: str, at_most: int) -> None:
        self._extension, self._at_most = extension, at_most

    def get(self, app: Flask, key: Hashable) -> Any:
        return app.extensions.get(self._extension, {}).get(key)

    def put(self, app: Flask, key: Hashable, value: Any) -> None:
        kept: OrderedDict[Hashable, Any] = app.extensions.setdefault(self._extension, OrderedDict())
        kept.pop(key, None)
        if len(kept) >= self._at_most:
            kept.popitem(last=False)
        kept[key] = value

    def size(self, app: Flask) -> int:
        return len(app.extensions.get(self._extension, ()))

    def forget(self, app: Flask) -> None:
        """Everything kept: each is written anew at its next view."""
        app.extensions.pop(self._extension, None)
