"""A large ledger read in two processes (ingest/fast.py) gives exactly the data the
composer reads from the whole text, or is read whole.

The reference is the composer (ingest/loader.py), which never cuts a text.  Each
test cuts at every line the cut could fall on, not only where `read_in_two`
would, so a cut that changes the data is found wherever it lies."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.ingest import fast, forked, loader, prescan
from reconcile.ingest.loader import load_file, load_text
from tests.conftest import SHIPPED, generate
from tests.test_loader_fast import _composed, _same

pytestmark = pytest.mark.skipif(not fast.FAST_AVAILABLE, reason="yaml-rs is not installed")


def _lines(text: str) -> list[int]:
    """Every offset a line starts at, but the first."""
    return [at + 1 for at, char in enumerate(text) if char == "\n" and at + 1 < len(text)]


def _cut(text: str, cut: int) -> dict[str, Any] | None:
    """The data of `text` read in two parts at `cut`, in this process, as `read_in_two`
    reads it, or None where `read_in_two` would not cut there (or the parts say no)."""
    if fast.cut_from(text, cut) != cut:
        return None
    return fast.joined(fast.read_fast(text[:cut]), fast.read_fast(fast.second_part(text, cut)))


def _agrees_at(text: str, cut: int) -> bool:
    """Whether the cut at `cut` was taken; asserts it gives the composer's data if so."""
    data = _cut(text, cut)
    if data is None:
        return False
    assert prescan.fast_safe(text), (text, cut)  # the parts passing it means the whole does
    composed, issues = _composed(text)
    assert issues == (), (text, cut, issues)
    assert _same(data, composed), (text, cut)
    return True


def _item_cuts(text: str) -> list[int]:
    """The offsets `read_in_two` may cut at: each item of the estimates but the first."""
    return [cut for cut in _lines(text) if fast.cut_from(text, cut) == cut]


# --- texts made to defeat the cut: each item line below is not where the whole
# text's scanner starts a new estimate, or the parts hold what the whole does not

_HEAD = "title: T\nsubject: S\n"
_ITEMS = "  - id: a\n    killed: 300\n  - id: b\n    killed: 400\n  - id: c\n    killed: 5\n"
_DEFEATS = [
    # a quoted scalar over the item line: the first part ends inside it
    _HEAD + 'estimates:\n  - id: a\n    quote: "one\n  - id: b\n    two"\n  - id: c\n',
    _HEAD + "estimates:\n  - id: a\n    quote: 'one\n  - id: b\n    two'\n  - id: c\n",
    # 'estimates:' inside a quoted scalar that closes before the item line: the whole
    # text is an error (a sequence entry where a key is due), the parts are not
    'title: "x\nestimates:\n  - id: a\n  "\n  - id: b\n  - id: c\n',
    # a top-level block or plain scalar holding lines like items, before and after
    "notes: |\n  - id: x\n  - id: y\nestimates:\n" + _ITEMS,
    "estimates:\n" + _ITEMS + "notes: |\n  - id: x\n  - id: y\n",
    "estimates:\n" + _ITEMS + "notes: plain\n  - id: x\n  - id: y\n",
    # another top-level sequence at the same indentation, after the estimates
    "estimates:\n" + _ITEMS + "sources:\n  - id: s\n  - id: t\n",
    # a top-level key in both parts (a duplicate the composer reports)
    "estimates:\n  - id: a\n  - id: b\ntitle: T\n  - id: c\ntitle: U\n",
    _HEAD + "estimates:\n" + _ITEMS + "title: again\n",
    # the estimates as a flow sequence, or a value on the key's line
    "estimates: [a,\n  - b]\n",
    "estimates: # the claims\n" + _ITEMS,
    "estimates: []\n  - id: a\n  - id: b\n",
    # items at the key's own indentation, and nested sequences at the items'
    "estimates:\n- id: a\n- id: b\n  killed: 4\n- id: c\n",
    "estimates:\n  - - a\n    - b\n  - - c\n  - id: d\n",
    # an item that is a block scalar, a plain scalar over lines, a comment between
    "estimates:\n  - |\n    - x\n  - >-\n    - y\n  - z\n",
    "estimates:\n  - a\n    - b\n  - c\n",
    "estimates:\n  # - not an item\n  - id: a\n  # - id: b\n  - id: c\n",
    # block scalars keeping their last line breaks, blank lines before the item line
    "estimates:\n  - id: a\n    notes: |+\n      x\n\n\n  - id: b\n    notes: >+\n      y\n\n"
    "  - id: c\n",
    # deeper mappings that end on the item line, and keys after the estimates
    "estimates:\n  - id: a\n    reported_in:\n      - document: d\n        quote: q\n  - id: b\n"
    "documents:\n  - id: d\n",
    # an empty block scalar before the cut, and trailing text the pre-scan refuses
    "estimates:\n  - id: a\n    notes: |\n  - id: b\n    notes: >\n  - id: c\n",
    "estimates:\n  - id: a\n  - id: b\n    x: 012\n  - id: c\n",
    "estimates:\n  - id: a\n  - id: b\n  - id: c\n---\n",
    # two 'estimates:' lines
    "estimates:\n  - id: a\nestimates:\n  - id: b\n",
]


