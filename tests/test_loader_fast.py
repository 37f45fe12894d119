"""The yaml-rs fast path gives exactly the composer's data, or defers to it."""

from __future__ import annotations

import bisect
import copy
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reconcile.ingest import fast, loader, prescan, reader
from reconcile.ingest.composer import Composer
from reconcile.ingest.loader import FAST_ENV, load_file, load_text
from tests.conftest import ROOT, SHIPPED, git, yaml_suite

# --- the pre-scan's references, as first written (prescan's fast forms are held
# to them below) ---------------------------------------------------------------

_NUMBER_START = re.compile(
    r"[-+0-9.](?<=[ \n\[{,][-+0-9.])"
    r"(?:(?<=[-+])(?:0[0-9_oOxXbB]|[0-9]+_|\.[nNiI])"
    r"|(?<=0)[0-9_oOxXbB]|(?<=[0-9])[0-9]*_|(?<=\.)[nNiI])"
)
"""A number-like token after a space, line break, bracket or comma (the match
starts after that character): `prescan._number_starts` as one regex."""


def _plain(root: dict[str, Any]) -> bool:
    """Whether the composer would build the same: text keys, ints in range, depth capped."""
    stack: list[tuple[Any, int]] = [(root, 1)]
    limit = 10**reader.MAX_INT_DIGITS
    while stack:
        node, depth = stack.pop()
        if depth > reader.MAX_DEPTH:
            return False
        if isinstance(node, dict):
            for key in node:
                if type(key) is not str or len(key) > prescan._MAX_FAST_KEY:
                    return False
            node = node.values()
        for value in node:
            if isinstance(value, dict | list):
                stack.append((value, depth + 1))
            elif type(value) is int and not -limit < value < limit:
                return False
    return True


def _shared(root: dict[str, Any]) -> dict[str, Any]:
    """The same data with each short string held once (a copy; each mapping keeps
    its order)."""
    memo: dict[str, str] = {}
    out: dict[str, Any] = {}
    stack: list[tuple[Any, Any]] = [(root, out)]
    while stack:
        node, into = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                into[memo.setdefault(key, key)] = _one(value, memo, stack)
        else:
            into.extend(_one(value, memo, stack) for value in node)
    return out


def _one(value: Any, memo: dict[str, str], stack: list[tuple[Any, Any]]) -> Any:
    if isinstance(value, dict | list):
        copied: Any = {} if isinstance(value, dict) else []
        stack.append((value, copied))
        return copied
    if type(value) is str and len(value) <= prescan.SHARED_MAX:
        return memo.setdefault(value, value)
    if type(value) is str and len(value) <= prescan._FRESH_MAX:
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    return value


def _strings(node: Any) -> list[str]:
    """Every string of `node`, keys and values, by a walk of its own."""
    if isinstance(node, dict):
        return [text for key, value in node.items() for text in (key, *_strings(value))]
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return [node] if isinstance(node, str) else []


def _holds_none_of(found: Any, given: Any) -> bool:
    """Whether `found` holds none of `given`'s strings as objects, apart from those
    CPython keeps one of anyway (the empty string and single characters) and those
    too long for its small-object arenas: once `given` is dropped, nothing keeps
    its memory (prescan.plain_shared)."""
    theirs = {id(text) for text in _strings(given)}
    return not any(
        id(text) in theirs for text in _strings(found) if 1 < len(text) <= prescan._FRESH_MAX
    )


pytestmark = pytest.mark.skipif(not fast.FAST_AVAILABLE, reason="yaml-rs is not installed")


def _composed(text: str) -> tuple[Any, tuple[Any, ...]]:
    composer = Composer("f.yaml")
    data = composer.run(text)
    return data, tuple(composer.issues)


