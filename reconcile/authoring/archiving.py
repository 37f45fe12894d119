"""`reconcile archive add`: a saved web page, PDF or web archive into the ledger's archive.

Each format is read with the well-kept library for it, imported only here and
only when needed (the optional `archive` extra): trafilatura for HTML (the
article's main text, without navigation, adverts, comments or related links,
and its metadata from `<meta>` tags and JSON-LD), pypdf for PDF (the text
layer and the document information), warcio for WARC files and the WARC files
inside a WACZ (the archived page's HTML or PDF, and the address it was
captured from).  Plain UTF-8 text is accepted as it is.

The original bytes are kept beside the extracted text, under a name that ends
in the first 12 hex digits of their sha256; quotes are matched against the
text, and the original stays for a reader to check.  A file already in the
archive is never overwritten with different content.

Every metadata field says where it came from (`Page.read_from`) or that a
person must check it (`Page.review`): a PDF's creation date or a web archive's
capture date is not a publication date, and nothing is guessed silently.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconcile.authoring.adding import add_entry, document_entry, unique_id
from reconcile.authoring.columns import slug
from reconcile.checks.run import check_file
from reconcile.ingest.archive import archive_folder
from reconcile.ingest.reader import read_regular

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""The largest file `archive add` reads (a WACZ's unpacked WARCs count against it too)."""
MAX_PDF_PAGES = 2000
FIELDS = ("title", "publisher", "published", "language", "url")
EXTRA_HINT = "install the archive extra: pip install 'reconcile-ledger[archive]'"