@pytest.mark.parametrize("text", _DEFEATS)
def test_no_cut_gives_other_data_than_the_whole_text(text: str) -> None:
    """At every line, not only those `read_in_two` cuts at: the whole text's data or none."""
    for cut in _lines(text):
        _agrees_at(text, cut)


def test_a_cut_that_would_change_the_data_is_not_taken() -> None:
    # the quoted scalar that closes before the item line: the whole text is an
    # error, and no cut reads it as a ledger
    text = _DEFEATS[2]
    assert _composed(text)[1]
    assert all(_cut(text, cut) is None for cut in _lines(text))
    # a sequence of another key: its items are never estimates
    text = "estimates:\n" + _ITEMS + "sources:\n  - id: s\n  - id: t\n"
    assert [_cut(text, cut) is not None for cut in _item_cuts(text)] == [True, True, False, False]


def test_the_cuts_are_taken_between_estimates_wherever_they_fall() -> None:
    text = _HEAD + "estimates:\n" + _ITEMS + "documents:\n  - id: d\n"
    assert len(_item_cuts(text)) == 3  # b, c, and the document's item (not taken)
    assert [_agrees_at(text, cut) for cut in _item_cuts(text)] == [True, True, False]
    at_zero = "estimates:\n- id: a\n- id: b\n  killed: 4\n- id: c\n"
    assert [_agrees_at(at_zero, cut) for cut in _item_cuts(at_zero)] == [True, True]


def test_every_cut_of_the_shipped_ledger_agrees() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    whole = fast.read_fast(text)
    assert whole is not None and len(_item_cuts(text)) == len(whole["estimates"]) - 1
    assert all(_agrees_at(text, cut) for cut in _item_cuts(text))
    for cut in _lines(text):
        _agrees_at(text, cut)


def test_every_cut_of_the_economist_ledger_agrees(tmp_path: Path) -> None:
    from tests.economist import import_ledger

    text = import_ledger(tmp_path).read_text(encoding="utf-8")
    cuts = _item_cuts(text)
    whole = fast.read_fast(text)
    assert whole is not None and len(cuts) == len(whole["estimates"]) - 1 > 90
    assert all(_agrees_at(text, cut) for cut in cuts)


@st.composite
def _ledgers(draw: st.DrawFn) -> str:
    """Ledger-like texts: items with nested lists, scalars over lines, comments,
    blank lines, keys before and after the estimates."""
    indent = draw(st.sampled_from(["", "  ", "    "]))
    inner = indent + "  "
    field = st.sampled_from(
        [
            f"{inner}killed: 300",
            f"{inner}killed: about 300",
            f"{inner}wounded: '2,700'",
            f'{inner}notes: "a quote\n{inner}  over two lines"',
            f"{inner}notes: >-\n{inner}  - folded\n{inner}  - lines",
            f"{inner}notes: |\n{inner}  {indent}- kept\n",
            f"{inner}notes: plain\n{inner}  - more plain",
            f"{inner}notes: |+\n{inner}  kept\n\n",
            f"{inner}notes: >+\n{inner}  kept\n{inner}  - too\n",
            f"{inner}notes: |-\n{inner}  x\n  \n",
            f"{inner}subject: [a, b]",
            f"{inner}reported_in:\n{inner}  - document: doc\n{inner}    quote: 300 were killed",
            f"{inner}reported_in:\n{inner}- document: doc\n{inner}  quote: q",
            f"{indent}# {indent}- a comment",
            "",
            f"{inner}x: 012",
            f"{inner}killed: 300",
        ]
    )
    lines = draw(st.sampled_from([["title: T"], ["title: T", "subject: S"], []]))
    lines.append("estimates:")
    for number in range(draw(st.integers(1, 5))):
        lines.append(f"{indent}- id: e{number}")
        lines += draw(st.lists(field, max_size=3))
    lines += draw(
        st.sampled_from(
            [[], ["documents:", "  - id: doc"], ["title: T2"], ["notes: |", f"{indent}- x"]]
        )
    )
    return "\n".join(lines) + "\n"


@given(_ledgers())
def test_generated_ledgers_cut_anywhere_agree(text: str) -> None:
    for cut in _lines(text):
        _agrees_at(text, cut)


