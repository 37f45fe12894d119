"""The one output writer: a report's text to stdout, or to --output with a note on stderr."""

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconcile.cli.outcome import say
from reconcile.views.tabular import OutputFormat

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import IO

    from reconcile.views.tabular import Table


def choose_format(chosen: OutputFormat | None, output: Path | None) -> OutputFormat:
    """--format if given, else the output file's extension, else table."""
    from reconcile.core.issues import Refusal
    from reconcile.views.tabular import SUFFIXES

    if chosen is not None:
        return chosen
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in SUFFIXES:
            raise Refusal(
                f"reconcile: cannot tell the format of {output} from its extension; "
                "use --format or .json, .csv, .md, .txt"
            )
        return SUFFIXES[suffix]
    return OutputFormat.TABLE


def terminal(output: Path | None) -> bool:
    """Whether the text goes to a terminal (colour, the terminal's width)."""
    return output is None and sys.stdout.isatty()


def write_text(text: str, output: Path | None) -> None:
    """Data to stdout, or to --output with a note on stderr."""
    write_chunks([text], output)


CHUNK = 64 * 1024
"""Characters gathered before one write: rows reach the reader as they are
laid out, without a call per line."""


def write_chunks(chunks: "Iterable[str]", output: Path | None) -> None:
    """Text made piece by piece, written as it comes (never joined into one
    string) to stdout, or to --output with a note on stderr."""
    from reconcile.core.issues import Refusal

    if output is None:
        _stream(chunks, sys.stdout)
        return
    try:
        if _replaceable(output):
            _write_whole(chunks, output)
        else:  # a FIFO, a device, a link: written through, as asked
            with output.open("w", encoding="utf-8") as file:
                _stream(chunks, file)
    except OSError as exc:
        raise Refusal(f"reconcile: cannot write {output}: {exc.strerror or exc}") from None
    say(f"reconcile: wrote {output}")


def _replaceable(output: Path) -> bool:
    """Whether `output` is a file to replace whole (absent, or a regular file that
    is not a symbolic link)."""
    import stat

    try:
        return stat.S_ISREG(output.lstat().st_mode)
    except FileNotFoundError:
        return True


def _write_whole(chunks: "Iterable[str]", output: Path) -> None:
    """Write beside `output` and put the file in its place once it is whole
    (ingest/replacing.py): a run that fails or is interrupted while the report is
    rendered (it is written as it is rendered) leaves the file as it was, not cut
    short.  An existing file's permissions are kept; a new one gets the usual
    ones (umask)."""
    from reconcile.ingest.replacing import replacing

    with replacing(output) as new, new.path.open("w", encoding="utf-8") as file:
        _stream(chunks, file)


SPOOL = 8 * 1024 * 1024
"""Characters of a report made ahead of writing (`Rendered.whole`) kept in memory;
the rest go to a temporary file."""


def _spooled(spool: "IO[str]") -> "Iterator[str]":
    """The text of `spool`, a chunk at a time, then the spool closed (deleted)."""
    with spool:
        while chunk := spool.read(CHUNK):
            yield chunk


def _stream(chunks: "Iterable[str]", file: "IO[str]") -> None:
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= CHUNK:
            file.write("".join(pending))
            pending.clear()
            size = 0
    if pending:
        file.write("".join(pending))


@dataclass(frozen=True, slots=True)
class Rendered:
    """A report's text, to write (`chunks`: made as they are read, or made already
    by `whole`), how many rows of each list --limit left out, and where it goes
    (`output`: stdout when None) with the --limit it was made with."""

    chunks: "Iterable[str]"
    left_out: dict[str, int]
    output: Path | None = None
    limit: int | None = None

    def whole(self) -> "Rendered":
        """The text made now, to write later (a report made alongside the checks).
        It is kept in a temporary file once it passes `SPOOL` characters (in the
        system's temporary folder, readable by this user only), and streams from
        there when written: a report of any length is never held whole in memory."""
        import tempfile
        import weakref

        spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by _spooled)
            max_size=SPOOL, mode="w+", encoding="utf-8", newline=""
        )
        try:
            _stream(self.chunks, spool)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        chunks = _spooled(spool)
        weakref.finalize(chunks, spool.close)  # a text never written: its file let go
        return replace(self, chunks=chunks)

    def write(self) -> None:
        """Write the text, then say on stderr what --limit left out."""
        write_chunks(self.chunks, self.output)
        tell_left_out(self.left_out, self.limit)


def rendered(
    tables: "Callable[[], list[Table]]",
    result: "Callable[[], Any]",
    *,
    command: str,
    ledgers: list[str],
    output_format: OutputFormat | None,
    output: Path | None,
    width: int | None,
    limit: int | None = None,
) -> Rendered:
    """A report's text (its tables, or its JSON in the envelope), with `limit`, only
    that many rows of its long lists, to `write`: `tables` and `result` make the
    tables and the JSON data, only the one the format shows, now; the text is made
    as it is read.  Writes nothing (it can run alongside the checks)."""
    from reconcile.render.tables import report_chunks

    fmt = choose_format(output_format, output)
    json = fmt is OutputFormat.JSON
    shown, data, left_out = limited(
        [] if json else tables(), result() if json else None, fmt, command=command, limit=limit
    )
    chunks = report_chunks(
        shown,
        fmt,
        command=command,
        ledgers=ledgers,
        result=data,
        width=width,
        terminal=terminal(output),
    )
    return Rendered(chunks, left_out, output, limit)


def limited(
    tables: "list[Table]", result: Any, fmt: OutputFormat, *, command: str, limit: int | None
) -> "tuple[list[Table], Any, dict[str, int]]":
    """The tables (or, for JSON, the result) with `command`'s long lists cut to
    `limit` rows (views/limit.py), and how many rows each list lost."""
    if limit is None:
        return tables, result, {}
    from reconcile.views.limit import CUTS, limit_json, limit_tables

    if fmt is OutputFormat.JSON:
        result, left_out = limit_json(result, CUTS[command], limit)
    else:
        tables, left_out = limit_tables(tables, CUTS[command], limit)
    return tables, result, left_out


def tell_left_out(left_out: "dict[str, int]", limit: int | None) -> None:
    """On stderr, what --limit left out (nothing when it left out nothing)."""
    for name, count in left_out.items():
        if count:
            say(
                f"reconcile: --limit {limit}: {count:,} more row(s) of {name} left out "
                "(every row without --limit)"
            )