class ArchiveError(Exception):
    """A file `archive add` cannot read; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class Page:
    """What was read from one file: its text, its metadata and where each came from."""

    text: str
    kind: str
    """html, pdf, warc (+html/pdf), wacz (+html/pdf) or text."""
    original: bytes
    suffix: str
    metadata: dict[str, str | None] = field(default_factory=dict)
    read_from: dict[str, str] = field(default_factory=dict)
    """field -> where it was read ("the page's metadata", "the PDF's information", ...)."""
    review: tuple[str, ...] = ()
    """The fields a person must check: not found, or not what they seem."""
    reader: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.original).hexdigest()


def read_file(path: Path, *, url: str | None = None) -> Page:
    """Read a saved page through the one reader (a regular file, at most
    MAX_INPUT_BYTES); raises ArchiveError with a clear message when it cannot."""
    raw = read_regular(path, MAX_INPUT_BYTES)
    if isinstance(raw, str):
        raise ArchiveError(f"{path}: the file {raw}")
    return read_bytes(raw, path.name, url=url)


def read_bytes(raw: bytes, name: str, *, url: str | None = None) -> Page:
    kind = sniff(raw, name)
    if kind == "html":
        return from_html(raw, url=url)
    if kind == "pdf":
        return from_pdf(raw, url=url)
    if kind == "warc":
        return from_warc(raw, url=url)
    if kind == "wacz":
        return from_wacz(raw, url=url)
    return from_text(raw, name, url=url)


_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)


def sniff(raw: bytes, name: str) -> str:
    """What a file is, from its first bytes (and, for plain text, its name)."""
    lowered = name.lower()
    head = raw[:4096].lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and lowered.endswith(".wacz"):
        return "wacz"
    if head.startswith(b"WARC/") or (
        head.startswith(b"\x1f\x8b") and lowered.endswith((".warc.gz", ".warc"))
    ):
        return "warc"
    if _HTML_START.match(head) or lowered.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if lowered.endswith((".txt", ".text", ".md")):
        return "text"
    raise ArchiveError(
        f"{name}: cannot tell what this file is; archive add reads HTML (.html), PDF, "
        "WARC (.warc, .warc.gz), WACZ (.wacz) and UTF-8 text (.txt)"
    )


# --- HTML ----------------------------------------------------------------------

_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9-]+)?", re.I)


def from_html(raw: bytes, *, url: str | None = None, kind: str = "html") -> Page:
    try:
        import trafilatura
    except ImportError:
        raise ArchiveError(f"reading HTML needs trafilatura; {EXTRA_HINT}") from None
    found = trafilatura.bare_extraction(
        raw,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        # the date from the page's markup only, never guessed from its text or links
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(found, "text", None) if found is not None else None
    if not text or not text.strip():
        raise ArchiveError(f"no article text found in this {kind.upper()} page")
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    metadata: dict[str, str | None] = {
        "title": _clean(getattr(found, "title", None)),
        "publisher": _clean(getattr(found, "sitename", None)),
        "published": _iso_day(getattr(found, "date", None)),
        "language": _clean(getattr(found, "language", None)),
        "url": _http(getattr(found, "url", None)),
    }
    if metadata["language"] is None:
        match = _LANG.search(raw[:65536])
        metadata["language"] = match.group(1).decode("ascii").lower() if match else None
    elif metadata["language"]:
        metadata["language"] = metadata["language"].split("-")[0].lower()
    where = "the page's metadata (<meta>, JSON-LD)"
    read_from = {name: where for name, value in metadata.items() if value is not None}
    if url is not None:
        metadata["url"], read_from["url"] = url, "the command line"
    return Page(
        text="\n\n".join(paragraphs) + "\n",
        kind=kind,
        original=raw,
        suffix=".html",
        metadata=metadata,
        read_from=read_from,
        review=tuple(name for name in FIELDS if metadata.get(name) is None),
        reader="trafilatura",
    )


# --- PDF -----------------------------------------------------------------------


def from_pdf(raw: bytes, *, url: str | None = None, kind: str = "pdf") -> Page:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise ArchiveError(f"reading PDF needs pypdf; {EXTRA_HINT}") from None
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise ArchiveError("the PDF is encrypted; save an unprotected copy first")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise ArchiveError(f"the PDF has {len(pages):,} pages, over {MAX_PDF_PAGES:,}")
        texts = [page.extract_text() or "" for page in pages]
        info = reader.metadata
        language = reader.root_object.get("/Lang")
    except ArchiveError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ArchiveError(f"the PDF cannot be read ({type(exc).__name__}: {exc})") from None
    body = "\n\n".join(text.strip() for text in texts if text.strip())
    if not body.strip():
        raise ArchiveError(
            "the PDF has no text layer (a scan?); run it through OCR and archive the text"
        )
    title = _clean(getattr(info, "title", None)) if info else None
    created = None
    if info is not None:
        try:
            moment = info.creation_date
        except (ValueError, TypeError):
            moment = None
        created = moment.date().isoformat() if moment is not None else None
    metadata: dict[str, str | None] = {
        "title": title,
        "publisher": None,
        "published": created,
        "language": _primary_language(language),
        "url": url,
    }
    read_from = {}
    if title:
        read_from["title"] = "the PDF's document information"
    if metadata["language"]:
        read_from["language"] = "the PDF's /Lang"
    if created:
        read_from["published"] = "the PDF's creation date (not always the publication date)"
    if url:
        read_from["url"] = "the command line"
    review = [name for name in FIELDS if metadata.get(name) is None]
    if created:
        review.append("published")  # a creation date is not a publication date
    return Page(
        text=body + "\n",
        kind=kind,
        original=raw,
        suffix=".pdf",
        metadata=metadata,
        read_from=read_from,
        review=tuple(name for name in FIELDS if name in review),
        reader="pypdf",
    )


# --- web archives ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Capture:
    url: str | None
    date: str | None
    content_type: str
    payload: bytes


def _captures(stream: io.BufferedIOBase | io.BytesIO) -> Iterator[_Capture]:
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise ArchiveError(f"reading web archives needs warcio; {EXTRA_HINT}") from None
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "resource"):
                continue
            content_type = ""
            if record.http_headers is not None:
                status = record.http_headers.get_statuscode()
                if status and not status.startswith("2"):
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
            else:
                content_type = record.rec_headers.get_header("Content-Type") or ""
            payload = record.content_stream().read(MAX_INPUT_BYTES + 1)
            if len(payload) > MAX_INPUT_BYTES:
                raise ArchiveError("a record of the web archive is over the size limit")
            yield _Capture(
                record.rec_headers.get_header("WARC-Target-URI"),
                record.rec_headers.get_header("WARC-Date"),
                content_type.split(";")[0].strip().lower(),
                payload,
            )
    except ArchiveLoadFailed as exc:
        raise ArchiveError(f"the web archive cannot be read ({exc})") from None


def _page_of(captures: Iterator[_Capture], url: str | None, kind: str) -> Page:
    pages = []
    for capture in captures:
        if capture.content_type in ("text/html", "application/xhtml+xml"):
            pages.append((capture, "html"))
        elif capture.content_type == "application/pdf":
            pages.append((capture, "pdf"))
    if url is not None:
        chosen = [page for page in pages if page[0].url == url]
        if not chosen:
            listed = ", ".join(sorted({p[0].url or "?" for p in pages})[:5]) or "none"
            raise ArchiveError(f"the web archive holds no page captured from {url} ({listed})")
        pages = chosen
    if not pages:
        raise ArchiveError("the web archive holds no HTML page or PDF")
    if len(pages) > 1 and url is None:
        listed = ", ".join(sorted({p[0].url or "?" for p in pages})[:5])
        raise ArchiveError(
            f"the web archive holds {len(pages)} pages ({listed}); choose one with --url"
        )
    capture, inner = pages[0]
    reader = from_html if inner == "html" else from_pdf
    page = reader(capture.payload, kind=f"{kind} ({inner})")
    metadata = dict(page.metadata)
    read_from = dict(page.read_from)
    if metadata.get("url") is None and capture.url:
        metadata["url"] = _http(capture.url)
        read_from["url"] = "the web archive's WARC-Target-URI"
    if url is not None:
        metadata["url"], read_from["url"] = url, "the command line"
    review = [name for name in page.review if metadata.get(name) is None or name == "published"]
    return Page(
        text=page.text,
        kind=page.kind,
        original=b"",  # the caller keeps the whole web archive as the original
        suffix="",
        metadata=metadata,
        read_from=read_from,
        review=tuple(name for name in FIELDS if name in review),
        reader=f"warcio + {page.reader}",
    )


def from_warc(raw: bytes, *, url: str | None = None) -> Page:
    page = _page_of(_captures(io.BytesIO(raw)), url, "warc")
    return _with_original(page, raw, ".warc.gz" if raw[:2] == b"\x1f\x8b" else ".warc")


def from_wacz(raw: bytes, *, url: str | None = None) -> Page:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [
            info
            for info in archive.infolist()
            if info.filename.startswith("archive/") and ".warc" in info.filename
        ]
        if sum(info.file_size for info in members) > MAX_INPUT_BYTES:
            raise ArchiveError("the WACZ's web archives are over the size limit once unpacked")
        if not members:
            raise ArchiveError("the WACZ holds no web archive (archive/*.warc.gz)")
        main = _wacz_main_page(archive)

        def captures() -> Iterator[_Capture]:
            for info in members:
                with archive.open(info) as handle:
                    yield from _captures(io.BytesIO(handle.read()))

        page = _page_of(captures(), url or main, "wacz")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ArchiveError(f"the WACZ cannot be read ({exc})") from None
    return _with_original(page, raw, ".wacz")


def _wacz_main_page(archive: zipfile.ZipFile) -> str | None:
    """The first page a WACZ lists (pages/pages.jsonl), if it lists one."""
    try:
        with archive.open("pages/pages.jsonl") as handle:
            for line in io.TextIOWrapper(handle, encoding="utf-8"):
                entry: Any = json.loads(line) if line.strip() else {}
                if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                    return str(entry["url"])
    except (KeyError, ValueError, UnicodeDecodeError):
        return None
    return None


def _with_original(page: Page, raw: bytes, suffix: str) -> Page:
    return Page(
        page.text, page.kind, raw, suffix, page.metadata, page.read_from, page.review, page.reader
    )


# --- plain text ----------------------------------------------------------------


def from_text(raw: bytes, name: str, *, url: str | None = None) -> Page:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise ArchiveError(f"{name}: the file is empty")
    metadata: dict[str, str | None] = dict.fromkeys(FIELDS)
    metadata["url"] = url
    read_from = {"url": "the command line"} if url else {}
    return Page(
        text if text.endswith("\n") else text + "\n",
        "text",
        raw,
        ".txt",
        metadata,
        read_from,
        tuple(name for name in FIELDS if metadata[name] is None),
        "as is",
    )


# --- storing ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stored:
    """Where a page was archived, relative to the archive folder."""

    text_path: str
    original_path: str | None
    created: tuple[Path, ...]
    """Files this call wrote (the others were there already, with the same bytes)."""


def project_root(ledger_path: Path) -> Path:
    """The repository the ledger is in (the nearest folder above it with .git), else
    the folder that holds the ledger's folder (data/estimates.yaml beside archive/)."""
    start = ledger_path.resolve().parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start.parent


