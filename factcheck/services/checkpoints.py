"""Where the audit chain's head is anchored outside the database.

After every commit that wrote audit events, the head of the chain (the newest event's id, hash and
position ``seq``) is recorded here. Whoever can rewrite the database cannot rewrite this record, so
``audit verify`` notices a log that was emptied, cut short or recomputed: the checkpointed event
must still be there, with the same hash, at the same position.

Several processes may write: each records the head its own commit reached, not necessarily in order,
and readers take the highest ``seq``.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class Head:
    """One point of the chain: event ``id`` is the ``seq``-th event and has hash ``hash``."""

    id: int
    hash: str
    seq: int

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "hash": self.hash, "seq": self.seq}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Head:
        return cls(int(values["id"]), str(values["hash"]), int(values["seq"]))

    def describe(self) -> str:
        return f"event {self.id} (seq {self.seq}, hash {self.hash[:16]}…)"


class CheckpointSink(Protocol):
    def record(self, head: Head) -> None:
        """Anchor ``head``; called after the commit that wrote it."""

    def highest(self) -> Head | None:
        """The checkpoint with the highest ``seq`` recorded so far, or None."""

    def describe(self) -> str:
        """Where the checkpoints are kept, for messages."""


class NoCheckpoints:
    """Anchors nothing (a context built without a runtime)."""

    def record(self, head: Head) -> None:
        return None

    def highest(self) -> Head | None:
        return None

    def describe(self) -> str:
        return "nowhere"


class FileCheckpoints:
    """An append-only JSON Lines file: one line per commit, written with O_APPEND so that lines of
    several processes do not interleave."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def record(self, head: Head) -> None:
        line = json.dumps({**head.as_dict(), "at": datetime.now(UTC).isoformat()}, separators=(",", ":")) + "\n"
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileNotFoundError:  # the folder only: made here once, not looked up at every commit
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, flags, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    def highest(self) -> Head | None:
        best: Head | None = None
        try:
            lines = self.path.open(encoding="utf-8")
        except FileNotFoundError:
            return None
        with lines:
            for line in lines:
                try:
                    head = Head.from_dict(json.loads(line))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash
                if best is None or head.seq > best.seq:
                    best = head
        return best

    def describe(self) -> str:
        return f"file {self.path}"


# Keep the stored head only when the new one is further along: writers may finish out of order.
_RECORD_IF_HIGHER = """
local current = redis.call('GET', KEYS[1])
if current then
  local seq = tonumber(cjson.decode(current)['seq'])
  if seq and seq >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
"""


class RedisCheckpoints:
    """The highest head in one Redis key (set only when higher, atomically, by a Lua script)."""

    def __init__(self, url: str, key: str = "factcheck:audit:head") -> None:
        import redis

        self.url, self.key = url, key
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._script = self.client.register_script(_RECORD_IF_HIGHER)

    def record(self, head: Head) -> None:
        value = json.dumps({**head.as_dict(), "at": datetime.now(UTC).isoformat()}, separators=(",", ":"))
        self._script(keys=[self.key], args=[value, head.seq])

    def highest(self) -> Head | None:
        value = self.client.get(self.key)
        return Head.from_dict(json.loads(value)) if value else None

    def describe(self) -> str:
        return f"Redis key {self.key}"


class AllCheckpoints:
    """Several stores at once; the highest of them wins."""

    def __init__(self, sinks: Sequence[CheckpointSink]) -> None:
        self.sinks = list(sinks)

    def record(self, head: Head) -> None:
        errors = []
        for sink in self.sinks:
            try:
                sink.record(head)
            except Exception as error:  # one store down must not stop the others
                errors.append(error)
        if errors:
            raise errors[0]

    def highest(self) -> Head | None:
        heads = [head for sink in self.sinks if (head := sink.highest()) is not None]
        return max(heads, key=lambda head: head.seq) if heads else None

    def describe(self) -> str:
        return " and ".join(sink.describe() for sink in self.sinks)


def from_config(config: Mapping[str, Any]) -> CheckpointSink:
    """The stores the configuration names: FACTCHECK_REDIS_URL, FACTCHECK_AUDIT_CHECKPOINT_FILE."""
    sinks: list[CheckpointSink] = []
    if config.get("FACTCHECK_REDIS_URL"):
        sinks.append(RedisCheckpoints(str(config["FACTCHECK_REDIS_URL"]),
                                      str(config.get("FACTCHECK_AUDIT_CHECKPOINT_REDIS_KEY") or "factcheck:audit:head")))
    if config.get("FACTCHECK_AUDIT_CHECKPOINT_FILE"):
        sinks.append(FileCheckpoints(str(config["FACTCHECK_AUDIT_CHECKPOINT_FILE"])))
    if not sinks:
        return NoCheckpoints()
    return sinks[0] if len(sinks) == 1 else AllCheckpoints(sinks)
