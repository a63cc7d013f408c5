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
    # The description the text used for the claimant ("the Norvian president") when the
    # claimant is the name it resolved to. Not in to_dict, whose keys callers rely on.
    role: str | None = None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["via"] = list(self.via)
        del data["role"]
        return data


@dataclass(slots=True)
class Attribution:
    """A parsed attribution of one sentence.

    ``chain`` runs from the outermost relay to the innermost speaker. ``content_end`` is
    the offset (relative to the sentence) where the claim proper ends when the tag trails
    it; ``None`` when the whole sentence is the claim. ``end`` is where a leading tag ends
    ("X said on Tuesday that |..."), when known. ``according`` marks a separable
    "According to X," clause, ``mid`` a tag inside the claim ("Exports, X said, rose"),
    ``framed`` a fronted phrase before the tag ("Asked about it, X said"), ``outlet`` a
    trailing tag that is an outlet alone.
    """

    chain: list[str]
    content_end: int | None = None
    leading: bool = False
    pronoun: bool = False
    end: int | None = None
    according: bool = False
    mid: bool = False
    framed: bool = False
    # A trailing tag whose only source is an outlet ("..., the daily Al-Sabah reported"):
    # it relays a speaker the sentence names before it.
    outlet: bool = False

    @property
    def claimant(self) -> str | None:
        return self.chain[-1] if self.chain else None

    @property
    def via(self) -> list[str]:
        return list(reversed(self.chain[:-1]))
