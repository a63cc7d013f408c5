"""The newsroom's settings as the services see them: plain values, no Flask.

``config.py`` reads the environment into the app's config; ``Settings.from_config`` picks what the
business rules need, so services and permissions never reach for the app to learn them.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any
from urllib.parse import unquote, urlsplit

DEFAULT_VERDICT_SCALE = (
    "verified",
    "mostly accurate",
    "misleading",
    "disputed",
    "false",
    "unverifiable",
)
# Verdicts that cannot pass the approval gate without an editor's resolution.
DEFAULT_VERDICTS_NEEDING_RESOLUTION = ("misleading", "disputed", "false")
# The rating scale of ClaimReview, worst first; a verdict left out ("unverifiable") is no rating at all.
DEFAULT_VERDICT_RATINGS = ("false", "misleading", "disputed", "mostly accurate", "verified")


SMTP_SCHEMES = {"smtp": 25, "smtps": 465, "smtp+starttls": 587}


@dataclass(frozen=True)
class SmtpServer:
    """Where e-mail goes (``FACTCHECK_SMTP_URL``): ``smtp://`` plain, ``smtps://`` TLS from the first
    byte, ``smtp+starttls://`` upgraded to TLS before anything else is said."""

    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def tls(self) -> bool:
        return self.scheme == "smtps"

    @property
    def starttls(self) -> bool:
        return self.scheme == "smtp+starttls"


def parse_smtp_url(url: str) -> SmtpServer:
    """``smtp[s|+starttls]://[user[:password]@]host[:port]``; ValueError says what is wrong."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SMTP_SCHEMES:
        raise ValueError(f"the scheme must be one of {', '.join(s + '://' for s in SMTP_SCHEMES)}")
    try:
        port = parts.port or SMTP_SCHEMES[scheme]
    except ValueError:
        raise ValueError("the port must be a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError("it names no host")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("it may hold only user, password, host and port")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if username and scheme == "smtp" and not _is_loopback(parts.hostname):
        raise ValueError("smtp:// would send the password unencrypted; use smtps:// or smtp+starttls://")
    return SmtpServer(scheme, parts.hostname, port, username, password)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_mail_from(value: str) -> str:
    """The From of every e-mail (``FACTCHECK_MAIL_FROM``): an address, optionally with a name."""
    _name, address = parseaddr(value)
    if any(c in value for c in "\r\n") or "@" not in address or any(c.isspace() for c in address):
        raise ValueError("it must be an e-mail address such as factcheck@news.example or "
                         "\"Fact desk\" <factcheck@news.example>")
    return value.strip()


@dataclass(frozen=True)
class Settings:
    verdict_scale: tuple[str, ...] = DEFAULT_VERDICT_SCALE
    verdicts_needing_resolution: tuple[str, ...] = DEFAULT_VERDICTS_NEEDING_RESOLUTION
    # Whether checkers may take unassigned claims from the pool themselves.
    checker_pool: bool = False
    max_article_bytes: int = 2_000_000
    password_hash_method: str = "scrypt"
    page_size: int = 50
    verdict_ratings: tuple[str, ...] = DEFAULT_VERDICT_RATINGS
    # Where readers reach this newsroom's fact-check reports (ClaimReview urls), e.g. https://checks.example.org
    public_url: str = ""
    # The audit chain's HMAC key (FACTCHECK_AUDIT_KEY); never shown in a repr.
    audit_key: bytes = field(default=b"", repr=False)
    # Where notifications are e-mailed (FACTCHECK_SMTP_URL); None sends no e-mail at all.
    smtp: SmtpServer | None = None
    mail_from: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        return cls(
            verdict_scale=tuple(config.get("FACTCHECK_VERDICT_SCALE", DEFAULT_VERDICT_SCALE)),
            verdicts_needing_resolution=tuple(
                config.get("FACTCHECK_VERDICTS_NEEDING_RESOLUTION", DEFAULT_VERDICTS_NEEDING_RESOLUTION)),
            checker_pool=bool(config.get("FACTCHECK_CHECKER_POOL", False)),
            max_article_bytes=int(config.get("FACTCHECK_MAX_ARTICLE_BYTES", 2_000_000)),
            password_hash_method=str(config.get("FACTCHECK_PASSWORD_HASH_METHOD", "scrypt")),
            page_size=int(config.get("FACTCHECK_PAGE_SIZE", 50)),
            verdict_ratings=tuple(config.get("FACTCHECK_VERDICT_RATINGS", DEFAULT_VERDICT_RATINGS)),
            public_url=str(config.get("FACTCHECK_PUBLIC_URL", "")).rstrip("/"),
            audit_key=str(config.get("FACTCHECK_AUDIT_KEY") or "").encode(),
            smtp=parse_smtp_url(config["FACTCHECK_SMTP_URL"]) if config.get("FACTCHECK_SMTP_URL") else None,
            mail_from=str(config.get("FACTCHECK_MAIL_FROM") or ""),
        )