def _same(a: Any, b: Any) -> bool:
    """Equality that tells bool from int, int from float and nan from nan."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _agrees(text: str) -> bool:
    """Whether the fast path took the text; asserts it matches the composer if so."""
    fast = loader._fast_load(text, "f.yaml")
    if fast is None:
        return False
    data, issues = _composed(text)
    assert fast.issues == issues, (text, fast.issues, issues)  # none, or repeated keys
    assert _same(fast.data, data), (text, fast.data, data)
    return True


def test_the_shipped_ledger_takes_the_fast_path() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert _agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 012",
        "a: [1,012]",
        "a:\n  012",
        "a: - 012",
        "a: {b: 012}",
        "a: -012",
        "a: 0x1A",
        "a: 0o17",
        "a: 0b11",
        "a: 1_000",
        "a: .NaN",
        "a: 12345678901234567890",
        "1: a",
        "true: a",
        "null: a",
        "a: [\n 1]",
        "- a",
        "just text",
        "",
        "a: &x 1",
        "a: !!str 1",
        "a: !custom 1",
        "a:\tb",
        "a: b\r\nc: d",
        "a: b\x85c",
        "a: b\u2028c",
        "\ufeffa: b",
        "? a\n: b",
        "%YAML 1.2\n---\na: b",
        "a: b\n---\nc: d",
        "a: b\n...\n",
        "a: b\na: c",
        "x: [a, 6,050]",
        "a: " + "- " * 40 + "x",
        "a:\n" + "".join(" " * i + "- \n" for i in range(1, 70)),
        "k" * 1100 + ": v",
    ],
)
def test_risky_texts_go_to_the_composer(text: str) -> None:
    assert loader._fast_load(text, "f.yaml") is None
    data, _ = _composed(text)
    assert _same(load_text(text, "f.yaml").data, data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 3 000", {"a": "3 000"}),
        ("a: about 6,050", {"a": "about 6,050"}),
        ("a: 12\nb: -3\nc: +4", {"a": 12, "b": -3, "c": 4}),
        ("a: 1.5\nb: 1e3\nc: -2.5e-3", {"a": 1.5, "b": 1000.0, "c": -0.0025}),
        (
            "a: no\nb: on\nc: 1:30\nd: 2025-01-13",
            {"a": "no", "b": "on", "c": "1:30", "d": "2025-01-13"},
        ),
        ("a: true\nb: ~\nc:\nd: Null", {"a": True, "b": None, "c": None, "d": None}),
        ("a: >-\n  folded\n  text\nb: |\n  kept\n", {"a": "folded text", "b": "kept\n"}),
        ("a: \"x\\ty\"\nb: 'it''s'", {"a": "x\ty", "b": "it's"}),
        ("a: [x, 'y', 3]\nb: {c: d}", {"a": ["x", "y", 3], "b": {"c": "d"}}),
    ],
)
def test_ordinary_ledger_text_takes_the_fast_path(text: str, expected: dict[str, Any]) -> None:
    assert _agrees(text)
    assert _same(load_text(text, "f.yaml").data, expected)


def test_fast_path_locates_lazily_like_the_composer(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    fast = load_text(text, "f.yaml")
    assert fast.lazy and not fast.positions.computed  # nothing computed for a clean ledger
    composer = Composer("f.yaml")
    composer.run(text)
    where = fast.locate(("estimates", 1, "casualties"))
    line, column = composer.values[("estimates", 1, "casualties")]
    assert (where.line, where.column) == (line, column)
    assert text.splitlines()[line - 1].strip().startswith("casualties:")
    assert fast.values == composer.values and fast.keys == composer.keys
    key = fast.locate(("sources", 0, "kind"), key=True)
    assert (key.line, key.column) == composer.keys[("sources", 0, "kind")]


def test_fast_path_can_be_switched_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_text("a: b\n", encoding="utf-8")
    assert load_file(path).lazy
    monkeypatch.setenv(FAST_ENV, "0")
    slow = load_file(path)
    assert not slow.lazy and slow.values[("a",)] == (1, 4)


def test_every_yaml_suite_case_agrees_or_defers() -> None:
    cases = sorted(yaml_suite().rglob("in.yaml")) if yaml_suite().is_dir() else []
    assert len(cases) == 402, "tests/data/yaml-test-suite is incomplete"
    taken = 0
    for case in cases:
        try:
            text = case.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        taken += _agrees(text)
    assert taken > 30  # the fast path is exercised, not guarded away


_SCALARS = st.one_of(
    st.sampled_from(
        [
            "012", "0", "-0", "+12", "12", "3,800", "3 800", "about 3,800", "at least 300",
            "1.5", "1e3", ".5", "1.", ".inf", "-.Inf", ".nan", ".NaN", "0x1A", "0o7", "1_000",
            "true", "True", "TRUE", "false", "no", "yes", "on", "null", "Null", "~", "",
            "2025-01-13", "2025-01", "1:30", "12345678901234567890", "123456789012345678",
            "'012'", '"a: b"', "'it''s'", '"x\\u00e9"', "a # comment", "x: y", "- x",
            "[a, b]", "{a: 1}", "[1,012]", "a,b", "!x", "&a x", "*a", "? x", "@x", "`x",
            "Zelensky said \"nearly 3,800\"", "–—", "é", "中文", "a  b",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
)  # fmt: skip
_KEYS = st.one_of(
    st.sampled_from(["id", "killed", "quote", "as_of", "1", "true", "null", "012", "'q'", "a b"]),
    st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    lines: list[str] = []

    def block(indent: int, depth: int) -> None:
        for key in draw(st.lists(_KEYS, min_size=1, max_size=4)):
            pad = " " * indent
            kind = draw(st.sampled_from(["scalar", "scalar", "list", "map", "folded", "flow"]))
            if kind == "scalar" or depth > 3:
                lines.append(f"{pad}{key}: {draw(_SCALARS)}")
            elif kind == "folded":
                lines.append(f"{pad}{key}: {draw(st.sampled_from(['>-', '|', '>', '|-']))}")
                for item in draw(st.lists(_SCALARS, min_size=1, max_size=3)):
                    lines.append(f"{pad}  {item}")
            elif kind == "flow":
                items = ", ".join(draw(st.lists(_SCALARS, max_size=4)))
                lines.append(f"{pad}{key}: [{items}]")
            elif kind == "map":
                lines.append(f"{pad}{key}:")
                block(indent + 2, depth + 1)
            else:
                lines.append(f"{pad}{key}:")
                for _ in range(draw(st.integers(1, 3))):
                    if draw(st.booleans()):
                        lines.append(f"{pad}  - {draw(_SCALARS)}")
                    else:
                        lines.append(f"{pad}  - x: {draw(_SCALARS)}")
                        lines.append(f"{pad}    y: {draw(_SCALARS)}")

    block(0, 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n# end\n"]))


@given(_documents())
def test_generated_ledger_like_documents_agree_or_defer(text: str) -> None:
    _agrees(text)


@given(st.text(alphabet=st.sampled_from(list("ab:-[]{},'\"#&*!?|>0123 .\n_xe")), max_size=60))
def test_yaml_punctuation_agrees_or_defers(text: str) -> None:
    _agrees(text)


def test_a_clean_ledger_is_validated_without_computing_positions() -> None:
    from reconcile.checks.run import check_file

    checked = check_file(SHIPPED)
    assert checked.issues == ()
    loaded = checked.origins.header
    assert loaded is not None and loaded.lazy
    assert not loaded.positions.computed  # the composer never ran


def test_a_ledger_with_problems_is_located_through_the_lazy_pass(tmp_path: Path) -> None:
    from reconcile.checks.run import check_file

    text = SHIPPED.read_text(encoding="utf-8").replace("kind: government", "kind: goverment", 1)
    path = tmp_path / "data" / "estimates.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    shutil.copytree(SHIPPED.parent.parent / "seeds", tmp_path / "seeds")
    git(tmp_path, "init", "-q")  # ../seeds is inside the repository
    checked = check_file(path)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip() == "kind: goverment")
    assert [(i.check, i.location.line, i.location.column) for i in checked.issues] == [
        ("wrong-value", line, 11)
    ]


# The fast path's guards as first written: plain, and four times slower on a
# big ledger than the look-behind forms in the loader, which must agree.
_PLAIN_GUARDS = {
    1: r"[\s\[{,][!&*?@`]",
    3: r"[\s\[{,]:[^\s]",
}
_PLAIN_NUMBER_START = r"[ \n\[{,][-+]?(?:0[0-9_oOxXbB]|[0-9]+_|\.[nNiI])"


@example(" 0_ x,00 -0x +1_ .nan [0o7 ,.Inf\n-.NaN {12_3 a0_ 0b1")
@example(",1_ [23_\n45_ x67_ +8_ ,-9_ 0_ _ 1__ ,+.i")
@example(" !a [&b {*c ,?d\t@e `f :g\n:h")
@given(st.text(alphabet=st.sampled_from(list(" \n\t[]{},:!&*?@`-+0123_oxXbB.nNiIa")), max_size=40))
def test_the_fast_guards_find_what_their_plain_forms_find(text: str) -> None:
    assert prescan._indicator_starts_token(text) == (re.search(_PLAIN_GUARDS[1], text) is not None)
    assert (prescan._FAST_GUARDS[1].search(text) is not None) == (
        re.search(_PLAIN_GUARDS[3], text) is not None
    ), text
    starts = [match.start() - 1 for match in _NUMBER_START.finditer(text)]
    assert starts == [match.start() for match in re.finditer(_PLAIN_NUMBER_START, text)], text
    assert [start - 1 for start in prescan._number_starts(text)] == starts, text


# The pre-scan in its regex form, as it was before issue 18 replaced four of its
# searches with plain string searches: `prescan.fast_safe` must decide as it does.
_REGEX_GUARDS = tuple(
    re.compile(pattern)
    for pattern in (
        r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff\t\r]",
        r"[!&*?@`](?<=[\s\[{,].)",
        r"\n(?:%|---|\.\.\.|[ \-?:]{128})",
        r":(?<=[\s\[{,]:)[^\s]",
        r"[\[{,][ ]*[|>]",
    )
)
_REGEX_FLOW_START = re.compile(r"[\[{]")


def _regex_fast_safe(text: str) -> bool:
    if prescan._FIRST_LINE.match(text) or any(guard.search(text) for guard in _REGEX_GUARDS):
        return False
    if text.endswith(" ") and text.rstrip(" ").endswith("\n"):
        return False
    if not text.endswith("\n") and ("|" in text or ">" in text):
        return False
    tail = text.rstrip(" \n")
    if prescan._LAST_LINE_BLOCK.fullmatch(tail, tail.rfind("\n") + 1):
        return False
    flow_lines: list[tuple[int, int]] = []
    end = -1
    for match in _REGEX_FLOW_START.finditer(text):
        if match.start() < end:
            continue
        start, end = prescan._line_at(text, match.start())
        line = text[start:end]
        if line.count("[") + line.count("{") != line.count("]") + line.count("}"):
            return False
        if prescan._FLOW_COLON.search(line):
            return False
        flow_lines.append((start, end))
    for match in _NUMBER_START.finditer(text):
        at = match.start() - 1
        if not prescan._NUMBER_SCALAR.match(text, at + 1):
            continue
        if text[at] == ",":
            index = bisect.bisect_right(flow_lines, (at, len(text))) - 1
            if index >= 0 and flow_lines[index][0] <= at < flow_lines[index][1]:
                return False
            continue
        j = at
        while j >= 0 and text[j] == " ":
            j -= 1
        if j < 0 or text[j] in "\n:?-[{,":
            return False
    return True


def _same_decision(text: str) -> None:
    assert prescan.fast_safe(text) == _regex_fast_safe(text), text
    assert prescan._refused_characters(text) == (_REGEX_GUARDS[0].search(text) is not None)
    assert prescan._indicator_starts_token(text) == (_REGEX_GUARDS[1].search(text) is not None)
    assert prescan._block_indicator_in_flow(text) == (_REGEX_GUARDS[4].search(text) is not None)
    numbers = [match.start() for match in _NUMBER_START.finditer(text)]
    assert prescan._number_starts(text) == numbers, text


_PRESCAN_ALPHABET = list(
    " \n\t\r\x00\x0b\x1c\x7f\x85\xa0\u2028\u3000\ufeff[]{},:!&*?@`|>-+0123_oxXbB.nNiIa#'\"é"
)


@example("a: [x, |]\n")
@example("a: {b: 1}\nc: [d, >]\n")
@example("a: ,  >\n")
@example("a:\u3000!x\n")
@example("\x85&x\n")
@given(st.text(alphabet=st.sampled_from(_PRESCAN_ALPHABET), max_size=60))
def test_the_pre_scan_decides_as_its_regex_form(text: str) -> None:
    _same_decision(text)


@given(_documents())
def test_the_pre_scan_decides_as_its_regex_form_on_ledger_like_documents(text: str) -> None:
    _same_decision(text)


def test_the_pre_scan_decides_as_its_regex_form_on_every_corpus_file() -> None:
    """Every YAML suite case, every ledger of the gallery and the golden tests, the
    shipped ledger; and each cut at every line (so every guard meets every line)."""
    root = SHIPPED.parent.parent
    files = [*yaml_suite().rglob("in.yaml"), *(root / "tests").rglob("*.yaml"), SHIPPED]
    decided = {True: 0, False: 0}
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        _same_decision(text)
        decided[prescan.fast_safe(text)] += 1
        for cut in range(0, len(text), max(1, len(text) // 50)):
            _same_decision(text[cut:])
    assert decided[True] > 30 and decided[False] > 100, decided


def _composer_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text the composer reads from now on."""
    lengths: list[int] = []
    run = Composer.run

    def counted(self: Any, text: str) -> Any:
        lengths.append(len(text))
        return run(self, text)

    monkeypatch.setattr(Composer, "run", counted)
    return lengths


