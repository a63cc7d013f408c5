"""docs/api.md lists every operation of the OpenAPI document, so the guide never falls behind the API."""
from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_operation_is_in_the_guide(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    guide = DOC.read_text()
    missing, checked = [], 0
    for path, operations in spec["paths"].items():
        # The guide names the first path parameter {id}: /claims/{id}/evidence/{evidence_id}.
        shown = re.sub(r"\{\w+\}", "{id}", path.removeprefix("/api/v1"), count=1)
        for method in operations:
            if method == "parameters":
                continue
            checked += 1
            if not re.search(rf"{method.upper()} {re.escape(shown)}(?=[`?\s,])", guide):
                missing.append(f"{method.upper()} {shown}")
    assert checked >= 50
    assert not missing, f"docs/api.md does not list: {missing}"
