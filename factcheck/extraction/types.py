"""Plain value types shared by the extraction modules.

They carry character offsets into the text exactly as the caller gave it, so the
web layer can anchor a claim to a revision without re-searching the text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = ("quote", "attributed statement", "statistic", "event", "event with date", "statement")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class FurnitureLine:
    start: int
    end: int
    text: str
    reason: str


@dataclass(slots=True)
class Suggestion:
    quote: str
    start: int
    end: int
    claimant: str | None
    via: list[str] = field(default_factory=list)
    kind: str = "statement"
    score: float = 0.0

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["via"] = list(self.via)
        return data
