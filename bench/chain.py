"""The audit chain's hash, as the benches compute it for bulk-inserted events.

A copy of ``factcheck.services.audit.canonical_payload`` / ``compute_hash`` (kept here so the data
generator does not depend on the services, which are being refactored). If the chain becomes
HMAC-keyed, change ``event_hash`` (and only it); ``check_against_app`` tells at start-up whether
the copy still agrees with the application, so a drifted copy is reported rather than producing a
chain the application calls broken.
"""
from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace
from typing import Any

GENESIS_HASH = "0" * 64
FIELDS = ("created_at", "actor_id", "actor_label", "action", "object_type", "object_id", "article_id", "changes",
          "request_id", "ip_address", "prev_hash")


def canonical_payload(row: dict[str, Any]) -> bytes:
    """The bytes the chain hashes: the event's fields (``created_at`` an aware UTC datetime), sorted JSON."""
    payload = {key: row[key] for key in FIELDS}
    payload["created_at"] = row["created_at"].isoformat()
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(payload: bytes) -> str:
    """The one place the hash is made; an HMAC key would go here."""
    return hashlib.sha256(payload).hexdigest()


def check_against_app(sample: dict[str, Any]) -> str | None:
    """None when the application hashes ``sample`` as we do, otherwise why not (a warning, not an error)."""
    try:
        from factcheck.services import audit
    except Exception as error:
        return f"cannot import factcheck.services.audit ({error!r}); chain hash not cross-checked"
    compute = getattr(audit, "compute_hash", None)
    if compute is None:
        return "factcheck.services.audit.compute_hash is gone; chain hash not cross-checked"
    try:
        theirs = compute(SimpleNamespace(**sample))
    except Exception as error:
        return f"audit.compute_hash failed on a sample ({error!r}); chain hash not cross-checked"
    ours = event_hash(canonical_payload(sample))
    if theirs != ours:
        return "bench/chain.py no longer hashes like factcheck.services.audit: verification will fail; update event_hash"
    return None
