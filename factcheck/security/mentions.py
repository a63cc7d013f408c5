"""How a note names a colleague, read without the database: the permission table needs it (a manager
reads a claim's conversation, and may answer once someone mentions them there) and so does the
service that resolves each mention to one person (``services.notes``).

Three spellings, each naming exactly one person or nobody, never a pattern:
``@chen`` (the local part of an e-mail), ``@chen@desk.example`` (a whole e-mail) and
``@[Chen Li]`` (a full name, what the autocomplete inserts when the name is unique).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MENTION = re.compile(
    r"(?<![\w@])@(?:\[([^\[\]\n]{1,120})\]|([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?))"
)


@dataclass(frozen=True)
class Handle:
    """One mention as written: ``kind`` is "name", "email" or "local"; ``key`` is lower-cased."""

    kind: str
    key: str
    written: str


def normal_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def handles(body: str) -> list[Handle]:
    """The mentions of a text, each once, in the order written."""
    found: dict[tuple[str, str], Handle] = {}
    for match in MENTION.finditer(body):
        name, handle = match.group(1), match.group(2)
        if name is not None:
            key = normal_name(name)
            if key:
                found.setdefault(("name", key), Handle("name", key, match.group(0)))
            continue
        key = handle.lower().rstrip(".")
        if not key:
            continue
        kind = "email" if "@" in key else "local"
        found.setdefault((kind, key), Handle(kind, key, "@" + handle.rstrip(".")))
    return list(found.values())


def names(body: str, user: Any) -> bool:
    """Whether ``body`` mentions ``user`` (an object with ``email`` and ``display_name``)."""
    email = user.email.lower()
    for handle in handles(body):
        if (handle.kind == "email" and handle.key == email) or \
                (handle.kind == "local" and handle.key == email.partition("@")[0]) or \
                (handle.kind == "name" and handle.key == normal_name(user.display_name)):
            return True
    return False
