"""The signed-in part of the layout's header, rendered once for each distinct header and then reused.

Every signed-in page shows it, and rendering it cost about 60 µs a page (issue 15): fifteen links,
four permission checks, the role chips. It depends on nothing but its macro's arguments
(templates/macros/layout.html): the page's endpoint, the person's name, roles and permissions, the
three badges and the session's CSRF token, and where the app is mounted. Those are the key of the
kept copy, so a header is reused only where it would be rendered the same; a new count, name, role
or session makes a new one. The session's token being part of the key, no two sessions share one.
"""
from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask import render_template
from flask.globals import _cv_app, _cv_request
from markupsafe import Markup

from factcheck.kept_by_identity import KeptByIdentity
from factcheck.models import Role
from factcheck.security.csrf_tokens import csrf_token
from factcheck.security.permissions import PERMISSIONS, Action, can
from factcheck.views import stand_ins
from factcheck.views.common import actor, runtime
from factcheck.views.kept import Kept

# A few kilobytes each: one per signed-in device and page it has seen recently.
_MAX_KEPT = 2048


# The permissions that choose the header's links. Granted by role alone, with no condition on the
# user or an object, they follow from the roles, whether the account is active and the settings, and
# are worked out once per such set (issue 15); should a condition ever be added to one, every header
# asks them again.
_LINK_ACTIONS = (Action.DASHBOARD_READ, Action.AUDIT_READ, Action.USERS_MANAGE)
_BY_ROLE_ALONE = all(grant.condition is None for action in _LINK_ACTIONS for grant in PERMISSIONS[action])


def _links_shown(user: Any, settings: Any, kept: KeptByIdentity[tuple[Any, ...]]) -> tuple[Any, ...]:
    """The role chips and which links the header shows (queue, review, dashboard, audit, users), kept per
    roles, whether the account is active and the settings (by identity: hashing them cost more)."""
    def make() -> tuple[Any, ...]:
        return (tuple(sorted(user.roles)), user.has_role(Role.CHECKER), user.has_role(Role.EDITOR, Role.ADMIN),
                *(can(user, action, settings=settings) for action in _LINK_ACTIONS))
    if not _BY_ROLE_ALONE:
        return make()
    return kept.get(settings, (user.roles, user.is_active), make)


def header_renderer(macro: Any) -> Any:
    """The template global ``signed_in_header(user, nav)`` for one app, rendering with ``macro``."""
    kept: Kept[Markup] = Kept(at_most=_MAX_KEPT)
    links: KeptByIdentity[tuple[Any, ...]] = KeptByIdentity(at_most=_MAX_KEPT)

    def signed_in_header(user: Any, nav: Any) -> Markup:
        chips, show_queue, show_review, show_dashboard, show_audit, show_users = \
            _links_shown(user, runtime().settings, links)
        asked = _cv_request.get().request  # the request proxy's lookups, without it
        arguments = (
            asked.endpoint or "", user.display_name, chips,
            nav.my_queue, nav.review_queue, nav.unread,
            show_queue, show_review, show_dashboard, show_audit, show_users, csrf_token(),
        )
        return kept.get((asked.script_root, *arguments), lambda: Markup(macro(*arguments)))

    return signed_in_header


# The layout around a kept body (issue 15). A page whose body is kept (the claim page, the article page)
# was still rendered through ``render_template`` on every view: the context processors, base.html's
# blocks, the flashes asked for, the layout's addresses, the header looked up: a fifth of such a view.
# What the layout shows besides the header and the body depends on the template, the values the page
# gives it (its title), where the app is mounted and the session's CSRF token (the csrf-token meta),
# and on the flashes, of which a kept layout has none. So it is rendered once per such key with
# stand-ins where the header and the body go, split there and kept; a view with no flash waiting fills
# in this view's header (itself kept per header key, above) and the body. Anything else takes
# ``render_template``.
_HEADER, _BODY = "h", "b"
_STAND_INS = stand_ins.StandIns(_HEADER + _BODY)
_HEADER_HOLE, _BODY_HOLE = _STAND_INS.mark(_HEADER), _STAND_INS.mark(_BODY)
# A few kilobytes each (base.html's head, without the header): one per session and page seen recently.
_LAYOUTS = stand_ins.KeptPerApp("factcheck.kept_layouts", at_most=1024)


def _header_hole(user: Any, nav: Any) -> Markup:
    return _HEADER_HOLE


def page(template: str, body: Markup, **values: Hashable) -> str:
    """``render_template(template, body=body, **values)``, for a signed-in viewer with no flash waiting
    from the layout kept for ``template``, ``values``, the mount point and the session's CSRF token, with
    this view's header and ``body`` filled in. ``template`` extends base.html and shows ``body`` once,
    and nothing but ``values`` besides."""
    request_context = _cv_request.get()
    app = _cv_app.get().app
    flashes = request_context.flashes
    user = actor()
    if flashes or (flashes is None and "_flashes" in request_context.session) \
            or user is None or not user.is_authenticated:
        return render_template(template, body=body, **values)
    key = (template, tuple(values.items()), request_context.request.script_root, csrf_token())
    found: tuple[str, str, str] | None = _LAYOUTS.get(app, key)
    if found is None:
        text = render_template(template, body=_BODY_HOLE, signed_in_header=_header_hole, **values)
        parts = _STAND_INS.split(text)
        if parts[1::2] != [_HEADER, _BODY]:  # not the layout this expects: rendered whole, not kept
            return render_template(template, body=body, **values)
        found = (parts[0], parts[2], parts[4])
        _LAYOUTS.put(app, key, found)
    header: Markup = app.jinja_env.globals["signed_in_header"](user, _nav(user))  # type: ignore[operator]
    return f"{found[0]}{header}{found[1]}{body}{found[2]}"


_nav_counts: list[Any] = []


def _nav(user: Any) -> Any:
    """The badges as the layout's context processor gives them (``notifications._nav_counts``); its class
    imported once (views/notifications imports this module's importers)."""
    if not _nav_counts:
        from factcheck.views.notifications import NavCountsOnDemand

        _nav_counts.append(NavCountsOnDemand)
    return _nav_counts[0](user)
