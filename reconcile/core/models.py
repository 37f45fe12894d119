"""The ledger's data model: sources, documents, estimates.

Pydantic models, frozen, with unknown fields refused.  They know nothing of
files: the loader hands them plain data, and checks look at them afterwards.
Figures and dates keep the words they were written in (`Figure.text`,
`DateSpan.text`) next to what those words mean.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reconcile.core.dates import DateError, DateSpan, parse_span
from reconcile.core.figures import Figure, FigureError, parse_figure
from reconcile.core.numbers import (
    comma_language,
    decimal_comma,
    find_numbers,
    reading_decimal_comma,
)
from reconcile.core.text import normalise


class Metric(StrEnum):
    """What a figure counts.  `casualties` is killed-or-wounded reported combined."""

    DEPLOYED = "deployed"
    KILLED = "killed"
    WOUNDED = "wounded"
    CASUALTIES = "casualties"
    CAPTURED = "captured"
    MISSING = "missing"


METRICS: tuple[Metric, ...] = tuple(Metric)
_METRIC_FIELDS = tuple((metric, metric.value) for metric in METRICS)
_GIVEN = operator.itemgetter(*(metric.value for metric in METRICS))
"""An estimate's figures, from its fields' dict, in one call (`_has_a_figure`)."""
_NO_FIGURES = (None,) * len(METRICS)


class SourceKind(StrEnum):
    GOVERNMENT = "government"
    MILITARY = "military"
    INTELLIGENCE = "intelligence"
    MEDIA = "media"
    NGO = "ngo"
    INDIVIDUAL = "individual"
    OTHER = "other"


THIRD_PARTY = "third-party"
MAX_QUOTE_CHARS = 10_000
"""A quote is a sentence or a paragraph; longer ones are refused (`quote-too-long`),
so provenance never searches documents for megabytes of text."""
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_DRIVE = re.compile(r"^[A-Za-z]:")


_Memo = tuple[dict[int | str, Figure], dict[str, DateSpan]]
_SHARING: ContextVar[_Memo | None] = ContextVar("reconcile_sharing", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    """Within it, models read each distinct figure and date text once and share the
    result (`Figure` and `DateSpan` are immutable): a ledger repeats its dates and
    many of its figures, so one parse serves every entry that writes the same text.
    Errors are never kept: each bad text raises, and is reported, where it stands.
    `ingest/build.py` builds a ledger inside it; the memo ends with the block."""
    token = _SHARING.set(({}, {}))
    try:
        yield
    finally:
        _SHARING.reset(token)


def _figure(value: Any) -> Figure:
    if isinstance(value, Figure):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PydanticCustomError(
            "figure",
            "a figure is a whole number or a phrase like 'about 3,800', not {kind}",
            {"kind": type(value).__name__, "offset": 0},
        )
    memo = _SHARING.get()
    if memo is not None and not reading_decimal_comma():  # the grammar reads "4.000" so
        known = memo[0].get(value)  # int and str keys never meet: 1 != "1"
        if known is None:
            known = memo[0][value] = _parse_figure(value)
        return known
    return _parse_figure(value)


def _parse_figure(value: int | str) -> Figure:
    try:
        return parse_figure(value)
    except FigureError as exc:
        raise PydanticCustomError(
            "figure", "{message}", {"message": exc.message, "offset": exc.offset}
        ) from None


def _span(value: Any) -> DateSpan:
    if isinstance(value, DateSpan):
        return value
    memo = _SHARING.get()
    if memo is not None and type(value) is str:
        known = memo[1].get(value)
        if known is None:
            known = memo[1][value] = _parse_span(value)
        return known
    return _parse_span(value)


def _parse_span(value: Any) -> DateSpan:
    try:
        return parse_span(value)
    except DateError as exc:
        raise PydanticCustomError(
            "date", "{message}", {"message": exc.message, "offset": exc.offset}
        ) from None


FigureField = Annotated[
    Figure,
    PlainValidator(_figure),
    PlainSerializer(lambda figure: figure.text, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "description": "a figure phrase, see docs/qualifiers.md"},
            ]
        }
    ),
]
DateField = Annotated[
    DateSpan,
    PlainValidator(_span),
    PlainSerializer(lambda span: span.text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$",
            "description": "2025-01-13, 2025-01, 2025 or an ISO interval 2024-12-20/2024-12-31",
        }
    ),
]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
"""One set of field names per distinct combination, shared by every model that set
those fields (see `_Model._share_fields_set`)."""


class _Model(BaseModel):
    # defer_build: a model's own validator is built when first used.  A clean ledger
    # is validated by `Ledger` alone (ingest/build.py), whose validator holds every
    # entry's schema; `Estimate`, `Header`... are validated one by one only when an
    # entry fails, or for an included file, and so built only then.
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=False, defer_build=True
    )

    @model_validator(mode="after")
    def _share_fields_set(self) -> Any:
        """Hold the names of the fields this entry set in a set shared with every entry
        that set the same ones.  Pydantic makes one set per model (an estimate's took
        more memory than its fields' dict: about 100 MB of a 100,000-estimate ledger)
        and never changes it on a frozen model; `model_copy` copies it first.  At most
        one set per combination of a model's field names (bounded)."""
        own = self.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(own), own)
        if shared is not own:
            object.__setattr__(self, "__pydantic_fields_set__", shared)
        return self


