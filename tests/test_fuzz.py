"""A short fuzz run in every test run; scripts/fuzz.py runs longer (in .ci/run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings

from tests.fuzzing import (
    COMMANDS,
    CSV_SEED,
    FORMATS,
    SEEDS,
    Sandbox,
    byte_level,
    check_command,
    check_outcome,
    command_cases,
    structural,
)


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


@settings(max_examples=40)
@given(case=command_cases())
def test_every_command_and_format_on_mutated_input(
    sandbox: Sandbox, case: tuple[str, str, str, bool, bytes]
) -> None:
    check_command(sandbox, case)


@pytest.mark.parametrize("github", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_and_format_on_the_seeds(
    sandbox: Sandbox, command: str, fmt: str, github: bool
) -> None:
    """Each command and format at least once, whatever hypothesis draws."""
    for name in sorted(SEEDS):
        if command == "import":
            assert check_command(sandbox, (command, fmt, "csv", github, CSV_SEED.read_bytes())) == 1
            return
        code = check_command(sandbox, (command, fmt, name, github, SEEDS[name].read_bytes()))
        assert code == (1 if (command, name) == ("coverage", "gallery") else 0)
