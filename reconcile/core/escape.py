"""One output-escaping layer: every string that came from a ledger (or an
archived text, or a file a pull request controls) is escaped for the format it
is written to, here and nowhere else.  `render` applies it to every cell,
title, caption and legend; the CLI to its messages.

- plain text (terminal tables, charts, CSV, messages): C0 and C1 control
  characters (ESC included: no cursor moves, OSC 8 links, OSC 52 clipboard
  writes or window titles), line and paragraph separators and bidi controls
  are shown as `\\xNN` / `\\uNNNN`, so a cell is always one visible line;
- Markdown: plain text, then the characters that open Markdown or HTML
  (`\\ ` * _ [ ] < & | ~ $`, and a `#` that would close a heading) are
  backslash-escaped, so a ledger string renders as the text it is, never as a
  link, image, tag, table cell, math or heading ("~3,800" keeps its `~`: a
  tilde before a digit after a space can only open a strikethrough);
- CSV: plain text, then a text cell that starts with `=`, `+`, `-`, `@`, tab or
  CR (after any spaces) gets a leading `'`, as OWASP recommends against formula
  injection; cells that are numbers (`-12`, `-1,200.5`) stay numbers;
- JSON: the encoder escapes C0; C1 and line separators are escaped here;
- HTML and SVG: plain text less tab and line breaks (`markup`), then Jinja2's
  autoescaping (render/html.py);
- under GitHub Actions (`GITHUB_ACTIONS=true`), whatever the format: no line
  starts with `::` once leading spaces are trimmed (the runner's workflow
  commands, `::stop-commands::` included) and no line holds `##[` (the legacy
  form, read anywhere in a line).  A zero-width space is put in front (in
  Markdown a backslash, which renders as nothing), so the text reads the same.
"""

from __future__ import annotations

import os
import re

CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
)
"""Characters never written raw as text: C0 (tab and newline included: a cell is
one line), DEL, C1, line/paragraph separators, and bidi controls."""

BIDI = re.compile(r"[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
"""Bidirectional formatting characters: they reorder what a reader sees."""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<&|$]|~(?![0-9])|(?<=[^\s(])~)")
"""Markdown's and HTML's openers.  A `~` that starts a figure ("~3,800", after a
space or at the start) can only open a strikethrough, never close one, so it
is left as written; every other `~` is escaped.  A `#` matters only where it
could close a heading (at the end); `##[` is the workflow pass's business."""
_HEADING_END = re.compile(r"(#)(?=#*\s*$)")
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_FORMULA = re.compile(r"^[ ]*[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?[0-9][0-9,]*(?:\.[0-9]+)?$")
_LINES = re.compile(r"(\r\n|\r|\n)")
ZERO_WIDTH_SPACE = "\u200b"


def _code(char: str) -> str:
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def plain(text: str) -> str:
    """`text` with every control character shown as an escape, never raw."""
    return CONTROL.sub(lambda m: _code(m.group()), text)


_MARKUP_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
)
"""CONTROL less tab and line breaks, which HTML and SVG lay out as spaces."""


def markup(text: str) -> str:
    """`text` for HTML or SVG, before its entities are escaped (render/html.py's
    Jinja2 `finalize`): every control character shown as an escape, as in plain
    text, except tab and line breaks (markup lays them out as spaces).  XML
    refuses the other C0 characters outright (an SVG holding one is not
    well-formed), and a bidi control would reorder what a reader sees."""
    return _MARKUP_CONTROL.sub(lambda m: _code(m.group()), text)


def markdown(text: str, *, heading: bool = False) -> str:
    """`text` as literal Markdown inline content (a table cell, or a heading,
    where a `#` at the end would close it)."""
    text = _MD_SPECIAL.sub(r"\\\1", plain(text))
    return _HEADING_END.sub(r"\\\1", text) if heading else text


def csv_cell(text: str) -> str:
    """`text` as a CSV cell that no spreadsheet runs as a formula."""
    text = plain(text)
    if _FORMULA.match(text) and not _NUMBER.match(text.strip()):
        return "'" + text
    return text


def json_text(text: str) -> str:
    """JSON text from `json.dumps(..., ensure_ascii=False)` with C1 controls,
    line separators and bidi controls escaped too (the encoder leaves them)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def under_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def workflow_safe(text: str, *, markdown_text: bool = False, json_text: bool = False) -> str:
    """`text` with no GitHub Actions workflow command in it, when running there."""
    if not under_github() or ("::" not in text and "##[" not in text):
        return text
    if json_text:
        # only strings can hold `#`; a JSON line never starts with `::`
        return text.replace("##[", "#\\u0023[")
    guard = "\\" if markdown_text else ZERO_WIDTH_SPACE
    parts = _LINES.split(text)
    for index in range(0, len(parts), 2):
        line = parts[index].replace("##[", f"#{guard}#[")
        stripped = line.lstrip()
        if stripped.startswith("::"):
            line = line[: len(line) - len(stripped)] + guard + stripped
        parts[index] = line
    return "".join(parts)


def message(text: str) -> str:
    """A message for stderr: one line per `\\n` the program wrote, controls in
    the data escaped, and no workflow command under GitHub Actions."""
    return workflow_safe("\n".join(plain(line) for line in text.split("\n")))