def file_stem(page: Page, fallback: str) -> str:
    """`<title words>_<12 hex of sha256>`: readable, and unique to the original's bytes."""
    words = slug(" ".join((page.metadata.get("title") or fallback).split()[:8]))[:60].rstrip("-")
    return f"{words or 'document'}_{page.sha256[:12]}"


def store(page: Page, folder: Path, stem: str) -> Stored:
    """Write the text (and the original, unless it is the text) into the archive folder.

    Refuses (ArchiveError) to replace a file that holds different bytes.
    """
    files: list[tuple[str, bytes]] = [(stem + ".txt", page.text.encode("utf-8"))]
    original = None
    if page.suffix != ".txt":
        original = stem + page.suffix
        files.append((original, page.original))
    for name, content in files:
        target = folder / name
        if target.exists() and (not target.is_file() or target.read_bytes() != content):
            raise ArchiveError(
                f"{target} exists with different content; it is never overwritten "
                "(move it away, or archive under another --id)"
            )
    created: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files:
        target = folder / name
        if target.exists():
            continue
        try:
            with target.open("xb") as handle:  # never replaces a file written meanwhile
                handle.write(content)
        except OSError as exc:
            for path in created:
                path.unlink(missing_ok=True)
            raise ArchiveError(f"cannot write {target}: {exc.strerror or exc}") from None
        created.append(target)
    return Stored(stem + ".txt", original, tuple(created))