def _ledgers(tmp_path: Path) -> list[Path]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "200", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [SHIPPED, ROOT / "tests" / "gallery" / "valid.yaml", Path(done.stdout.split()[0])]


def test_an_entry_is_located_by_reading_its_lines_alone_where_the_file_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Differential: every key and value inside every entry is located exactly
    where the whole file's composer puts it, and fallbacks (a path above the
    entries) still agree."""
    for path in _ledgers(tmp_path):
        text = path.read_text(encoding="utf-8")
        composer = Composer("f.yaml")
        composer.run(text)
        fast = load_text(text, "f.yaml")
        assert fast.lazy
        lengths = _composer_runs(monkeypatch)
        inside = [p for p in composer.values if len(p) >= 2 and isinstance(p[1], int)]
        assert len(inside) > 20
        for probe in inside:
            where = fast.locate(probe)
            assert (where.line, where.column) == composer.values[probe], probe
            missing = fast.locate((*probe, "no-such-field"))
            assert (missing.line, missing.column) == composer.values[probe], probe
        for probe in (p for p in composer.keys if len(p) >= 3 and isinstance(p[1], int)):
            where = fast.locate(probe, key=True)
            assert (where.line, where.column) == composer.keys[probe], probe
        assert not fast.positions.computed  # the whole file was never composed
        assert lengths and max(lengths) < len(text), path  # never the whole file
        monkeypatch.undo()
        assert fast.locate(("title",)).line == composer.values[("title",)][0]  # outside: whole
        assert fast.positions.computed


def test_located_issues_of_a_fast_path_ledger_need_no_second_full_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated ledger with planted errors inside its entries: validate reads
    the whole file once (yaml-rs) and the composer only the entries in trouble,
    and the locations are those of the composer-only run."""
    from reconcile.checks.run import check_file

    path = tmp_path / "ledger.yaml"
    text = _ledgers(tmp_path)[2].read_text(encoding="utf-8")
    for old, new in (
        ("    claimant: src-0", "    claimant: nobody-0"),
        ("    wounded: about ", "    wounded: about 1"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(FAST_ENV, "0")
    composed = check_file(path)
    monkeypatch.delenv(FAST_ENV)
    lengths = _composer_runs(monkeypatch)
    fast = check_file(path)
    assert fast.issues == composed.issues
    assert {i.check for i in fast.issues} >= {"unknown-reference", "figure-not-in-quote"}
    assert lengths and max(lengths) < len(text) / 20


@pytest.mark.parametrize(
    "text",
    [
        # a quoted scalar whose next line looks like an item of the same list
        'estimates:\n  - id: a\n    quote: "one\n  - two"\n  - id: b\n    quote: x\n',
        # two identical entries, and comments and blank lines between
        "estimates:\n  - id: a\n\n# note\n  - id: a\n  # more\n  - id: c\ntitle: t\n",
        # flow style, items at column 0, a section named twice in text
        "estimates: [{id: a}, {id: b}]\n",
        "estimates:\n- id: a\n- id: b\n",
        "notes: |\n  estimates:\n  - id: x\nestimates:\n  - id: a\n",
        # a block scalar holding what looks like items
        "estimates:\n  - id: a\n    quote: |\n      - id: b\n      - id: c\n  - id: d\n",
        # nested lists inside an entry
        "estimates:\n  - id: a\n    reported_in:\n      - document: d\n      - document: e\n",
        # a line break YAML 1.1 counts (NEL) inside a quote
        'estimates:\n  - id: a\n    quote: "x\x85y"\n  - id: b\n',
    ],
)
def test_entry_locating_agrees_with_the_composer_or_reads_the_whole_file(text: str) -> None:
    composer = Composer("f.yaml")
    composer.run(text)
    fast = loader._fast_load(text, "f.yaml")
    if fast is None:
        return  # the composer reads it, with its positions
    for table, key in ((composer.values, False), (composer.keys, True)):
        for probe, position in table.items():
            where = load_text(text, "f.yaml").locate(probe, key=key)
            assert (where.line, where.column) == position, (probe, key)


def test_the_fast_path_holds_each_short_string_once_and_the_same_data() -> None:
    """The fast path (prescan.plain_shared): equal keys and short values become one
    object; the data, its types and every mapping's order stay exactly the composer's."""
    text = SHIPPED.read_text(encoding="utf-8")
    fast = load_text(text, "f.yaml")
    data, _ = _composed(text)
    assert _same(fast.data, data)
    assert isinstance(fast.data, dict)
    estimates = fast.data["estimates"]
    firsts = [next(iter(entry)) for entry in estimates]
    assert all(key is firsts[0] for key in firsts)  # "id", held once
    claimants: dict[str, str] = {}
    for entry in estimates:
        claimants.setdefault(entry["claimant"], entry["claimant"])
        assert entry["claimant"] is claimants[entry["claimant"]]
    assert all(list(a) == list(b) for a, b in zip(estimates, data["estimates"], strict=True))


def _sharing(a: Any) -> list[int]:
    """The shape of `a`'s sharing: for each string met (keys and values, depth
    first), the index of the first string it is the same object as."""
    seen: dict[int, int] = {}
    out: list[int] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            out.append(seen.setdefault(id(node), len(seen)))

    walk(a)
    return out


_LEAVES = st.one_of(
    st.text(max_size=3),
    st.text(min_size=60, max_size=70),
    st.integers(),
    st.sampled_from([10**18 - 1, 10**18, -(10**18) + 1, -(10**18), True, None, 1.5]),
)
_NESTED = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=3), st.sampled_from(["k" * 1000, "k" * 1001, 1])),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=30,
)


