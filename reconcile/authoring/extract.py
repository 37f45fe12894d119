"""Find the figures in an article that could be counts of people.

`extract(text)` splits the text into sentences, finds every number in the
ledger's grammar (`numbers.find_numbers`, plus the vague amounts of
`figures.VAGUE`), reads the qualifier words before it (`figures.qualified_at`)
and ranges ("10,000-12,000", "between 300 and 500"), and for each figure
guesses, from the words around it:

* its **kind** (`Kind`): a `figure` is a count of people with a casualty,
  deployment or capture word; `people` is a count of people that is not such a
  figure (a unit's size, "a detachment of 10"; a breakdown, "including 500
  officers"; people with no such word, "two men"); `not-people` is anything
  else (a date or year, an age, a duration, money, equipment, "one of them").
  `kind_reason` says which words decided it.
* its **metric** and the cue word that decided it, by these rules in order:
  "N of (the) M ...": M is the whole (its deployment word, if any) and N the
  part (the casualty word after M); else the words after the number up to the
  next number or the clause's end, casualty words ranking above deployment
  ones (in "300 soldiers sent to Russia have died" the soldiers died); else
  the nearest cue word before the number; else, for 100 or more soldiers or
  troops, `deployed` (low confidence).
* its **claimant**: the attribution nearest to the number ("said", "stated",
  "according to", "estimated", "believes", ...) and the name it attaches to.
* **date hints**: the dates and relative times the sentence mentions.
* a **confidence** (`Confidence`): `high` when a cue word right after the number
  decides the metric and an attribution names the claimant; `medium` when one
  of the two is weaker (cue before the number, claimant not named); `low` for
  a metric guessed from "soldiers" alone, a vague amount, or no metric at all.

Everything here is pure, regex based (linear-time patterns) and never raises.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reconcile.core.cues import (
    ATTRIBUTION,
    BREAKDOWN_BEFORE,
    CLAUSE_END,
    CUE,
    DATE_HINT,
    DAYS,
    DEMONYM,
    ENTITY,
    MILITARY_AFTER,
    MONEY_BEFORE,
    MONTH_WORD,
    NOT_NAMES,
    NOT_PEOPLE_AFTER,
    PART_OF,
    PEOPLE,
    PRONOUNS,
    RANGE_GAP,
    RANK,
    ROLE,
    UNIT_BEFORE,
    WORD,
    cue_metric,
)
from reconcile.core.figure_text import format_interval
from reconcile.core.figures import VAGUE, Figure, FigureError, parse_figure, qualified_at
from reconcile.core.issues import Issue, Location, warning
from reconcile.core.models import Metric
from reconcile.core.numbers import NumberMention, ambiguous_runs, find_numbers
from reconcile.core.sentences import Sentence, sentences

__all__ = ["Confidence", "Extracted", "Kind", "Sentence", "extract", "sentences"]


class Kind(StrEnum):
    FIGURE = "figure"
    PEOPLE = "people"
    NOT_PEOPLE = "not-people"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class Extracted:
    """One figure found in a text, with the guesses about what it counts."""

    sentence: Sentence
    start: int  # the figure's words, qualifier included: text[start:end]
    end: int
    phrase: str  # the figure as the ledger would record it ("around 3,800")
    figure: Figure
    numbers: tuple[NumberMention, ...]  # empty for a vague amount
    kind: Kind
    kind_reason: str
    metric: Metric | None
    metric_cue: str | None
    claimant: str | None
    claimant_cue: str | None
    dates: tuple[str, ...]
    confidence: Confidence
    confidence_reason: str

    def to_json(self) -> dict[str, Any]:
        figure = self.figure
        return {
            "figure": self.phrase,
            "start": self.start,
            "end": self.end,
            "numbers": list(figure.numbers),
            "qualifier": figure.qualifier.value,
            "interval": format_interval(figure.interval),
            "low": figure.interval.low,
            "high": figure.interval.high,
            "best": figure.best,
            "kind": self.kind.value,
            "kind_reason": self.kind_reason,
            "metric": self.metric.value if self.metric else None,
            "metric_cue": self.metric_cue,
            "claimant": self.claimant,
            "claimant_cue": self.claimant_cue,
            "dates": list(self.dates),
            "confidence": self.confidence.value,
            "confidence_reason": self.confidence_reason,
            "sentence": self.sentence.text,
            "sentence_start": self.sentence.start,
            "sentence_end": self.sentence.end,
        }


# --- extraction -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    figure: Figure
    numbers: tuple[NumberMention, ...]


def extract(text: str) -> list[Extracted]:
    """Every figure in `text`, in order, with what it most likely counts."""
    found: list[Extracted] = []
    for sentence in sentences(text):
        found.extend(_in_sentence(text, sentence))
    return found


def _in_sentence(text: str, sentence: Sentence) -> list[Extracted]:
    body = sentence.text
    candidates = _candidates(body)
    kinds = [
        _kind(body, c, candidates[i - 1] if i else None, candidates[i + 1 : i + 2])
        for i, c in enumerate(candidates)
    ]
    # a breakdown or unit size continues: "including 500 officers and three
    # generals", "units of two or three members"
    for i in range(1, len(candidates)):
        gap = body[candidates[i - 1].end : candidates[i].start]
        if (
            kinds[i - 1][1] in (_UNIT_SIZE, _BREAKDOWN)
            and re.search(r"(?:,|\band\b|\bor\b)", gap)
            and len(gap.split()) <= 4
        ):
            kinds[i] = kinds[i - 1]
    metrics = _metrics(body, candidates, kinds)
    attributions = list(ATTRIBUTION.finditer(body))
    starts = [m.start() for m in attributions]
    dates = tuple(dict.fromkeys(" ".join(m.group().split()) for m in DATE_HINT.finditer(body)))
    results = []
    for candidate, decided, (metric, cue, cue_after) in zip(
        candidates, kinds, metrics, strict=True
    ):
        kind, reason = decided
        if kind is Kind.FIGURE and metric is None:
            kind, reason = (
                Kind.PEOPLE,
                "a count of people with no casualty, deployment or capture word",
            )
        claimant, claim_cue = _claimant(body, candidate, attributions, starts)
        confidence, why = _confidence(
            kind,
            c=candidate,
            metric=metric,
            cue_after=cue_after,
            claimant=claimant,
            claim_cue=claim_cue,
        )
        offset = sentence.start
        results.append(
            Extracted(
                sentence=sentence,
                start=offset + candidate.start,
                end=offset + candidate.end,
                phrase=" ".join(body[candidate.start : candidate.end].split()),
                figure=candidate.figure,
                numbers=tuple(
                    NumberMention(m.value, m.start + offset, m.end + offset, m.text)
                    for m in candidate.numbers
                ),
                kind=kind,
                kind_reason=reason,
                metric=metric if kind is Kind.FIGURE else None,
                metric_cue=cue if kind is Kind.FIGURE else None,
                claimant=claimant,
                claimant_cue=claim_cue,
                dates=dates,
                confidence=confidence,
                confidence_reason=why,
            )
        )
    return results


def _candidates(body: str) -> list[_Candidate]:
    """The figures of one sentence: numbers with their qualifiers, ranges, vague amounts."""
    mentions = find_numbers(body)
    out: list[_Candidate] = []
    i = 0
    while i < len(mentions):
        mention = mentions[i]
        if i + 1 < len(mentions):
            ranged = _range(body, mention, mentions[i + 1])
            if ranged is not None:
                out.append(ranged)
                i += 2
                continue
        qualified = qualified_at(body, mention)
        start = mention.start
        figure: Figure | None = qualified
        if qualified is not None:
            start = _phrase_start(body, mention, qualified)
        else:
            more = re.match(r"\s++or\s++more\b", body[mention.end : mention.end + 40], re.I)
            if more:
                figure = _parse(body[mention.start : mention.end + more.end()])
                end = mention.end + more.end() if figure else mention.end
                if figure is not None:
                    out.append(_Candidate(start, end, figure, (mention,)))
                    i += 1
                    continue
            figure = _parse(mention.text)
        if figure is not None:
            out.append(_Candidate(start, mention.end, figure, (mention,)))
        i += 1
    # a vague amount inside a number's phrase is part of it: one look-up per
    # match (the numbers' starts, and the furthest end reached so far), so a
    # text of nothing but vague words stays linear
    spans = sorted((c.start, c.end) for c in out)
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))
    for match in _VAGUE.finditer(body):
        before = bisect.bisect_right(starts, match.start()) - 1
        if before >= 0 and reach[before] > match.start():
            continue
        figure = _parse(match.group())
        if figure is not None:
            out.append(_Candidate(match.start(), match.end(), figure, ()))
    out.sort(key=lambda c: c.start)
    return out


_VAGUE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        r"\s++".join(map(re.escape, p.split())) for p in sorted(VAGUE, key=len, reverse=True)
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)


def _parse(phrase: str) -> Figure | None:
    try:
        return parse_figure(" ".join(phrase.split()))
    except FigureError:
        return None


_NEAR = 200
"""How far (in characters) the cues around a figure are looked for: it keeps a
huge unpunctuated "sentence" linear."""


def _near_before(body: str, pos: int) -> str:
    return body[max(0, pos - _NEAR) : pos]


def _phrase_start(body: str, mention: NumberMention, figure: Figure) -> int:
    """Where the qualifier words of `figure` start, just before `mention`."""
    count = len(figure.text.split()) - len(mention.text.split())
    words = list(WORD.finditer(body, max(0, mention.start - 200), mention.start))
    return words[-count].start() if 0 < count <= len(words) else mention.start


def _range(body: str, low: NumberMention, high: NumberMention) -> _Candidate | None:
    gap = body[low.end : high.start]
    if RANGE_GAP.match(gap):
        before = re.search(r"\b(?:from)\s++$", _near_before(body, low.start), re.IGNORECASE)
        offset = max(0, low.start - _NEAR)
        start = offset + before.start() if before and "to" in gap.lower() else low.start
    elif re.fullmatch(r"\s++and\s++", gap, re.IGNORECASE):
        before = re.search(r"\bbetween\s++$", _near_before(body, low.start), re.IGNORECASE)
        if before is None:
            return None
        start = max(0, low.start - _NEAR) + before.start()
    else:
        return None
    figure = _parse(body[start : high.end])
    if figure is None:
        return None
    return _Candidate(start, high.end, figure, (low, high))


_UNIT_SIZE = "the size of a unit ('a detachment of 10'), not a casualty figure"
_BREAKDOWN = "a breakdown of another figure ('including')"


def _kind(
    body: str, c: _Candidate, previous: _Candidate | None, following: list[_Candidate]
) -> tuple[Kind, str]:
    """Is this figure a count of people, and could it be a ledger figure?"""
    before, after = _near_before(body, c.start), body[c.end : c.end + _NEAR]
    first = c.numbers[0] if c.numbers else None
    if first is not None and first.text.isdigit():
        prev_word = before.split()[-1] if before.split() else ""
        next_word = after.split()[0] if after.split() else ""
        if MONTH_WORD.match(prev_word.rstrip(",")) or MONTH_WORD.match(next_word.strip(",.")):
            return Kind.NOT_PEOPLE, "a date"
        if len(first.text) == 4 and 1900 <= first.value <= 2100 and not c.figure.words:
            return Kind.NOT_PEOPLE, "a year"
        if before.rstrip().endswith("(") and after.lstrip().startswith(")"):
            return Kind.NOT_PEOPLE, "an age or an aside in brackets: 'Paek (21)'"
    if MONEY_BEFORE.search(before):
        return Kind.NOT_PEOPLE, "money"
    for pattern, reason in NOT_PEOPLE_AFTER:
        if pattern.match(after):
            return Kind.NOT_PEOPLE, reason
    if UNIT_BEFORE.search(before):
        return Kind.PEOPLE, _UNIT_SIZE
    if BREAKDOWN_BEFORE.search(before):
        return Kind.PEOPLE, _BREAKDOWN
    if (
        first is not None
        and first.text.lower() == "one"
        and (re.match(r"\s++of\b", after, re.IGNORECASE) or not PEOPLE.match(after))
    ):
        return Kind.NOT_PEOPLE, "'one' as a pronoun ('one of them', 'one said')"
    if PEOPLE.match(after) or CUE.match(after.lstrip()) or _cue_follows(after):
        return Kind.FIGURE, "a count of people"
    if previous is not None and RANGE_GAP.match(body[previous.end : c.start]):
        return Kind.FIGURE, "a count of people"
    if following and c.numbers and PART_OF.match(body[c.end : following[0].start]):
        return Kind.FIGURE, "a count of people, part of the next figure ('3,800 of 12,000')"
    return Kind.NOT_PEOPLE, "no people, casualty, deployment or capture word after it"


def _cue_follows(after: str) -> bool:
    """'2,700 were injured', '300 dead': a cue within three words of the number."""
    head = " ".join(after.split()[:3])
    return re.match(
        r"^(?:\W*+(?:were|have|had|been|was|are|is|more|others?)\W++){0,2}", head
    ) is not None and bool(CUE.search(head))


def _window_after(body: str, c: _Candidate, following: _Candidate | None) -> tuple[int, int]:
    end = following.start if following is not None else len(body)
    clause = CLAUSE_END.search(body, c.end, end)
    if clause is not None:
        end = clause.start()
    words = list(WORD.finditer(body, c.end, end))
    if len(words) > 15:
        end = words[14].end()
    return c.end, end


def _best_cue(
    body: str, start: int, end: int, skip: frozenset[Metric] = frozenset()
) -> tuple[Metric, str] | None:
    best: tuple[int, Metric, str] | None = None
    for match in CUE.finditer(body, start, end):
        metric = cue_metric(match)
        if metric in skip:
            continue
        rank = RANK[metric]
        if best is None or rank < best[0]:
            best = (rank, metric, " ".join(match.group().split()))
    return (best[1], best[2]) if best else None


def _metrics(
    body: str, candidates: list[_Candidate], kinds: list[tuple[Kind, str]]
) -> list[tuple[Metric | None, str | None, bool]]:
    """(metric, cue, whether the cue came after the number) for each candidate."""
    counted = [i for i, (kind, _) in enumerate(kinds) if kind is Kind.FIGURE]
    counted_set = set(counted)
    out: list[tuple[Metric | None, str | None, bool]] = [(None, None, False)] * len(candidates)
    wholes: set[int] = set()
    for position, i in enumerate(counted):
        c = candidates[i]
        following = candidates[counted[position + 1]] if position + 1 < len(counted) else None
        nxt = candidates[i + 1] if i + 1 < len(candidates) else None
        if nxt is not None and i + 1 in counted_set and PART_OF.match(body[c.end : nxt.start]):
            # "3,800 of the approximately 12,000 soldiers deployed had died"
            after_next = candidates[counted[position + 2]] if position + 2 < len(counted) else None
            start, end = _window_after(body, nxt, after_next)
            part = _best_cue(body, start, end, frozenset({Metric.DEPLOYED}))
            whole = _best_cue(body, start, end, frozenset(set(Metric) - {Metric.DEPLOYED}))
            if part is not None:
                out[i] = (part[0], part[1], True)
            if whole is not None:
                out[i + 1] = (whole[0], whole[1], True)
                wholes.add(i + 1)
            continue
        if i in wholes or out[i][0] is not None:
            continue
        start, end = _window_after(body, c, following)
        cue = _best_cue(body, start, end)
        if cue is not None:
            out[i] = (cue[0], cue[1], True)
            continue
        previous = candidates[counted[position - 1]] if position else None
        floor = previous.end if previous is not None else 0
        words = list(WORD.finditer(body, floor, c.start))[-10:]
        lookback = words[0].start() if words else c.start
        before = list(CUE.finditer(body, lookback, c.start))
        if before:
            match = before[-1]
            out[i] = (cue_metric(match), " ".join(match.group().split()), False)
            continue
        noun = MILITARY_AFTER.match(body[c.end : c.end + _NEAR])
        if noun is not None and c.numbers and c.figure.interval.low >= 100:
            out[i] = (Metric.DEPLOYED, noun.group("noun"), False)
    return out


def _claimant(
    body: str, c: _Candidate, attributions: list[re.Match[str]], starts: list[int]
) -> tuple[str | None, str | None]:
    """The attribution nearest to the figure and the name it attaches to.

    `attributions`: every attribution word of the sentence, in order."""
    middle = (c.start + c.end) // 2
    at = bisect.bisect_left(starts, middle)
    cues = attributions[max(0, at - 2) : at + 2]
    if not cues:
        return None, None
    cue = min(cues, key=lambda m: min(abs(m.start() - middle), abs(m.end() - middle)))
    word = " ".join(cue.group().split())
    lowered = word.lower()
    if lowered in ("according to", "cited by", "citing"):
        name = _entity_at(body, cue.end())
        return name, word
    subject = _entity_before(body, cue.start(), adjacent=True)
    if subject is not None:
        return subject, word
    inverted = None if lowered == "told" else _entity_at(body, cue.end())
    if inverted is not None:
        return inverted, word
    return _entity_before(body, cue.start(), adjacent=False), word


def _entity_at(body: str, pos: int) -> str | None:
    rest = re.match(r"\s++(?:the\s++)?", body[pos : pos + 40])
    start = pos + (rest.end() if rest else 0)
    match = ENTITY.match(body, start)
    return _clean_entity(match.group()) if match else None


def _entity_before(body: str, pos: int, *, adjacent: bool) -> str | None:
    best = None
    for match in ENTITY.finditer(body, max(0, pos - 4 * _NEAR), pos):
        name = _clean_entity(match.group())
        if name is None:
            continue
        if adjacent:
            gap = body[match.end() : pos]
            if gap.strip() and not re.fullmatch(r"\s*+(?:also|has|have|had|was|first)\s*+", gap):
                continue
        best = name
    return best


def _clean_entity(name: str) -> str | None:
    words = name.split()
    while words and (words[0].lower() in NOT_NAMES or MONTH_WORD.match(words[0])):
        words = words[1:]
    if not words:
        return None
    text = re.sub(r"\s*+\([0-9]{1,3}\)", "", " ".join(words))
    if text.endswith(".") and not re.search(r"(?:\b[A-Z]\.)+$", text):
        text = text.rstrip(".")
    if find_numbers(text) and find_numbers(text)[0].text == text:
        return None
    if re.split(r"['’]", text.lower())[0] in PRONOUNS or re.fullmatch(rf"(?:{DAYS})", text):
        return None
    if (
        not re.search(rf"\b(?:{ROLE})$", text, re.IGNORECASE)
        and DEMONYM.search(text)
        and (
            len(words) <= 2
            and all(w[0].isupper() for w in words)
            and text.split()[-1].endswith("an")
        )
    ):
        return None  # "North Korean", "Ukrainian": an adjective, not a claimant
    return text


def _confidence(
    kind: Kind,
    *,
    c: _Candidate,
    metric: Metric | None,
    cue_after: bool,
    claimant: str | None,
    claim_cue: str | None,
) -> tuple[Confidence, str]:
    if kind is not Kind.FIGURE or metric is None:
        return Confidence.LOW, "not a casualty, deployment or capture figure"
    if not c.numbers:
        return Confidence.LOW, "a vague amount"
    strong_metric = cue_after
    if strong_metric and claimant is not None:
        return Confidence.HIGH, "cue word after the number and a named claimant"
    if strong_metric or claimant is not None:
        missing = (
            "no named claimant" if claimant is None else "metric from a word before the number"
        )
        if claim_cue is not None and claimant is None:
            missing = f"attribution '{claim_cue}' without a name"
        return Confidence.MEDIUM, missing
    return Confidence.LOW, "metric guessed from a word before the number, no claimant"


def ambiguous_numbers(name: str, text: str, comma: bool) -> list[Issue]:
    """A located warning for each number of `text` not read because its grouping
    is ambiguous (`4.000`): extract names what it does not read."""
    other = "--decimal-comma reads dots as thousands" if not comma else "commas are decimals here"
    found: list[Issue] = []
    for offset, run in ambiguous_runs(text):
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        found.append(
            warning(
                "ambiguous-number",
                f"'{run}' could be a grouped count or a decimal and is not read ({other})",
                Location(name, line, column),
            )
        )
    return found