class Source(_Model):
    """Who made an estimate."""

    id: Id
    name: Text
    kind: SourceKind
    party: Text = Field(description="a belligerent's name, or 'third-party'")
    aliases: tuple[Text, ...] = ()
    notes: str | None = None
    acknowledged: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")], Text] = Field(
        default_factory=dict,
        description="warnings a person has checked for this entry: check id -> why it is "
        "right as it is (validate no longer reports them; an id that no longer fires is "
        "reported)",
    )

    @property
    def is_party(self) -> bool:
        return self.party != THIRD_PARTY


class Document(_Model):
    """An archived report."""

    id: Id
    path: str | None = Field(
        default=None,
        description="archived text, relative to the archive folder; absent when not archived yet",
    )
    title: Text
    publisher: str | None = Field(
        description="null when the text does not establish it (say why in notes)"
    )
    published: DateField | None = Field(
        description="null when the text does not establish it (say why in notes)"
    )
    url: str | None = None
    language: str | None = None
    relays: Annotated[
        tuple[Text, ...],
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "array", "items": {"type": "string", "minLength": 1}},
                ],
                "description": "the outlet(s) the document cites: one name or a list",
            }
        ),
    ] = ()
    notes: str | None = None
    original: str | None = Field(
        default=None,
        description="the file as saved (HTML, PDF, WARC, WACZ), relative to the archive "
        "folder; `path` is the text read from it (reconcile archive add)",
    )
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        default=None, description="the sha256 of the original file's bytes"
    )
    needs_review: tuple[Literal["title", "publisher", "published", "language", "url"], ...] = Field(
        default=(),
        description="fields not read from the document's metadata (or read from something "
        "that is not what they mean): check them, then remove them from this list",
    )
    acknowledged: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")], Text] = Field(
        default_factory=dict,
        description="warnings a person has checked for this entry: check id -> why it is "
        "right as it is (validate no longer reports them; an id that no longer fires is "
        "reported)",
    )

    @field_validator("path", "original")
    @classmethod
    def _inside_archive(cls, value: str | None) -> str | None:
        if value is None:
            return value
        _printable_path(value)
        parts = value.replace("\\", "/").split("/")
        if (
            value.startswith(("/", "\\"))
            or _DRIVE.match(value)
            or ".." in parts
            or not value.strip()
        ):
            message = (
                f"the path {value[:200]!r} leaves the archive folder; "
                "give it relative to the archive"
            )
            raise PydanticCustomError("path", "{message}", {"message": message, "offset": 0})
        return value

    @field_validator("relays", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise PydanticCustomError("url", "a url starts with http:// or https://", {"offset": 0})
        return value


class Report(_Model):
    """One document reporting an estimate, with the exact words it used."""

    document: Id
    quote: Text
    wording: dict[Metric, FigureField] | None = Field(
        default=None,
        description="the figures as this report words them, when reports of one claim differ",
    )
    omits: tuple[Metric, ...] = Field(
        default=(),
        description="the estimate's metrics this report does not print: it is never "
        "credited with them",
    )
    notes: str | None = None

    @field_validator("quote")
    @classmethod
    def _bounded(cls, value: str) -> str:
        if len(value) > MAX_QUOTE_CHARS:
            message = (
                f"the quote is {len(value):,} characters long, over the "
                f"{MAX_QUOTE_CHARS:,}-character limit"
            )
            raise PydanticCustomError(
                "quote_too_long", "{message}", {"message": message, "offset": 0}
            )
        return value


class Estimate(_Model):
    """One claim: who, when, which figures, and where it was reported."""

    id: Id
    claimant: Id
    as_of: DateField
    subject: Text | None = None
    period: DateField | None = None
    deployed: FigureField | None = None
    killed: FigureField | None = None
    wounded: FigureField | None = None
    casualties: FigureField | None = None
    captured: FigureField | None = None
    missing: FigureField | None = None
    reported_in: tuple[Report, ...] = Field(min_length=1)
    notes: str | None = None
    acknowledged: dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")], Text] = Field(
        default_factory=dict,
        description="warnings a person has checked for this entry: check id -> why it is "
        "right as it is (validate no longer reports them; an id that no longer fires is "
        "reported)",
    )

    @model_validator(mode="after")
    def _has_a_figure(self) -> Estimate:
        if _GIVEN(self.__dict__) == _NO_FIGURES:  # one call per estimate, no generator
            raise PydanticCustomError(
                "no_figures",
                "an estimate needs at least one figure ({metrics})",
                {"metrics": ", ".join(METRICS), "offset": 0},
            )
        return self

    def printed_by(
        self, report: Report, *, comma: bool = False, said: AbstractSet[int] | None = None
    ) -> dict[Metric, Figure]:
        """The figures one report printed, in its words: the estimate's figures less those
        it `omits` and those whose numbers its quote does not hold, each in the report's
        `wording` where it has one (a wording is taken as printed).

        The quote is read as provenance reads it: normalised, with a decimal comma when
        its document's language writes one (`comma`, from `decimal_commas`), so a German
        report's "4.000" prints 4,000.  `said`: the quote's numbers, when the caller has
        read them already."""
        wording = report.wording or {}
        printed: dict[Metric, Figure] = {}
        for metric, figure in self.figures().items():
            if metric in report.omits:
                continue
            if metric in wording:
                printed[metric] = wording[metric]
                continue
            if said is None:
                with decimal_comma(comma):
                    said = {mention.value for mention in find_numbers(normalise(report.quote))}
            if figure.numbers and not all(n in said for n in figure.numbers):
                continue  # its quote does not give this figure: never credited with it
            printed[metric] = figure
        return printed

    def figures(self) -> dict[Metric, Figure]:
        """The figures given, in the order of METRICS."""
        found = {}
        for metric, field in _METRIC_FIELDS:
            figure = getattr(self, field)
            if figure is not None:
                found[metric] = figure
        return found


