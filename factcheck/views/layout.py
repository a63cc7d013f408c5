"""The signed-in part of the layout's header, rendered once for each distinct header and then reused.

Every signed-in page shows it, and rendering it cost about 60 µs a page (issue 15): fifteen links,
four permission checks, the role chips. It depends on nothing but its macro's arguments
(templates/macros/layout.html): the page's endpoint, the person's name, roles and permissions, the
three badges and the session's CSRF token, and where the app is mounted. Those are the key of the
kept copy, so a header is reused only where it would be rendered the same; a new count, name, role
or session makes a new one. The session's token being part of the key, no two sessions share one.
"""
from __future__ import annotations

from typing import Any

from flask import request
from markupsafe import Markup

from factcheck.models import Role
from factcheck.security.csrf_tokens import csrf_token
from factcheck.security.permissions import Action, can
from factcheck.views.common import runtime

# A few kilobytes each: one per signed-in device and page it has seen recently.
_MAX_KEPT = 2048


def header_renderer(macro: Any) -> Any:
    """The template global ``signed_in_header(user, nav)`` for one app, rendering with ``macro``."""
    kept: dict[tuple[Any, ...], Markup] = {}

    def signed_in_header(user: Any, nav: Any) -> Markup:
        settings = runtime().settings
        arguments = (
            request.endpoint or "", user.display_name, tuple(sorted(user.roles)),
            nav.my_queue, nav.review_queue, nav.unread,
            user.has_role(Role.CHECKER), user.has_role(Role.EDITOR, Role.ADMIN),
            can(user, Action.DASHBOARD_READ, settings=settings), can(user, Action.AUDIT_READ, settings=settings),
            can(user, Action.USERS_MANAGE, settings=settings), csrf_token(),
        )
        key = (request.script_root, *arguments)
        html = kept.get(key)
        if html is None:
            html = Markup(macro(*arguments))
            if len(kept) >= _MAX_KEPT:
                kept.clear()
            kept[key] = html
        return html

    return signed_in_header
