"""The one YAML writer: plain data as block-style YAML that the loader reads back
to the same data (`reconcile import`, `reconcile extract --format yaml`)."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from reconcile.ingest.scalars import plain_scalar

if TYPE_CHECKING:
    import yaml


@cache
def _dumper() -> type[yaml.SafeDumper]:
    """safe_dump's dumper, but a string this loader would read as something else is quoted.

    PyYAML quotes by the YAML 1.1 rules; this loader reads YAML 1.2 scalars,
    which differ at the edges ("1e3" is a number in 1.2, text in 1.1).  Lists
    are indented under their key, as in the shipped ledger.  Built on first
    use: PyYAML is imported only when a command writes YAML or the composer
    runs (the yaml-rs fast path reads most ledgers without it).
    """
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    Dumper.add_representer(str, _represent_str)
    return Dumper


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    node: yaml.ScalarNode = dumper.represent_str(value)
    plain = _ScalarProbe(value)
    if any(char in _BREAKS or not (char.isprintable() or char == "\n") for char in value):
        node.style = '"'  # escaped: PyYAML folds these wrongly in other styles
    elif "::" in value or "##[" in value:
        node.style = '"'  # escapable, should dump_yaml need to defeat a workflow command
    elif node.style is None and plain_scalar(plain) != value:
        node.style = "'"
    return node


_BREAKS = frozenset("\x85\u2028\u2029\r\t")


class _ScalarProbe:
    """Just enough of a ScalarEvent for `_scalar` to type a plain scalar."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.implicit = (True, False)
        self.tag = None


DUMP_WIDTH = 88


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML that `load_text` reads back to the same data.

    Keys keep their order, Unicode is written as is, long strings fold at
    `DUMP_WIDTH`, and strings that would read back as numbers, booleans or null
    are quoted.  The only place reconcile writes YAML.
    """
    import yaml

    text: str = yaml.dump(
        data,
        Dumper=_dumper(),
        sort_keys=False,
        allow_unicode=True,
        width=DUMP_WIDTH,
        default_flow_style=False,
    )
    from reconcile.core.escape import under_github

    return _workflow_safe_yaml(text) if under_github() else text


_WORKFLOW_LINE = re.compile(r"^([ \t]*)::", re.MULTILINE)


def _workflow_safe_yaml(text: str) -> str:
    """YAML with no GitHub Actions workflow command in it, reading back the same.

    Strings holding `::` or `##[` are double-quoted (`_represent_str`), and
    PyYAML breaks lines only at spaces, so both can only stand inside a
    double-quoted scalar, where an escape means the same character."""
    return _WORKFLOW_LINE.sub(r"\1\\x3a:", text.replace("##[", "#\\x23["))