@given(_ledgers(), st.integers(0, 200))
def test_generated_ledgers_cut_between_estimates_are_taken(text: str, pick: int) -> None:
    """Where the whole text takes the fast path, every cut between two estimates is
    taken: the cut is not guarded away."""
    whole = fast.read_fast(text)
    cuts = [cut for cut in _item_cuts(text) if text.rfind("\nestimates:", 0, cut) >= 0]
    if whole is None or not cuts:
        return
    documents = text.find("\ndocuments:")
    notes = text.find("\nnotes: |")
    end = min(at for at in (documents, notes, len(text)) if at >= 0)
    inside = [cut for cut in cuts if cut < end]
    if inside:
        cut = inside[pick % len(inside)]
        assert _cut(text, cut) is not None, (text, cut)
        assert _same(_cut(text, cut), whole)


_JUNK = list(" \n\t\r\x00\x85\u2028\ufeff[]{},:!&*?@`|>-+0_oxX.nNi#'\"")


@given(
    st.lists(
        st.one_of(st.just("plain words"), st.text(alphabet=st.sampled_from(_JUNK), max_size=8)),
        min_size=2,
        max_size=6,
    ),
    st.integers(0, 5),
)
def test_parts_the_pre_scan_passes_make_a_whole_it_passes(junk: list[str], at: int) -> None:
    """Pre-scan hazards (tabs, controls, indicators, flow brackets, document markers,
    block scalars) inside and between estimates, on either side of every cut: a cut
    whose parts both pass is taken only where the whole text passes, with its data."""
    lines = ["title: T", "estimates:"]
    for number, bit in enumerate(junk):
        lines += [f"  - id: e{number}", f"    notes: {bit}"]
        if number == at:
            lines.append(bit)
    text = "\n".join(lines) + "\n"
    for cut in _lines(text):
        _agrees_at(text, cut)


# --- the processes ------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated ledger of 1,500 estimates, as text."""
    return generate(1500, tmp_path_factory.mktemp("halves")).read_text(encoding="utf-8")


def test_read_in_two_gives_the_whole_text_s_data(big: str) -> None:
    if not forked.can_fork():
        pytest.skip("no fork here: the loader reads the text whole")
    two = fast.read_in_two(big)
    assert two is not None
    assert _same(two, fast.read_fast(big))


def test_the_process_reads_only_its_part(big: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not forked.can_fork():
        pytest.skip("no fork here")
    parsed: list[int] = []
    real = fast._yaml_rs

    class Counting:
        @staticmethod
        def loads(text: str, **options: Any) -> Any:
            parsed.append(len(text))
            return real.loads(text, **options)

    monkeypatch.setattr(fast, "_yaml_rs", Counting)
    assert fast.read_in_two(big) is not None
    assert len(parsed) == 1  # the child's parse is counted in the child only
    assert len(big) * 0.4 < parsed[0] < len(big) * 0.6


def test_the_loader_reads_a_large_text_in_two_only_when_asked(
    big: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = fast.read_in_two

    def counted(text: str) -> dict[str, Any] | None:
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(loader, "read_in_two", counted)
    monkeypatch.setattr(loader, "HALVES_FROM", 1000)
    one = load_text(big, "big.yaml")
    assert calls == []
    two = load_text(big, "big.yaml", jobs=2)
    assert calls == [len(big)]
    assert one.issues == two.issues == ()
    assert _same(one.data, two.data)
    monkeypatch.setattr(loader, "HALVES_FROM", len(big) + 1)
    load_text(big, "big.yaml", jobs=2)
    assert calls == [len(big)]  # below the threshold: read whole


def test_a_child_that_dies_leaves_the_text_to_one_process(
    big: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not forked.can_fork():
        pytest.skip("no fork here")
    parent = os.getpid()
    real = fast.read_fast

    def dying(text: str, *, scanned: bool = False) -> dict[str, Any] | None:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(text, scanned=scanned)

    monkeypatch.setattr(fast, "read_fast", dying)
    assert fast.read_in_two(big) is None
    monkeypatch.setattr(loader, "read_fast", dying)
    monkeypatch.setattr(loader, "HALVES_FROM", 1000)
    loaded = load_text(big, "big.yaml", jobs=2)
    assert loaded.issues == ()
    assert _same(loaded.data, real(big))


def test_a_refused_fork_leaves_the_text_to_one_process(
    big: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert fast.read_in_two(big) is None


def test_a_part_the_pre_scan_refuses_sends_the_text_whole(tmp_path: Path) -> None:
    """A tab in the child's part: the whole text goes to the composer, which locates it."""
    if not forked.can_fork():
        pytest.skip("no fork here")
    text = generate(1500, tmp_path).read_text(encoding="utf-8")
    at = text.rfind("    claimant:")
    broken = text[:at] + "\t" + text[at + 1 :]
    assert fast.read_in_two(broken) is None
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    loaded = load_file(path, jobs=2)
    line = broken.count("\n", 0, at) + 1
    assert [(issue.location.line, issue.location.column) for issue in loaded.issues] == [(line, 1)]