def _deep(levels: int) -> dict[str, Any]:
    """A mapping nested `levels` deep: the root, then lists in lists."""
    node: list[Any] = []
    for _ in range(levels - 2):
        node = [node]
    return {"a": node}


@example({"a": "x", "b": "x"})
@example(_deep(reader.MAX_DEPTH))
@example(_deep(reader.MAX_DEPTH + 1))
@given(st.dictionaries(st.text(max_size=3), _NESTED, max_size=5))
def test_the_one_pass_pre_scan_equals_plain_then_shared(data: dict[str, Any]) -> None:
    """prescan.plain_shared (the loader's one pass) against its reference, `_plain`
    then `_shared`: the same decision, the same data, the same strings shared."""
    expected = _shared(data) if _plain(data) else None
    consumed = copy.deepcopy(data)
    found = prescan.plain_shared(consumed)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert _same(found, expected)
    assert _sharing(found) == _sharing(expected)
    assert consumed == data  # read, not changed
    assert _holds_none_of(found, consumed)  # so yaml-rs's tree is freed whole


def test_the_one_pass_pre_scan_equals_plain_then_shared_on_real_ledgers(tmp_path: Path) -> None:
    import yaml_rs

    from tests.economist import import_ledger

    texts = [SHIPPED.read_text(encoding="utf-8")]
    texts.append(import_ledger(tmp_path).read_text(encoding="utf-8"))
    for text in texts:
        data = yaml_rs.loads(text, parse_datetime=False)
        assert isinstance(data, dict)
        expected = _shared(data)
        found = prescan.plain_shared(data)
        assert found is not None
        assert _same(found, expected)
        assert _sharing(found) == _sharing(expected)
        assert _holds_none_of(found, data)


