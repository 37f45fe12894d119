"""What a quote says, beyond containing the number (warnings).

- `metric-not-in-quote`: the quote puts the figure under another metric
  ("another 2,700 were injured" recorded as killed): the cue words `extract`
  knows ("killed", "injured", "captured", "deployed", ...) that follow the
  number, up to the next number or the clause's end, include none of the
  ledger's metric.  Killed or wounded against casualties (combined) is not
  flagged, since sources mix them; a number with no cue word after it is not
  judged.
- `claimant-not-in-quote`: neither the quote nor the text just before it
  (the same paragraph, up to `BEFORE` characters) names the claimant by its
  name, a short form of it, or an alias.  Checked only where the document's
  text is archived.

Both are warnings: a person who has checked the entry acknowledges them
(`acknowledged:` in the entry, with a reason).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reconcile.checks.context import Context
from reconcile.checks.provenance import Numbers
from reconcile.core.cues import CLAUSE_END, CUE, METRIC_CUES
from reconcile.core.issues import Issue, Location, warning
from reconcile.core.models import Estimate, Metric, Source
from reconcile.core.numbers import NumberMention
from reconcile.core.text import normalise
from reconcile.ingest.origins import Origins

BEFORE = 600
"""Characters before the quote in which the claimant may be named ("..., Zelensky said.
<quote>")."""
AFTER = 200
_STOP = frozenset({"of", "the", "and", "for", "in", "on", "de", "la", "du"})


def check(context: Context) -> list[Issue]:
    """Uses provenance's `numbers` and `bodies` from the context (each quote's
    numbers, each document's normalised text), computed once per run.  A warning
    the estimate acknowledges goes to the context's `acknowledged` (unlocated: see
    acknowledge.acknowledge) instead."""
    ledger, where, texts = context.ledger, context.origins, context.texts
    numbers, bodies, acknowledged = context.numbers, context.bodies, context.acknowledged
    normal = context.quotes
    aside = [] if acknowledged is None else acknowledged
    issues: list[Issue] = []
    bodies = {} if bodies is None else bodies
    numbers = Numbers() if numbers is None else numbers
    # kept for the run (context.memo): checks.parallel calls this once per chunk
    cues: dict[tuple[str, bool], dict[int, frozenset[Metric]]] = context.kept("meaning.cues")
    """(quote, decimal comma) -> its cues: read as its document's language reads it."""
    sources: dict[str, Source] = context.once("meaning.sources", lambda: _by_id(ledger.sources))
    names: dict[str, tuple[str, ...]] = context.kept("meaning.names")
    # a normalised text -> it in lower case, where one is needed; whether it is ASCII
    lowered: dict[str, str] = context.kept("meaning.lowered")
    plain: dict[str, bool] = context.kept("meaning.plain")
    # a quote is read as provenance read it: with a decimal comma in such a language
    commas = context.decimal_commas()
    for estimate in context.own:
        quotes = [normal[report.quote] for report in estimate.reported_in]
        read = _cues_of(estimate, quotes, commas, numbers, cues)
        for metric, figure in estimate.figures().items():
            if not figure.numbers:
                continue
            said = _metrics_said(figure.numbers[0], read)
            if said and not any(_compatible(metric, other) for other in said):
                other = ", ".join(sorted(m.value for m in said))
                if "metric-not-in-quote" in estimate.acknowledged:
                    aside.append(_aside(where, estimate, "metric-not-in-quote"))
                    continue
                issues.append(
                    warning(
                        "metric-not-in-quote",
                        f"{metric} '{figure.text}': its quotes give this number as {other}",
                        where.at(estimate, metric.value),
                        hint=f"check the metric; record it as {other} if the quote is right",
                    )
                )
        source = sources.get(estimate.claimant)
        if source is None:
            continue
        if source.id not in names:
            names[source.id] = _lowered_names(source)
        for number, (report, quote) in enumerate(zip(estimate.reported_in, quotes, strict=True)):
            text = texts.get(report.document)
            if text is None:
                continue
            if report.document not in bodies:
                bodies[report.document] = normalise(text)
            folded = quote.lower()
            found = _found_lowered(bodies[report.document], quote, folded, lowered, plain)
            if found is None:
                continue  # quote-not-found says it
            body, at = found
            start, end = max(0, at - BEFORE), at + len(folded) + AFTER
            if not _named(names[source.id], body, start, end) and not _all_words(
                source, body[start:end]
            ):
                if "claimant-not-in-quote" in estimate.acknowledged:
                    aside.append(_aside(where, estimate, "claimant-not-in-quote"))
                    continue
                issues.append(
                    warning(
                        "claimant-not-in-quote",
                        f"claimant '{source.id}' ({source.name}) is not named in or just "
                        f"before this quote",
                        where.at(estimate, "reported_in", number, "quote"),
                        hint="check the claimant, or add the name the article uses as an alias",
                    )
                )
    return issues


_WINDOW = 120

PREFIX = 1 << 16
"""At most this much of a document is put in lower case for one quote; past it, the
document's whole text is, once per run (`_found_lowered`)."""


def _found_lowered(
    body: str, quote: str, folded: str, lowered: dict[str, str], plain: dict[str, bool]
) -> tuple[str, int] | None:
    """The document's text in lower case (or enough of it) and where the quote
    (`folded`: in lower case) first stands in it, as `body.lower().find(folded)`
    says; None if it does not.

    An ASCII text keeps its offsets in lower case, and each character's lower case is
    its own, so where the quote stands as written (`exact`, which provenance needs
    anyway) the text up to it and `AFTER` characters past it is put in lower case
    alone: no lower-case copy of each document is kept (at 100,000 estimates, one
    of the whole archive).  Past `PREFIX` characters, or when the quote does not
    stand as written, or in a text that is not ASCII ('İ' lowers to two characters,
    'Σ' by its neighbours), the whole text is, once per run (`lowered`).
    tests/test_checks_fast.py compares this with `body.lower()`."""
    ascii_text = plain.get(body)  # whether each text is ASCII, found once per run
    if ascii_text is None:
        ascii_text = plain[body] = body.isascii()
    exact = body.find(quote) if ascii_text else -1
    if exact >= 0 and exact + len(quote) + AFTER <= PREFIX:
        part = body[: exact + len(quote) + AFTER].lower()
        return part, part.find(folded, 0, exact + len(quote))
    whole = lowered.get(body)
    if whole is None:
        whole = lowered[body] = body.lower()
    at = whole.find(folded)
    return None if at < 0 else (whole, at)


def _aside(where: Origins, estimate: Estimate, check: str) -> tuple[object, str, Issue]:
    """An acknowledged warning, placed at its file only (locating it could cost a parse)."""
    path = where.file_of(estimate).path
    issue = warning(check, f"acknowledged in estimate '{estimate.id}'", Location(path))
    return (estimate, check, issue)


def _lower_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` (IGNORECASE, written in lower case) for text already in lower case.

    On ASCII text the two find the same matches: of ASCII characters, IGNORECASE
    only pairs a letter with its other case (its other pairs, such as 's' and the
    long 's', are not ASCII), and lower-casing ASCII keeps every offset, word
    boundary and space.  tests/test_checks_fast.py compares them."""
    written = pattern.pattern.replace("(?P<", "(?p<")  # a named group's P is no letter
    assert pattern.flags & re.IGNORECASE and written == written.lower()
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_CUE = re.compile(
    r"\b(?:" + "|".join(rf"(?P<m{i}>(?:{cue})\b)" for i, (_, cue) in enumerate(METRIC_CUES)) + ")",
    CUE.flags,
)
"""core/cues.py's CUE with its leading word boundary taken out of the alternation
(checked once per position, not once per metric): the same matches, three times
as fast.  tests/test_checks_fast.py compares them."""
_CUE_LOWER = _lower_case(_CUE)
_CLAUSE_END_LOWER = re.compile(
    r"[;:()\swb](?:(?<=[;:()])|(?<=\s)[-–—]\s|(?<!\w[wb])(?:(?<=w)(?:hile|hereas)|(?<=b)ut)\b)"
)
"""core/cues.py's CLAUSE_END, `[;:()]|\\s[-–—]\\s|\\bwhile\\b|\\bwhereas\\b|\\bbut\\b`, for
text in lower case: opened by one character class (what each branch must begin
with), so the scan skips to the next candidate in C, then told apart by what
it opened with.  The same match starts, in a third of the time; a text that is
not ASCII is read with CLAUSE_END itself.  tests/test_checks_fast.py compares them."""
_CUE_METRIC = {f"m{i}": metric for i, (metric, _) in enumerate(METRIC_CUES)}
"""CUE's group names -> their metrics (core/cues.py `cue_metric`)."""


def _by_id(sources: Sequence[Source]) -> dict[str, Source]:
    """Each source by its id, the first of a duplicate id (references' business)."""
    found: dict[str, Source] = {}
    for each in sources:
        found.setdefault(each.id, each)
    return found


def _cues_after(quote: str, mentions: list[NumberMention]) -> dict[int, frozenset[Metric]]:
    """Each number of the quote -> the metrics whose cue words follow it, up to the
    next number or the clause's end ("another 2,700 were injured": wounded); an
    empty set when some mention of the number has none."""
    found: dict[int, frozenset[Metric]] = {}
    clause_end, cue, text = CLAUSE_END, _CUE, quote
    if quote.isascii():  # the same matches, in lower case without IGNORECASE: twice as fast
        clause_end, cue, text = _CLAUSE_END_LOWER, _CUE_LOWER, quote.lower()
    for position, mention in enumerate(mentions):
        if found.get(mention.value) == frozenset():
            continue
        end = mentions[position + 1].start if position + 1 < len(mentions) else len(quote)
        end = min(end, mention.end + _WINDOW)
        clause = clause_end.search(text, mention.end, end)
        window = text[mention.end : clause.start() if clause else end]
        metrics = frozenset({_CUE_METRIC[match.lastgroup or ""] for match in cue.finditer(window)})
        metrics = found.get(mention.value, frozenset()) | metrics if metrics else frozenset()
        found[mention.value] = _SETS.setdefault(metrics, metrics)
    return found


_SETS: dict[frozenset[Metric], frozenset[Metric]] = {}
"""Each set of metrics `_cues_after` found, held once (at most one per subset of the
metrics): a set per number of every quote, kept for the run, was about 30 MB of a
100,000-estimate ledger, over both processes of checks/parallel.py."""


def _cues_of(
    estimate: Estimate,
    quotes: list[str],
    commas: dict[str, bool],
    numbers: Numbers,
    cues: dict[tuple[str, bool], dict[int, frozenset[Metric]]],
) -> list[dict[int, frozenset[Metric]]]:
    """The cues of each of the estimate's quotes (normalised: `quotes`), each read as
    its document's language reads numbers; kept in `cues` by (quote, decimal comma),
    since one quote cited through documents of two languages reads differently."""
    read = []
    for report, quote in zip(estimate.reported_in, quotes, strict=True):
        key = (quote, commas.get(report.document, False))
        found = cues.get(key)
        if found is None:
            found = cues[key] = _cues_after(quote, numbers[key])
        read.append(found)
    return read


def _metrics_said(value: int, quotes: list[dict[int, frozenset[Metric]]]) -> set[Metric]:
    """The metrics the quotes give `value` under; empty when a mention has no cue word
    after it (nothing to hold the ledger to)."""
    found: set[Metric] = set()
    for said in quotes:
        metrics = said.get(value)
        if metrics is None:
            continue
        if not metrics:
            return set()
        found |= metrics
    return found


def _compatible(metric: Metric, said: Metric) -> bool:
    """Casualties (combined) and killed or wounded are not told apart (sources mix them);
    killed against wounded is a swap."""
    if metric is said:
        return True
    pair = {metric, said}
    return Metric.CASUALTIES in pair and bool(pair & {Metric.KILLED, Metric.WOUNDED})


def _lowered_names(source: Source) -> tuple[str, ...]:
    """The source's names, in lower case, each once."""
    return tuple(dict.fromkeys(name.lower() for name in _names(source)))


def _named(names: tuple[str, ...], body: str, start: int, end: int) -> bool:
    r"""Whether one of `names` stands in `body[start:end]` as whole words: what the
    regex `(?<!\w)(?:name|...)(?!\w)` finds searching from `start` to `end` (the
    character before `start` is seen, the one at `end` is not), with `str.find`
    and no pattern to compile per source (tests/test_checks_fast.py holds the regex
    as the reference)."""
    end = min(end, len(body))
    for name in names:
        at = body.find(name, start, end)
        while at >= 0:
            after = at + len(name)
            if (at == 0 or not _word(body[at - 1])) and (after >= end or not _word(body[after])):
                return True
            at = body.find(name, at + 1, end)
    return False


def _word(char: str) -> bool:
    r"""What the regex `\w` matches (letters, digits, numerics and '_')."""
    return char.isalnum() or char == "_"


def _all_words(source: Source, text: str) -> bool:
    """Every capitalised word of the name is in `text` (lower case): "Paek (21) and Ri
    (26)" names "Paek and Ri"."""
    short = re.split(r"[,(]", source.name)[0]
    words = [w for w in re.findall(r"[\w'’-]+", short) if w.lower() not in _STOP]
    capitalised = [w.lower() for w in words if w[:1].isupper()]
    return bool(capitalised) and all(
        re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in capitalised
    )


def _names(source: Source) -> list[str]:
    names = [source.name, *source.aliases]
    short = re.split(r"[,(]", source.name)[0].strip()
    names.append(short)
    core = short.split(" of ")[0]
    if len(core.split()) >= 2:
        names.append(core)
    for part in re.findall(r"\(([^)]+)\)", source.name):  # "(NIS)"
        names.append(part)
    return [name for name in names if len(name) >= 2]
