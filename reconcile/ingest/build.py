"""Schema: plain data from the loader → a `Ledger`, with every problem located.

A clean ledger is validated in one pass.  When that fails, each entry is
validated on its own, so that one bad estimate neither hides the problems of
the others nor stops the checks that follow from running on the good ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from reconcile.core.issues import Issue, Location, error, unusable
from reconcile.core.models import (
    SECTIONS,
    Estimate,
    Header,
    Included,
    Ledger,
    Metric,
    Report,
    sharing,
)
from reconcile.ingest.composer import KeyPath
from reconcile.ingest.loader import Loaded
from reconcile.ingest.origins import Origins

TOP_LEVEL = ("title", "subject", "archive", "include", *SECTIONS)

_CUSTOM = {
    "figure": "bad-figure",
    "date": "bad-date",
    "path": "path-outside-archive",
    "path_chars": "bad-path",
    "url": "bad-url",
    "no_figures": "no-figures",
    "quote_too_long": "quote-too-long",
}


def build(files: Sequence[Loaded]) -> tuple[Ledger | None, Origins, list[Issue]]:
    """Validate the data of one or more loaded files into one ledger (each distinct
    figure and date text read once: `models.sharing`)."""
    with sharing():
        return _build(files)


def _build(files: Sequence[Loaded]) -> tuple[Ledger | None, Origins, list[Issue]]:
    issues: list[Issue] = []
    usable = [f for f in files if f.usable]
    if not usable:
        return None, Origins(), issues
    first = usable[0]
    header_data: dict[str, Any] = {}
    sections: dict[str, list[Any]] = {name: [] for name in SECTIONS}
    places: dict[str, list[tuple[Loaded, int]]] = {name: [] for name in SECTIONS}
    for loaded in usable:
        data = loaded.data
        if not isinstance(data, dict):
            issues.append(_not_a_ledger(loaded))
            if loaded is first:
                return None, Origins(), issues
            continue
        included: dict[str, Any] = {}
        for key, value in data.items():
            if key in SECTIONS:
                if not isinstance(value, list):
                    if value is not None:
                        issues.append(
                            error(
                                "wrong-type",
                                f"'{key}' must be a list, not a {_kind(value)}",
                                loaded.locate((key,)),
                            )
                        )
                    continue
                sections[key].extend(value)
                places[key].extend((loaded, i) for i in range(len(value)))
            elif key in TOP_LEVEL:
                if loaded is first:
                    header_data[key] = value
                else:
                    included[key] = value
            else:
                issues.append(_unknown(key, TOP_LEVEL, loaded.locate((key,), key=True)))
        if loaded is not first:
            _validate(Included, included, (), issues, loaded)

    try:
        ledger = Ledger.model_validate({**header_data, **sections})
        return ledger, Origins.of(first, _sections(ledger), places), issues
    except ValidationError:
        pass

    header = _validate(Header, header_data, (), issues, first)
    kept, kept_places, invalid_ids, failed = _keep_valid(sections, places, issues)
    if header is None:
        header = _header_fallback(header_data)
    # every header field, from the model: a field listed by hand here once lost
    # `include`, and `changes` then called an included file's entries "added"
    ledger = Ledger.model_construct(**_fields(header, kept))
    return ledger, Origins.of(first, _sections(ledger), kept_places, invalid_ids, failed), issues


def _sections(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    return {name: getattr(ledger, name) for name in SECTIONS}


def _keep_valid(
    sections: dict[str, list[Any]],
    places: dict[str, list[tuple[Loaded, int]]],
    issues: list[Issue],
) -> tuple[
    dict[str, list[Any]],
    dict[str, list[tuple[Loaded, int]]],
    dict[str, set[str]],
    dict[str, list[tuple[Loaded, int, Any]]],
]:
    """The entries that pass the schema (their problems added to `issues`), where
    each came from, the ids of those dropped, and those dropped as written (file,
    original index, data: the checks that can still read them run on them too)."""
    kept: dict[str, list[Any]] = {}
    kept_places: dict[str, list[tuple[Loaded, int]]] = {}
    invalid_ids: dict[str, set[str]] = {}
    failed: dict[str, list[tuple[Loaded, int, Any]]] = {}
    for name, model in SECTIONS.items():
        good: list[Any] = []
        good_origins: list[tuple[Loaded, int]] = []
        for item, (loaded, index) in zip(sections[name], places[name], strict=True):
            result = _validate(model, item, (name, index), issues, loaded)
            if result is not None:
                good.append(result)
                good_origins.append((loaded, index))
            else:
                failed.setdefault(name, []).append((loaded, index, item))
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    invalid_ids.setdefault(name, set()).add(item["id"])
        kept[name] = good
        kept_places[name] = good_origins
    return kept, kept_places, invalid_ids, failed


def _fields(header: Header, sections: dict[str, list[Any]]) -> dict[str, Any]:
    fields: dict[str, Any] = {name: getattr(header, name) for name in Header.model_fields}
    fields.update((name, tuple(entries)) for name, entries in sections.items())
    return fields


def _header_fallback(data: dict[str, Any]) -> Header:
    """The header of a ledger whose header fails the schema: each field that
    validates on its own, else its default ('' for the required texts)."""
    values: dict[str, Any] = {}
    for name, field in Header.model_fields.items():
        try:
            blank = Header.model_construct(**values)
            values[name] = Header.__pydantic_validator__.validate_assignment(
                blank, name, data[name]
            ).__dict__[name]
        except (KeyError, ValidationError):
            values[name] = "" if field.is_required() else field.get_default()
    return Header.model_construct(**values)


def _not_a_ledger(loaded: Loaded) -> Issue:
    hint = "a ledger starts with title:, subject:, sources:, documents:, estimates:"
    if loaded.data is None:
        return unusable(
            "not-a-ledger",
            "the file is empty (or holds only comments); it is not a ledger",
            Location(loaded.path, 1, 1),
            hint=hint,
        )
    return unusable(
        "not-a-ledger",
        f"the top level is a {_kind(loaded.data)}, not a mapping of ledger fields",
        loaded.locate(()),
        hint=hint,
    )


def _validate(
    model: type[BaseModel],
    data: Any,
    prefix: KeyPath,
    issues: list[Issue],
    loaded: Loaded,
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        failed_items = {err["loc"][:1] for err in errors if len(err["loc"]) > 1}
        for err in errors:
            if err["type"] == "too_short" and err["loc"] in failed_items:
                continue  # pydantic's echo of an item that failed: already reported
            issues.append(_issue(model, err, prefix, loaded))
        return None


def _issue(model: type[BaseModel], err: Any, prefix: KeyPath, loaded: Loaded) -> Issue:
    locate = loaded.locate
    loc: KeyPath = (
        *prefix,
        *(part for part in err["loc"] if not str(part).startswith("function-")),
    )
    kind = err["type"]
    ctx = err.get("ctx") or {}
    field = str(loc[-1]) if loc else "ledger"
    if kind == "extra_forbidden":
        return _unknown(field, tuple(_fields_at(model, err["loc"][:-1])), locate(loc, key=True))
    if kind == "missing":
        return error(
            "missing-field",
            f"missing field '{field}'",
            locate(loc[:-1]),
            hint=f"add {field}: to this entry",
        )
    where: Location = locate(loc)
    if kind in _CUSTOM:
        check = _CUSTOM[kind]
        if kind == "no_figures":
            where = locate(loc)
        return error(check, err["msg"], _shift(where, loaded, int(ctx.get("offset", 0))))
    if kind == "string_pattern_mismatch" and field in ("id", "claimant", "document"):
        return error(
            "bad-id",
            f"{field} {err['input']!r} may hold only letters, digits, '.', '_' and '-'",
            where,
            hint="replace spaces with '-'",
        )
    if kind == "too_short" and field == "reported_in":
        return error("no-report", "reported_in needs at least one document and quote", where)
    if kind == "enum" and field == "[key]":
        choices = [metric.value for metric in Metric]
        return error(
            "wrong-value",
            f"'{loc[-2]}' is not a figure name ({', '.join(choices)})",
            locate(loc[:-1], key=True),
            hint=_did_you_mean(str(loc[-2]), choices),
        )
    if kind == "enum":
        expected = ctx.get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        hint = _did_you_mean(str(err["input"]), choices)
        return error(
            "wrong-value", f"{field} {err['input']!r} is not one of {expected}", where, hint=hint
        )
    return error("wrong-type", f"{field}: {err['msg'][0].lower()}{err['msg'][1:]}", where)


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model that owns the mapping at `loc`."""
    current: type[BaseModel] = model
    for part in loc:
        if part == "reported_in" and current is Estimate:
            current = Report
    if model is Header:
        return list(TOP_LEVEL)
    return list(current.model_fields)


def _unknown(name: str, known: Sequence[str], where: Location) -> Issue:
    return error("unknown-field", f"unknown field '{name}'", where, hint=_did_you_mean(name, known))


def _did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _shift(where: Location, loaded: Loaded, offset: int) -> Location:
    """Move a value's location by `offset` characters into the scalar's text."""
    if where.line <= 0:
        return where
    line = _line(loaded.text, where.line)
    column = where.column
    if column - 1 < len(line) and line[column - 1] in "'\"":
        column += 1
    return Location(where.path, where.line, min(column + offset, len(line) + 1))


def _line(text: str, number: int) -> str:
    """Line `number` (from 1) of text, without splitting the whole text."""
    start = 0
    for _ in range(number - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "empty value"
    return type(value).__name__