# --- a built ledger's files let their data go (Loaded.release): locating inside
# an entry then checks the entry's lines against the entry as built ---------------


def _released(text: str) -> tuple[loader.Loaded, Composer]:
    """`text` read by the fast path, built, and released as check_file does; and the
    composer's own reading of it, the reference."""
    from reconcile.ingest.build import build
    from reconcile.ingest.origins import as_built

    composer = Composer("f.yaml")
    composer.run(text)
    loaded = load_text(text, "f.yaml")
    _, origins, _ = build([loaded])
    loaded.release(as_built(origins))
    return loaded, composer


def _places_agree(loaded: loader.Loaded, composer: Composer) -> None:
    for table, key in ((composer.values, False), (composer.keys, True)):
        for probe, position in table.items():
            if len(probe) >= 2 and isinstance(probe[1], int):
                where = loaded.locate(probe, key=key)
                assert (where.line, where.column) == position, (probe, key)


def test_a_released_file_locates_every_entry_value_where_the_composer_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Differential, on the shipped ledger, the gallery's, a generated one and the
    Economist's claims: once released, every key and value inside every entry is
    located where the whole file's composer puts it, from the entry's lines alone."""
    from tests.economist import import_ledger

    paths = [*_ledgers(tmp_path), import_ledger(tmp_path)]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        loaded, composer = _released(text)
        assert loaded.data is None and loaded.lazy, path
        assert loaded.top_keys == tuple(k for (k, *rest) in composer.keys if not rest)
        lengths = _composer_runs(monkeypatch)
        _places_agree(loaded, composer)
        assert not loaded.positions.computed, path  # never the whole file
        assert lengths and max(lengths) < len(text) / 2, path
        monkeypatch.undo()


_LEDGER_HEAD = """title: T
subject: S
sources:
  - id: src
    name: Src
    kind: media
    party: third-party
