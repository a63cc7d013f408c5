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
from factcheck.security.permissions import PERMISSIONS, Action, can
from factcheck.views.common import runtime

# A few kilobytes each: one per signed-in device and page it has seen recently.
_MAX_KEPT = 2048


# The permissions that choose the header's links. Granted by role alone, with no condition on the
# user or an object, they follow from the roles, whether the account is active and the settings, and
# are worked out once per such set (issue 15); should a condition ever be added to one, every header
# asks them again.
_LINK_ACTIONS = (Action.DASHBOARD_READ, Action.AUDIT_READ, Action.USERS_MANAGE)
_BY_ROLE_ALONE = all(grant.condition is None for action in _LINK_ACTIONS for grant in PERMISSIONS[action])


def _links_shown(user: Any, settings: Any, kept: dict[tuple[Any, ...], tuple[Any, ...]]) -> tuple[Any, ...]:
    """The role chips and which links the header shows (queue, review, dashboard, audit, users)."""
    roles, active = user.roles, user.is_active
    key = (roles, active, id(settings))
    shown = kept.get(key) if _BY_ROLE_ALONE else None
    if shown is None or shown[0] is not settings:
        shown = (settings, tuple(sorted(roles)), user.has_role(Role.CHECKER), user.has_role(Role.EDITOR, Role.ADMIN),
                 *(can(user, action, settings=settings) for action in _LINK_ACTIONS))
        if len(kept) >= _MAX_KEPT:
            kept.clear()
        kept[key] = shown
    return shown[1:]


def header_renderer(macro: Any) -> Any:
    """The template global ``signed_in_header(user, nav)`` for one app, rendering with ``macro``."""
    kept: dict[tuple[Any, ...], Markup] = {}
    links: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def signed_in_header(user: Any, nav: Any) -> Markup:
        chips, show_queue, show_review, show_dashboard, show_audit, show_users = \
            _links_shown(user, runtime().settings, links)
        arguments = (
            request.endpoint or "", user.display_name, chips,
            nav.my_queue, nav.review_queue, nav.unread,
            show_queue, show_review, show_dashboard, show_audit, show_users, csrf_token(),
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