def _primary_language(value: Any) -> str | None:
    """'en' of 'en-GB'."""
    text = _clean(str(value)) if value else None
    return text.split("-")[0].lower() if text else None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _iso_day(value: Any) -> str | None:
    text = _clean(value)
    if text and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text[:10]):
        return text[:10]
    return None


def _http(value: Any) -> str | None:
    text = _clean(value)
    return text if text and re.match(r"^https?://[^\s/]+", text) else None


# --- into the ledger ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Archived:
    """What `archive add` did: the page read, where it went, and the ledger change."""

    page: Page
    document_id: str
    stored: Stored | None = None
    added: Any = None
    """adding.Added, or None when the document was already in the ledger."""
    existing: str | None = None
    """The id of the ledger document that already archives these bytes."""


def archive_into(
    file: Path,
    ledger_path: Path,
    *,
    overrides: dict[str, str | None],
    document_id: str | None = None,
    write: bool = True,
) -> Archived:
    """Read `file`, store it in the ledger's archive and add its `documents` entry.

    Raises ArchiveError for input it cannot read and a ledger it cannot use.
    A refused ledger change (see `Archived.added.refused`) removes the files
    this call stored, so nothing is left half done.
    """
    page = read_file(file, url=overrides.get("url"))
    checked = check_file(ledger_path, display=str(ledger_path))
    if checked.ledger is None:
        raise ArchiveError(f"{ledger_path} cannot be read as a ledger; run reconcile validate")
    ledger = checked.ledger
    for document in ledger.documents:
        if document.sha256 == page.sha256:
            return Archived(page, document.id, existing=document.id)
    metadata = dict(page.metadata)
    read_from = dict(page.read_from)
    review = list(page.review)
    for name, value in overrides.items():
        if value is not None:
            metadata[name] = value
            read_from[name] = "the command line"
            if name in review:
                review.remove(name)
    title = metadata.get("title") or file.stem
    entry_id = document_id or unique_id(
        " ".join(title.split()[:6]), [d.id for d in ledger.documents]
    )
    folder = archive_folder(ledger, ledger_path)
    root = project_root(ledger_path)
    if not folder.is_relative_to(root):
        raise ArchiveError(
            f"the ledger's archive folder {ledger.archive!r} is outside {root}; "
            "archive add writes only inside the ledger's repository"
        )
    stem = file_stem(Page(page.text, page.kind, page.original, page.suffix, metadata), file.stem)
    # stored even for a dry run: the new entry is validated against the stored text
    stored = store(page, folder, stem)
    text_path, original = stored.text_path, stored.original_path
    notes = (
        f"Archived with reconcile archive add from {file.name} ({page.kind}, read by "
        f"{page.reader})."
    )
    sources = sorted(set(read_from.values()))
    if sources:
        notes += (
            " "
            + "; ".join(
                f"{', '.join(n for n in FIELDS if read_from.get(n) == s)} from {s}" for s in sources
            )
            + "."
        )
    entry = document_entry(
        id=entry_id,
        title=title,
        path=text_path,
        publisher=metadata.get("publisher"),
        published=metadata.get("published"),
        url=metadata.get("url"),
        language=metadata.get("language"),
        notes=notes,
    )
    ordered = {"id": entry.pop("id"), "path": entry.pop("path")}
    if original is not None and original != text_path:
        ordered["original"] = original
    ordered["sha256"] = page.sha256
    entry = {**ordered, **entry}
    if "title" not in read_from and "title" not in review:
        review.append("title")
    if review:
        entry["needs_review"] = [name for name in FIELDS if name in review]
    added = add_entry(ledger_path, "document", entry, display=str(ledger_path), write=write)
    if not added.written:
        for path in stored.created:
            path.unlink(missing_ok=True)
    return Archived(page, entry_id, stored, added)