documents:
  - id: doc
    title: Doc
    publisher: null
    published: 2025-01-02
estimates:
"""


def test_a_released_entry_is_taken_only_for_itself(tmp_path: Path) -> None:
    """as_built: an entry's own data (built or dropped by the schema) passes, another
    entry's, or one that sets a field the entry leaves out, does not."""
    from reconcile.ingest.build import build
    from reconcile.ingest.origins import as_built

    text = _LEDGER_HEAD + "".join(
        f"  - id: e{n}\n    claimant: src\n    as_of: 2025-01-01\n    killed: {killed}\n"
        "    reported_in:\n      - document: doc\n        quote: 300 were killed\n"
        for n, killed in enumerate(["300", "many", "about 300"])
    )
    loaded = load_text(text, "f.yaml")
    data = copy.deepcopy(loaded.data)
    assert isinstance(data, dict)
    ledger, origins, issues = build([loaded])
    assert ledger is not None and issues  # one estimate dropped by the schema
    same = as_built(origins)
    estimates = data["estimates"]
    assert len(estimates) >= 2
    for index, entry in enumerate(estimates):
        assert same(loaded, "estimates", index, entry)
        other = estimates[(index + 1) % len(estimates)]
        assert not same(loaded, "estimates", index, other)
        assert not same(loaded, "estimates", index, {**entry, "notes": None})
    for index, entry in enumerate(data["sources"]):
        assert same(loaded, "sources", index, entry)
        assert not same(loaded, "sources", index, {**entry, "id": "someone-else"})
    assert not same(loaded, "estimates", len(estimates), estimates[0])  # no such entry


