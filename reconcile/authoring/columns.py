"""How `reconcile import` reads a spreadsheet: its rows, its fields and the column
names it knows for each, the words for each metric, yes/no for `party`, and the
source ids it makes from names."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from reconcile.core.dates import parse_span
from reconcile.core.issues import Issue, Location, error
from reconcile.core.models import METRICS, Metric
from reconcile.core.numbers import find_numbers

FIELDS = ("date", "low", "high", "best", "words", "metric", "claimant", "url", "subject",
          "party", "kind", "quote", "title", "notes")  # fmt: skip
DEFAULT_COLUMNS: dict[str, str] = {
    **{name: name for name in FIELDS},
    "as of": "date", "as_of": "date", "claim date": "date", "day": "date",
    "min": "low", "minimum": "low", "lower": "low", "low estimate": "low", "estimate low": "low",
    "max": "high", "maximum": "high", "upper": "high", "high estimate": "high",
    "estimate high": "high",
    "best estimate": "best", "estimate": "best", "figure": "best", "value": "best",
    "number": "best", "count": "best",
    "wording": "words", "phrase": "words", "as worded": "words",
    "type": "metric", "category": "metric", "what": "metric",
    "source": "claimant", "who": "claimant", "claimed by": "claimant", "by": "claimant",
    "link": "url", "source url": "url", "article": "url",
    "belligerent": "party", "is party": "party", "party to conflict": "party",
    "party to the conflict": "party",
    "source kind": "kind", "excerpt": "quote", "text": "quote",
    "headline": "title", "note": "notes", "comment": "notes", "comments": "notes",
}  # fmt: skip
REQUIRED = ("date", "metric", "claimant")
UNNAMED_PARTY = "UNNAMED-PARTY"
"""The party recorded for a claimant marked as a party without a name: fix it."""
PLACEHOLDER = "no quote yet:"
"""How a placeholder quote starts: it states the figure and nothing else (no file name
or row number, so importing the same claim twice gives the same quote)."""
METRIC_WORDS: dict[str, Metric] = {
    **{metric.value: metric for metric in METRICS},
    "dead": Metric.KILLED, "deaths": Metric.KILLED, "died": Metric.KILLED,
    "fatalities": Metric.KILLED, "kia": Metric.KILLED,
    "injured": Metric.WOUNDED, "wia": Metric.WOUNDED, "injuries": Metric.WOUNDED,
    "killed or wounded": Metric.CASUALTIES, "killed and wounded": Metric.CASUALTIES,
    "losses": Metric.CASUALTIES, "casualty": Metric.CASUALTIES,
    "troops": Metric.DEPLOYED, "sent": Metric.DEPLOYED, "deployment": Metric.DEPLOYED,
    "prisoners": Metric.CAPTURED, "pows": Metric.CAPTURED, "pow": Metric.CAPTURED,
    "mia": Metric.MISSING,
}  # fmt: skip
YES = frozenset({"yes", "y", "true", "1", "party", "x"})
NO = frozenset({"no", "n", "false", "0", "", "third-party", "third party", "none"})


def columns_for(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Field -> column index: explicit `mapping` (column name -> field) first, then defaults."""
    explicit = {column_key(column): target for column, target in mapping.items()}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = column_key(name)
        target = explicit.get(key) or (DEFAULT_COLUMNS.get(key) if key not in explicit else None)
        if target and target not in found:
            found[target] = index
    return found


def column_key(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").lower().split())


def csv_rows(text: str, name: str) -> tuple[list[tuple[int, list[str]]], Issue | None]:
    """(line, cells) per record; a CSV syntax error stops reading and is reported."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            out.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        return out, error(
            "import-unreadable",
            f"cannot read the CSV from here on: {exc}; the rows after it are not imported",
            Location(name, line, 1),
        )
    return out, None


def slug(name: str) -> str:
    """A source id from a name: 'Volodymyr Zelensky' -> 'volodymyr-zelensky'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return text[:80].rstrip("-")


def bare_name(name: str) -> str:
    """A name without punctuation or case: 'N.I.S.' -> 'nis'."""
    return slug(re.sub(r"[^\w\s]", "", name))


_URL_AND_PROSE = re.compile(r"^(https?://[^\s]+)\s+(.+)$", re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def split_url(cell: str) -> tuple[str | None, str]:
    """(url, note) of a url cell: '' for none, prose kept as the note, None when the
    cell is a url that is not http(s).

    'https://ualosses.org/en/soldiers/ (note, one should exclude ...)' gives the url
    and the note; '(via email from Alexandr at Meduza)' gives no url and the note.
    """
    text = " ".join(cell.split())
    if not text:
        return "", ""
    match = _URL_AND_PROSE.match(text)
    if match:
        url, note = match.group(1), match.group(2).strip()
    elif re.match(r"^https?://[^\s/]+", text):
        url, note = text, ""
    elif _SCHEME.match(text):
        return None, ""
    else:
        return "", text
    try:
        urlsplit(url)
    except ValueError:  # 'https://[example.org/x': not a url a reader could follow
        return None, ""
    return url, note


def mentions(text: str, value: int) -> bool:
    """Whether `text` (a quote cell) states the number `value`."""
    return any(m.value == value for m in find_numbers(text))


class Numbering:
    """Unique ids from bases: `base`, then `base-2`, `base-3` … in one step each
    (a counter per base, not a search from 2 every time)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}

    def take(self, wanted: str) -> str:
        base = wanted[:76]
        candidate = wanted
        number = self.next.get(base, 2)
        while candidate in self.taken:
            candidate, number = f"{base}-{number}", number + 1
        self.next[base] = number
        self.taken.add(candidate)
        return candidate


_ISO = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")
_DMY = re.compile(r"^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})$")


def cell_date(raw: str, *, month_first: bool = False) -> str | None:
    """A date cell as the ledger writes dates (ISO, as given, or day-first
    DD/MM/YYYY, month-first on request), or None when it is not a real date."""
    text = raw.strip()
    try:
        if _ISO.match(text):
            parse_span(text)  # the ledger's own date reader says whether it is a real day
            return text
        if match := _DMY.match(text):
            a, b, year = (int(g) for g in match.groups())
            day, month = (b, a) if month_first else (a, b)
            return date(year, month, day).isoformat()
    except ValueError:  # DateError is one
        return None
    return None
