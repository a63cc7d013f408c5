"""One JSON text per value: keys sorted, no spaces, non-ASCII kept as is (the audit chain's
canonical form, ``factcheck.services.audit.canonical_payload``).

The engine writes every JSON column with ``dumps`` (``create_app``), so an audit event's stored ``changes`` is already
the text its hash covers and ``audit.verify`` can put it into the payload without decoding and
re-encoding it (issue 15: a million events in seconds).
"""
from __future__ import annotations

import json
from typing import Any

_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dumps(value: Any) -> str:
    return _ENCODER.encode(value)