def test_a_released_entry_its_lines_cannot_confirm_is_located_by_the_whole_file(
    tmp_path: Path,
) -> None:
    """Where `same` says no, the whole file is composed, and the place is right."""
    text = SHIPPED.read_text(encoding="utf-8")
    loaded = load_text(text, "f.yaml")
    composer = Composer("f.yaml")
    composer.run(text)
    loaded.release(lambda *_: False)
    probe = ("estimates", 1, "as_of")
    where = loaded.locate(probe)
    assert (where.line, where.column) == composer.values[probe]
    assert loaded.positions.computed


_FIELD_LINES = st.sampled_from(
    [
        "    killed: 300",
        "    killed: about 300",
        "    killed: many",  # dropped by the schema
        "    wounded: '2,700'",
        "    notes: null",
        '    notes: "a quote\n      over two lines"',
        "    notes: >-\n      - folded\n      - lines",
        "    subject: [a, b]",  # dropped: not text
        "    # a comment",
        "",
    ]
)


@st.composite
def _ledger_texts(draw: st.DrawFn) -> str:
    lines = _LEDGER_HEAD.splitlines()
    for number in range(draw(st.integers(1, 4))):
        lines += [f"  - id: e{number}", "    claimant: src", "    as_of: 2025-01-01"]
        lines += draw(st.lists(_FIELD_LINES, max_size=3, unique=True))
        lines += ["    reported_in:", "      - document: doc", "        quote: 300 were killed"]
    return "\n".join(lines) + "\n"


@given(_ledger_texts())
def test_generated_ledgers_once_released_locate_as_the_composer(text: str) -> None:
    """Hypothesis: ledgers with valid and invalid entries, comments, blank lines and
    scalars over several lines, released: every place inside an entry agrees."""
    if loader._fast_load(text, "f.yaml") is None:
        return  # the composer reads it, with its positions
    loaded, composer = _released(text)
    _places_agree(loaded, composer)


def test_check_file_releases_the_data_unless_the_cache_keys_by_it(tmp_path: Path) -> None:
    from reconcile.checks.run import check_file

    ledger = tmp_path / "ledger.yaml"
    shutil.copy(SHIPPED, ledger)
    checked = check_file(ledger)
    assert checked.origins.header is not None and checked.origins.header.data is None
    cached = check_file(ledger, cache=tmp_path / ".cache")
    assert cached.origins.header is not None and isinstance(cached.origins.header.data, dict)