def _printable_path(value: str) -> str:
    """Refuse a path with control characters (a NUL cannot name a file)."""
    for offset, char in enumerate(value):
        if not char.isprintable():
            raise PydanticCustomError(
                "path_chars",
                "the path holds the control character {char} (at {offset}); a file name cannot",
                {"char": f"U+{ord(char):04X}", "offset": offset},
            )
    return value


class Header(_Model):
    """The ledger's top-level fields, apart from its lists."""

    title: Text
    subject: Text
    archive: str = Field(
        default="../seeds",
        description="folder of archived texts, relative to this file (never absolute)",
    )
    include: tuple[Text, ...] = Field(
        default=(),
        description="other ledger files whose sources, documents and estimates join this "
        "ledger: paths or globs relative to this file (docs/ledger-format.md)",
    )

    @field_validator("archive")
    @classmethod
    def _relative(cls, value: str) -> str:
        return _relative_folder(value)


def _relative_folder(value: str) -> str:
    """An archive folder is given relative to the ledger file, so a ledger cannot point
    the tool at an arbitrary folder of the machine it runs on."""
    _printable_path(value)
    if value.startswith(("/", "\\", "~")) or _DRIVE.match(value) or not value.strip():
        message = f"the archive folder {value[:200]!r} must be relative to the ledger file"
        raise PydanticCustomError("path", "{message}", {"message": message, "offset": 0})
    return value


class Included(_Model):
    """The top-level fields of an included file: title and subject are optional (and
    ignored: the root ledger's are used); archive and include apply to the file itself."""

    title: Text | None = None
    subject: Text | None = None
    archive: str | None = None
    include: tuple[Text, ...] = ()

    @field_validator("archive")
    @classmethod
    def _relative(cls, value: str | None) -> str | None:
        return None if value is None else _relative_folder(value)


class Ledger(Header):
    model_config = ConfigDict(defer_build=False)  # every run validates with it
    sources: tuple[Source, ...] = ()
    documents: tuple[Document, ...] = ()
    estimates: tuple[Estimate, ...] = ()

    def subject_of(self, estimate: Estimate) -> str:
        return estimate.subject or self.subject


def decimal_commas(ledger: Ledger) -> dict[str, bool]:
    """Whether each document (by id) is read with a decimal comma: its language writes
    one, so its "4.000" is 4,000 (`Estimate.printed_by`, provenance)."""
    return {document.id: comma_language(document.language) for document in ledger.documents}


class IncludedLedger(Included):
    """A file pulled in by `include:` (used for its JSON Schema only: deferred, as
    `_Model`, its validator is never built by a run that only validates)."""

    sources: tuple[Source, ...] = ()
    documents: tuple[Document, ...] = ()
    estimates: tuple[Estimate, ...] = ()


def json_schema(*, included: bool = False) -> dict[str, Any]:
    """The JSON Schema of a ledger file (or of an included file), for editors.

    Committed as schema/ledger.schema.json and schema/included.schema.json
    (`reconcile schema`); a test fails when they drift from the models.
    """
    model: type[_Model] = IncludedLedger if included else Ledger
    generated = model.model_json_schema()
    kind = "an included file of a reconcile ledger" if included else "a reconcile ledger"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"reconcile {'included file' if included else 'ledger'}",
        "description": f"The format of {kind}; see docs/ledger-format.md.",
        **{k: v for k, v in generated.items() if k not in ("title", "description")},
    }


SECTIONS: dict[str, type[_Model]] = {
    "sources": Source,
    "documents": Document,
    "estimates": Estimate,
}
