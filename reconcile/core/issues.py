"""Problems are data: every check returns `Issue`s; nothing here raises.

An `Issue` carries a stable check id, a severity, a message, where it is and an
optional hint.  Issues are collected, sorted and rendered; `exit_code` turns them into the
exit code.  A `Refusal` is a command's decision not to go on (an unusable
ledger, an unknown claimant, an unwritable --output): the CLI turns it, like
any outcome, into an exit code in one place (reconcile/cli/outcome.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    UNUSABLE = 2


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file; line and column count from 1."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in the input.

    `unusable` marks problems that stop the input from being read as a ledger
    at all (unreadable file, broken YAML, wrong encoding): they exit 2.
    """

    check: str
    severity: Severity
    message: str
    location: Location
    hint: str | None = None
    unusable: bool = False

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.check, self.message)

    def __str__(self) -> str:
        return self.line()

    def line(self, clean: Callable[[str], str] = str) -> str:
        """`path:line:col: severity: message [check-id]`, a hint indented below: the
        one formatter of an issue; `clean` is applied to what the input wrote
        (render/issues.py makes it printable for a terminal)."""
        text = (
            f"{clean(str(self.location))}: {self.severity.value}: "
            f"{clean(self.message)} [{self.check}]"
        )
        if self.hint:
            text += f"\n    hint: {clean(self.hint)}"
        return text


def error(check: str, message: str, location: Location, hint: str | None = None) -> Issue:
    return Issue(check, Severity.ERROR, message, location, hint)


def warning(check: str, message: str, location: Location, hint: str | None = None) -> Issue:
    return Issue(check, Severity.WARNING, message, location, hint)


def unusable(check: str, message: str, location: Location, hint: str | None = None) -> Issue:
    return Issue(check, Severity.ERROR, message, location, hint, unusable=True)


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Sorted by file, line, column and check; exact duplicates dropped."""
    seen: set[Issue] = set()
    unique = []
    for issue in issues:
        if issue not in seen:
            seen.add(issue)
            unique.append(issue)
    return sorted(unique, key=Issue.sort_key)


def exit_code(issues: Iterable[Issue], *, strict: bool = False) -> ExitCode:
    """The one place that turns problems into an exit code.

    2 when any input was unusable, 1 when an error was found (or a warning under
    `strict`), else 0.
    """
    worst = ExitCode.OK
    for issue in issues:
        if issue.unusable:
            return ExitCode.UNUSABLE
        if issue.severity is Severity.ERROR or strict:
            worst = ExitCode.PROBLEMS
    return worst


class Refusal(Exception):
    """A command cannot go on: the issues and the message that say why, and its exit code.

    Raised where the decision is made, caught only at the CLI's exit site,
    which writes the issues (as `path:line:col: severity: message [check]`)
    and then the message to stderr and exits with `code`.
    """

    def __init__(
        self,
        message: str | None = None,
        code: ExitCode = ExitCode.UNUSABLE,
        issues: Sequence[Issue] = (),
    ) -> None:
        super().__init__(message or "")
        self.message = message
        self.code = code
        self.issues = tuple(issues)
