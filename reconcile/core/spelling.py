"""Close spellings among many names, without comparing every pair.

Two names are close spellings when difflib's ratio, `2·M / (len(a) + len(b))`
with M the characters its matching blocks share, is at least `threshold`
(`core.names.CLOSE_SPELLING`).  Comparing every pair costs n² ratios: 20,000
claimant names in a spreadsheet would take minutes.  `close_pairs` finds the
same pairs from an index (PassJoin, Li et al., VLDB 2011):

* M never exceeds the longest common subsequence, so a close pair is within
  `d = len(a) + len(b) - 2·M ≤ (1 - threshold)·(len(a) + len(b))` insertions and
  deletions of each other, and their lengths are within the same bound
  (difflib's `real_quick_ratio`);
* cut a name into k ≥ d + 1 segments: d edits touch at most d of them, so k - d
  segments appear unchanged in the other name, each moved by no more places
  than there are insertions (one way) or deletions (the other) — of d edits
  between names whose lengths differ by Δ, at most (d + Δ)/2 and (d - Δ)/2.

Both names of a pair are held to that: the shorter's segments are looked up
among the longer's substrings, and the longer's among the shorter's (each
name is indexed by its segments and by its substrings at every place).  A
pair must have enough unchanged segments both ways before it is compared.
Only the pairs found that way are compared, by the very test of
`core.names.close_spelling` (its cheap bounds, then the ratio, with the later
name as difflib's first text), so the pairs are those of the pairwise loop.
Pure; `Work` counts what was done, for the tests.

Its limit, measured on random names of one to four words at 0.85: from 2,000 to
20,000 names the index's look-ups grow linearly and the whole work 13.8 times,
but the candidates it returns still grow with the square (about 1% of all pairs),
so far beyond 20,000 names they would dominate again.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Work", "close_pairs", "is_close"]

_SLACK = 1e-9  # bounds are computed loosely: a wider net never loses a pair


@dataclass(slots=True)
class Work:
    """What `close_pairs` did: index look-ups, the names they returned, and the
    pairs compared by ratio (a loop over every pair compares n(n-1)/2)."""

    lookups: int = 0
    hits: int = 0
    compared: int = 0

    @property
    def total(self) -> int:
        return self.lookups + self.hits + self.compared


def is_close(matcher: difflib.SequenceMatcher[str], name: str, threshold: float) -> bool:
    """Whether `name` is spelled `threshold` alike the matcher's second text (a
    matcher indexes that text once, for many names); the cheap upper bounds first
    (lengths, then letters), the real ratio only when they allow it."""
    matcher.set_seq1(name)
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )


def close_pairs(
    names: Sequence[str], threshold: float, work: Work | None = None
) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, such that `is_close(SequenceMatcher(None, "", names[i]),
    names[j], threshold)`: the later name compared with the earlier, as a loop over
    every pair would.  `work`, if given, counts the look-ups and comparisons."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    work = work if work is not None else Work()
    index = _Index(threshold, work)
    found: set[tuple[int, int]] = set()
    matchers: dict[int, difflib.SequenceMatcher[str]] = {}
    # shortest first: each name meets every shorter (or equal, earlier) name once
    for r in sorted(range(len(names)), key=lambda i: (len(names[i]), i)):
        for other in index.candidates(names[r]):
            i, j = (other, r) if other < r else (r, other)
            work.compared += 1
            if i not in matchers:
                matchers[i] = difflib.SequenceMatcher(None, "", names[i])
            if is_close(matchers[i], names[j], threshold):
                found.add((i, j))
        index.add(r, names[r])
    return sorted(found)


_Table = dict[tuple[int, int], dict[str, list[int]]]


class _Index:
    """The names added so far, by their segments and by their substrings."""

    def __init__(self, threshold: float, work: Work) -> None:
        self.threshold = threshold
        self.spread = (2 - threshold) / threshold  # longer / shorter, at most
        self.work = work
        self.segments: _Table = {}  # (length, segment number) -> its text -> names
        self.pieces: _Table = {}  # (length, place) -> the substring there -> names
        self.lengths: list[int] = []  # lengths added so far, ascending
        self.uncut: dict[int, list[int]] = {}  # names too short to cut: always compared
        self.cuts: dict[tuple[int, int], list[tuple[int, int]] | None] = {}
        self.widths: dict[int, set[int]] = {}  # length -> widths of its partners' segments

    def edits(self, total: int) -> int:
        """The most insertions and deletions two close names of `total` letters differ by."""
        return math.floor((1 - self.threshold) * total + _SLACK)

    def longest(self, size: int) -> int:
        """The longest name a name of `size` letters can be close to."""
        return math.floor(size * self.spread + _SLACK)

    def cut(self, size: int, edits: int) -> list[tuple[int, int]] | None:
        if (size, edits) not in self.cuts:
            self.cuts[size, edits] = _segments(size, edits)
        return self.cuts[size, edits]

    def as_shorter(self, size: int) -> list[tuple[int, int]] | None:
        """A name's segments when it is the shorter of a pair: enough for its
        longest partner."""
        return self.cut(size, self.edits(size + self.longest(size)))

    def as_longer(self, size: int) -> list[tuple[int, int]] | None:
        """A name's segments when it is the longer (or equal) of a pair."""
        return self.cut(size, self.edits(2 * size))

    def add(self, number: int, name: str) -> None:
        size = len(name)
        if size not in self.widths:
            self.lengths.append(size)  # names come shortest first: kept sorted
            self.widths[size] = {
                width
                for partner in range(size, self.longest(size) + 1)
                for _, width in self.as_longer(partner) or ()
            }
        cut = self.as_shorter(size)
        if cut is None:
            self.uncut.setdefault(size, []).append(number)
            return
        for segment, (start, width) in enumerate(cut):
            table = self.segments.setdefault((size, segment), {})
            table.setdefault(name[start : start + width], []).append(number)
        for width in self.widths[size]:
            for start in range(size - width + 1):
                table = self.pieces.setdefault((size, start), {})
                table.setdefault(name[start : start + width], []).append(number)

    def candidates(self, name: str) -> list[int]:
        """The names added so far that may be close to `name` (not longer than it)."""
        size = len(name)
        lowest = math.ceil(size / self.spread - _SLACK)
        out: list[int] = []
        for shorter in reversed(self.lengths):
            if shorter < lowest:
                break
            if shorter in self.uncut:
                out.extend(self.uncut[shorter])
            edits = self.edits(shorter + size)
            gap = size - shorter
            # of the edits, at most this many insert into the shorter name, and
            # this many delete from it
            inserted, deleted = (edits + gap) // 2, (edits - gap) // 2
            mine = self.as_shorter(shorter)
            if mine is None:
                continue
            found = self.forward(name, shorter, mine, -deleted, inserted)
            need = len(mine) - edits
            kept = [other for other, count in found.items() if count >= need]
            theirs = self.as_longer(size)
            if theirs is not None and kept:
                back = self.backward(name, shorter, theirs, -inserted, deleted)
                need = len(theirs) - edits
                kept = [other for other in kept if back.get(other, 0) >= need]
            out.extend(kept)
        return out

    def forward(
        self, name: str, shorter: int, cut: list[tuple[int, int]], low: int, high: int
    ) -> dict[int, int]:
        """For each name of length `shorter`: how many of its segments are in `name`,
        each moved by low..high places."""
        counts: dict[int, int] = {}
        for segment, (start, width) in enumerate(cut):
            table = self.segments.get((shorter, segment))
            if not table:
                continue
            seen: set[int] = set()
            for at in range(max(0, start + low), min(len(name) - width, start + high) + 1):
                self.work.lookups += 1
                hits = table.get(name[at : at + width])
                if hits:
                    self.work.hits += len(hits)
                    seen.update(hits)
            for other in seen:
                counts[other] = counts.get(other, 0) + 1
        return counts

    def backward(
        self, name: str, shorter: int, cut: list[tuple[int, int]], low: int, high: int
    ) -> dict[int, int]:
        """For each name of length `shorter`: how many segments of `name` it has,
        each moved by low..high places."""
        counts: dict[int, int] = {}
        for start, width in cut:
            text = name[start : start + width]
            seen: set[int] = set()
            for at in range(max(0, start + low), min(shorter - width, start + high) + 1):
                self.work.lookups += 1
                table = self.pieces.get((shorter, at))
                hits = table.get(text) if table else None
                if hits:
                    self.work.hits += len(hits)
                    seen.update(hits)
            for other in seen:
                counts[other] = counts.get(other, 0) + 1
        return counts


def _segments(size: int, edits: int) -> list[tuple[int, int]] | None:
    """`size` letters cut into `edits + 1` segments (start, width) as even as can be
    (an empty name: one empty segment); None when the name is too short for that
    (only at low thresholds): its partners are then all compared."""
    if size == 0:
        return [(0, 0)]
    if size < edits + 1:
        return None
    count = edits + 1
    base, extra = divmod(size, count)
    out: list[tuple[int, int]] = []
    start = 0
    for number in range(count):
        width = base + (1 if number >= count - extra else 0)
        out.append((start, width))
        start += width
    return out
