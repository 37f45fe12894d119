"""How the composer (ingest/composer.py) types a plain scalar: the YAML 1.2 core
schema, minus octal and hex surprises (`no`, `on`, `1:30`, `012` and dates stay
text).  The writer (ingest/writer.py) asks it how a value written plain would read."""

from __future__ import annotations

import re
from typing import Any

from reconcile.ingest.reader import MAX_INT_DIGITS

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}
_BOOLS = {"true": True, "false": False}
_NULLS = {"", "~", "null"}


def plain_scalar(event: Any) -> Any:
    """Type a scalar the YAML 1.2 core-schema way, minus octal and hex surprises."""
    value: str = event.value
    if not event.implicit[0] or event.tag in ("tag:yaml.org,2002:str", "!"):
        return value  # quoted, or tagged as text
    if event.tag == "tag:yaml.org,2002:int" and not _INT.match(value):
        return value
    lowered = value.lower()
    if lowered in _NULLS and value in ("", "~", "null", "Null", "NULL"):
        return None
    if lowered in _BOOLS and value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return _BOOLS[lowered]
    if _INT.match(value):
        if len(value.lstrip("+-")) > MAX_INT_DIGITS:
            return value
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if lowered in _SPECIAL_FLOATS and value in (lowered, lowered.upper(), lowered.title()):
        return _SPECIAL_FLOATS[lowered]
    return value
