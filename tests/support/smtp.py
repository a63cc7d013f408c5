"""A real SMTP server for the test (aiosmtpd on 127.0.0.1): request the ``mailbox`` fixture.

It collects what it is sent (envelope and parsed message), and the app under test is configured to
send through it; ``stop()`` and ``start()`` take it down and bring it back on the same port.
"""
from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask import Flask

from factcheck.settings import parse_smtp_url
from tests.support.context import configure, ctx
from tests.support.factories import Factory

PUBLIC_URL = "https://factcheck.news.test"
MAIL_FROM = "Fact desk <desk@news.test>"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return part.get_content()  # type: ignore[no-any-return, attr-defined]


class Mailbox:
    def __init__(self, login: tuple[str, str] | None = None) -> None:
        self.login = login  # (user, password) the server then accepts, over plain SMTP (a test has no TLS)
        self.signed_in: list[str] = []
        self.received: list[Received] = []
        self.refuse_with: str | None = None  # e.g. "550 No such user": the next messages are refused
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        self._controller: Controller | None = None

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def _authenticate(self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> AuthResult:
        wanted = tuple(part.encode() for part in self.login or ())
        success = bool(wanted) and (data.login, data.password) == wanted
        if success:
            self.signed_in.append(data.login.decode())
        return AuthResult(success=success, handled=False)  # aiosmtpd then answers 235 or 535 itself

    def start(self) -> None:
        auth: dict[str, Any] = {}
        if self.login:
            # Offered and checked, not required: aiosmtpd warns about requiring it without TLS.
            auth = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **auth)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@pytest.fixture
def mailbox(app: Flask, make: Factory) -> Iterator[Mailbox]:
    """A running SMTP server, and the app set to e-mail notifications through it (the factory's
    context too, which holds the settings of its own time)."""
    box = Mailbox()
    box.start()
    configure(app, smtp=parse_smtp_url(box.url), mail_from=MAIL_FROM, public_url=PUBLIC_URL)
    make.ctx = ctx()
    try:
        yield box
    finally:
        box.stop()
