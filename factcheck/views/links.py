"""Links to many rows of one kind, built once per page instead of once per row.

``url_for`` walks the URL map for every call (about 30 µs); a list of 50–200 rows linking to their
articles or claims spent more on that than on its query. A route's path is the same text for every
row but for the row's id, so the page asks the URL map once, with a stand-in id, and puts each row's
id in its place. The two parts around the id are kept for the next request: they depend on nothing
but the route, its other values and the root the app is served under.
"""
from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for

# The largest id a path may hold (views/converters.py): a number no other part of a path spells.
_STAND_IN = 2147483647
_KEPT_AT_MOST = 256
# Per app: (endpoint, id name, other values, script root) -> the path's text before and after the id.
_kept: weakref.WeakKeyDictionary[Flask, dict[tuple[Any, ...], tuple[str, str] | None]] = weakref.WeakKeyDictionary()


def by_id(endpoint: str, id_name: str, **values: Any) -> Callable[[int], str]:
    """``lambda i: url_for(endpoint, **values, **{id_name: i})``, asking the URL map only once."""
    parts = _parts(endpoint, id_name, values)
    if parts is None:  # the stand-in is not simply in the path: no shortcut
        return lambda row_id: url_for(endpoint, **{**values, id_name: row_id})
    before, after = parts
    return lambda row_id: f"{before}{int(row_id)}{after}"


def _split(endpoint: str, id_name: str, values: dict[str, Any]) -> tuple[str, str] | None:
    sample = url_for(endpoint, **{**values, id_name: _STAND_IN})
    parts = sample.split(str(_STAND_IN))
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _parts(endpoint: str, id_name: str, values: dict[str, Any]) -> tuple[str, str] | None:
    if endpoint.startswith(".") or not has_request_context():  # relative to the request's blueprint: not kept
        return _split(endpoint, id_name, values)
    try:
        key = (endpoint, id_name, tuple(sorted(values.items())), request.script_root)
        hash(key)
    except TypeError:  # a value that cannot be a key
        return _split(endpoint, id_name, values)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kept = _kept.get(app)
    if kept is None:
        kept = _kept[app] = {}
    if key not in kept:
        if len(kept) >= _KEPT_AT_MOST:
            kept.clear()
        kept[key] = _split(endpoint, id_name, values)
    return kept[key]
