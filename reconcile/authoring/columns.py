"""The vocabulary `reconcile import` reads a spreadsheet with: its fields, the column
names it knows for each, the words for each metric, and yes/no for `party`."""

from __future__ import annotations

from reconcile.core.models import METRICS, Metric

FIELDS = ("date", "low", "high", "best", "words", "metric", "claimant", "url", "subject",
          "party", "kind", "quote", "title", "notes")  # fmt: skip
DEFAULT_COLUMNS: dict[str, str] = {
    **{name: name for name in FIELDS},
    "as of": "date", "as_of": "date", "claim date": "date", "day": "date",
    "min": "low", "minimum": "low", "lower": "low", "low estimate": "low",
    "max": "high", "maximum": "high", "upper": "high", "high estimate": "high",
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
REQUIRED = ("date", "metric", "claimant", "url")
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
