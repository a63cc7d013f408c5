"""The audit chain as the benches write it for bulk-inserted events: keyed, numbered and linked.

Every event gets ``seq`` (its position), ``hash_alg`` 'hmac-sha256', ``prev_hash`` (the hash before
it) and ``hash``, an HMAC-SHA256 with ``BENCH_AUDIT_KEY`` over the canonical payload. The payload is
a copy of ``factcheck.services.audit.canonical_payload`` (the data generator calls no service);
``check_against_app`` tells at start-up whether the copy still hashes like the application, so a
drifted copy is reported rather than producing a chain the application calls broken.

The chain is sequential by nature (each hash covers the one before), so it is computed in Python as
the rows are generated; the HMAC's keyed state is prepared once and copied per event.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from types import SimpleNamespace
from typing import Any

GENESIS_HASH = "0" * 64
HASH_ALG = "hmac-sha256"
# The bench's own key: the app under test is configured with it (FACTCHECK_AUDIT_KEY), so the
# filled chain verifies there and nowhere else.
BENCH_AUDIT_KEY = b"bench-audit-key-not-for-production"
FIELDS = ("created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "article_id", "changes",
          "request_id", "ip_address", "prev_hash", "seq")
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_payload(row: Any) -> bytes:
    """The bytes a keyed event's hash covers: its fields and ``seq`` (``created_at`` an aware UTC
    datetime) as JSON with sorted keys, no spaces, UTF-8."""
    payload = {key: row[key] for key in FIELDS}
    payload["created_at"] = row["created_at"].isoformat()
    return _ENCODER.encode(payload).encode()


class Chain:
    """Links rows one after the other: fills in ``seq``, ``prev_hash``, ``hash_alg`` and ``hash``."""

    def __init__(self, key: bytes = BENCH_AUDIT_KEY) -> None:
        self.keyed = hmac.new(key, digestmod=hashlib.sha256)
        self.prev_hash = GENESIS_HASH
        self.seq = 0

    def link(self, row: dict[str, Any]) -> str:
        self.seq += 1
        row["seq"] = self.seq
        row["prev_hash"] = self.prev_hash
        row["hash_alg"] = HASH_ALG
        mac = self.keyed.copy()
        mac.update(canonical_payload(row))
        row["hash"] = self.prev_hash = mac.hexdigest()
        return row["hash"]


def check_against_app(sample: dict[str, Any]) -> str | None:
    """None when the application hashes ``sample`` as we do, otherwise why not (a warning, not an error)."""
    try:
        from factcheck.services import audit
    except Exception as error:
        return f"cannot import factcheck.services.audit ({error!r}); chain hash not cross-checked"
    compute = getattr(audit, "compute_hash", None)
    if compute is None:
        return "factcheck.services.audit.compute_hash is gone; chain hash not cross-checked"
    row = dict(sample)
    ours = Chain().link(row)
    try:
        theirs = compute(SimpleNamespace(**row), BENCH_AUDIT_KEY)
    except Exception as error:
        return f"audit.compute_hash failed on a sample ({error!r}); chain hash not cross-checked"
    if theirs != ours:
        return "bench/chain.py no longer hashes like factcheck.services.audit: verification will fail; update it"
    return None
