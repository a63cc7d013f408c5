"""The newsroom's settings as the services see them: plain values, no Flask.

``config.py`` reads the environment into the app's config; ``Settings.from_config`` picks what the
business rules need, so services and permissions never reach for the app to learn them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
        )
