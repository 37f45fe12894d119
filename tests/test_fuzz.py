"""A short fuzz run in every test run; scripts/fuzz.py runs longer (in .ci/run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings

from tests.fuzzing import Sandbox, byte_level, check_outcome, structural


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    yield box
    box.close()


@settings(max_examples=150)
@given(case=structural())
def test_structural_mutations(sandbox: Sandbox, case: tuple[str, bytes]) -> None:
    check_outcome(sandbox, *case)


@settings(max_examples=150)
@given(case=byte_level())
def test_byte_mutations(sandbox: Sandbox, case: tuple[str, bytes]) -> None:
    check_outcome(sandbox, *case)


def test_the_mutations_reach_every_exit_code(sandbox: Sandbox) -> None:
    """The fuzzers are not idle: they produce clean, broken and unusable ledgers."""
    from tests.fuzzing import SEEDS

    clean = SEEDS["gallery"].read_bytes()
    assert check_outcome(sandbox, "gallery", clean) == 0
    assert check_outcome(sandbox, "gallery", clean.replace(b"e1", b"e 1")) == 1
    assert check_outcome(sandbox, "gallery", clean[:40] + b"\x00") == 2
