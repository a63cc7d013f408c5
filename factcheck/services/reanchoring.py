"""Carry a claim's anchor from one revision's text to the next.

The texts are compared line by line (cheap even for long articles); a claim on unchanged lines
moves by the lines' shift. A claim on changed lines is looked for again: first as the exact quote
near where it should be, then, character by character inside the changed block, as the passage
that replaced it. What is left of it decides: the same words (moved), changed words (the claim
must be checked again) or nothing recognisable (the claim is orphaned).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

# Share of the old quote's characters that must survive for an edited passage to count as the
# same claim, changed, rather than a claim whose text is gone.
SAME_CLAIM_SHARE = 0.6


class Outcome(StrEnum):
    SAME = "same"
    CHANGED = "changed"
    GONE = "gone"


@dataclass(frozen=True)
class Reanchored:
    outcome: Outcome
    start: int = 0
    end: int = 0


class TextMap:
    """Line-level correspondence between an old and a new text."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
        self._old_starts = _line_starts(old_lines)
        self._new_starts = _line_starts(new_lines)
        self.opcodes = SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes()

    def _block(self, old_offset: int) -> tuple[str, int, int, int, int]:
        line = max(0, bisect_right(self._old_starts, old_offset) - 1)
        for opcode in self.opcodes:
            if opcode[1] <= line < opcode[2] or (opcode[1] == opcode[2] == line):
                return opcode
        return self.opcodes[-1]

    def changed_spans(self) -> list[tuple[int, int]]:
        """Character spans of the new text that are not in the old one."""
        return [(self._new_starts[j1], self._new_starts[j2]) for tag, _i1, _i2, j1, j2 in self.opcodes
                if tag in ("replace", "insert") and j2 > j1]

    def carry(self, start: int, end: int, quote: str) -> Reanchored:
        first, last = self._block(start), self._block(max(start, end - 1))
        if first is last and first[0] == "equal":
            shift = self._new_starts[first[3]] - self._old_starts[first[1]]
            return Reanchored(Outcome.SAME, start + shift, end + shift)
        # The new text of the blocks the claim touched.
        new_from, new_to = self._new_starts[first[3]], self._new_starts[last[4]]
        window = self.new[new_from:new_to]
        exact = window.find(quote)
        if exact >= 0:
            return Reanchored(Outcome.SAME, new_from + exact, new_from + exact + len(quote))
        matcher = SequenceMatcher(None, quote, window, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        kept = sum(b.size for b in blocks)
        if not blocks or kept < SAME_CLAIM_SHARE * len(quote):
            return Reanchored(Outcome.GONE)
        return Reanchored(Outcome.CHANGED, new_from + blocks[0].b, new_from + blocks[-1].b + blocks[-1].size)


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    starts.append(offset)
    return starts
