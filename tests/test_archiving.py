"""Archiving saved pages: HTML, PDF, WARC and WACZ into text plus the original bytes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from reconcile.authoring.archiving import ArchiveError, Page, read_bytes, sniff, store
from reconcile.core.text import normalise
from tests.conftest import ROOT

HTML = (ROOT / "tests" / "data" / "archiving" / "kursk-article.html").read_bytes()
URL = "https://news.example.org/world/2025/01/14/north-korean-losses-kursk"
ARTICLE = [
    "South Korea's National Intelligence Service told lawmakers on Monday that at least 300 "
    "North Korean soldiers sent to fight for Russia had been killed and another 2,700 wounded "
    "in the Kursk region.",
    "Ukraine's president, Volodymyr Zelensky, said last week that around 3,800 North Korean "
    "soldiers had been killed or wounded, a figure Seoul did not confirm.",
    "Analysts in Seoul cautioned that the numbers could not be independently verified.",
]
BOILERPLATE = [
    "Subscribe for 1 euro a week",  # navigation
    "ADVERTISEMENT",  # the banner
    "Sponsored",  # the advert inside the article
    "10,000 dead",  # a reader's comment
    "500 killed last week",  # another comment
    "Related articles",
    "Five things to know",  # a related article
    "All rights reserved",  # the footer
    "7 stories you need",
    "window.ads",  # a script
]


def make_pdf(lines: list[str], *, title: str | None, created: str | None) -> bytes:
    """A one-page PDF with a real text layer, written by hand (objects and xref)."""

    def literal(text: str) -> str:
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    content = "BT /F1 11 Tf 72 720 Td 14 TL " + " T* ".join(f"{literal(x)} Tj" for x in lines)
    content += " ET"
    info = []
    if title:
        info.append(f"/Title {literal(title)}")
    if created:
        info.append(f"/CreationDate {literal(created)}")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        "<< " + " ".join(info) + " >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    start = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{start}\n%%EOF\n".encode()
    )
    return out.getvalue()


def make_warc(records: list[tuple[str, str, bytes]], *, gzip: bool = True) -> bytes:
    """A WARC file with a request and a response record per (url, content type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for url, content_type, body in records:
        request = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "news.example.org")], is_http_request=True
        )
        writer.write_record(
            writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""), length=0, http_headers=request
            )
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
            )
        )
    return out.getvalue()


def test_html_keeps_only_the_article_and_reads_its_metadata() -> None:
    page = read_bytes(HTML, "kursk-article.html")
    assert page.kind == "html"
    assert page.reader == "trafilatura"
    for sentence in ARTICLE:
        assert sentence in page.text
    for junk in BOILERPLATE:
        assert junk not in page.text, junk
    assert page.metadata == {
        "title": "North Korean losses mount in Kursk, Seoul says",
        "publisher": "The Daily Ledger",
        "published": "2025-01-14",
        "language": "en",
        "url": URL,
    }
    assert set(page.read_from) == {"title", "publisher", "published", "language", "url"}
    assert page.review == ()
    assert page.original == HTML
    assert page.sha256 == hashlib.sha256(HTML).hexdigest()


def test_html_without_metadata_marks_the_fields_for_review() -> None:
    bare = (
        b"<html><body><div><p>"
        + b"Officials said that at least 300 soldiers were killed in the fighting this week. " * 4
        + b"</p></div></body></html>"
    )
    page = read_bytes(bare, "saved.html")
    assert "at least 300 soldiers were killed" in page.text
    assert page.review == ("title", "publisher", "published", "language", "url")
    assert page.read_from == {}


def test_pdf_text_layer_and_its_information() -> None:
    raw = make_pdf(ARTICLE[:2], title="Kursk briefing", created="D:20250114093000Z")
    page = read_bytes(raw, "briefing.pdf")
    assert (page.kind, page.reader, page.suffix) == ("pdf", "pypdf", ".pdf")
    # Helvetica's standard encoding has a right quote where ASCII has an apostrophe;
    # quotes are compared after normalising (as validate does)
    assert normalise(page.text) == normalise(" ".join(ARTICLE[:2]))
    assert page.metadata["title"] == "Kursk briefing"
    assert page.metadata["language"] == "en"
    assert page.metadata["published"] == "2025-01-14"
    # a creation date is not a publication date: kept, and marked for review
    assert page.review == ("publisher", "published", "url")


def test_a_pdf_without_text_is_refused() -> None:
    with pytest.raises(ArchiveError, match="no text layer"):
        read_bytes(make_pdf([], title=None, created=None), "scan.pdf")


def test_a_broken_pdf_is_refused() -> None:
    with pytest.raises(ArchiveError, match="the PDF cannot be read"):
        read_bytes(b"%PDF-1.4\nthis is not a PDF at all", "broken.pdf")


def test_warc_takes_the_html_page_and_its_capture_address() -> None:
    without_url = HTML.replace(b'<meta property="og:url"', b'<meta property="og:x"').replace(
        b'<link rel="canonical"', b'<link rel="x"'
    )
    raw = make_warc(
        [
            ("https://news.example.org/style.css", "text/css", b"body { color: red }"),
            ("https://news.example.org/kursk", "text/html; charset=utf-8", without_url),
        ]
    )
    page = read_bytes(raw, "capture.warc.gz")
    assert page.kind == "warc (html)"
    assert page.reader == "warcio + trafilatura"
    assert ARTICLE[0] in page.text and "ADVERTISEMENT" not in page.text
    assert page.metadata["url"] == "https://news.example.org/kursk"
    assert page.read_from["url"] == "the web archive's WARC-Target-URI"
    assert page.original == raw and page.suffix == ".warc.gz"


def test_a_warc_with_several_pages_needs_url() -> None:
    raw = make_warc(
        [
            ("https://news.example.org/a", "text/html", HTML),
            ("https://news.example.org/b", "text/html", HTML),
        ],
        gzip=False,
    )
    with pytest.raises(ArchiveError, match=r"holds 2 pages .*choose one with --url"):
        read_bytes(raw, "two.warc")
    page = read_bytes(raw, "two.warc", url="https://news.example.org/b")
    assert page.metadata["url"] == "https://news.example.org/b"
    assert page.read_from["url"] == "the command line"


def test_wacz_reads_the_page_its_index_lists() -> None:
    warc = make_warc(
        [
            ("https://news.example.org/other", "text/html", b"<html><body><p>x</p></body></html>"),
            ("https://news.example.org/kursk", "text/html", HTML),
        ]
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as wacz:
        wacz.writestr("archive/data.warc.gz", warc)
        wacz.writestr(
            "pages/pages.jsonl",
            '{"format": "json-pages-1.0"}\n'
            + json.dumps({"url": "https://news.example.org/kursk", "title": "Kursk"})
            + "\n",
        )
        wacz.writestr("datapackage.json", "{}")
    page = read_bytes(out.getvalue(), "capture.wacz")
    assert page.kind == "wacz (html)"
    assert ARTICLE[1] in page.text
    assert page.suffix == ".wacz"


@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n....", "photo.png", "cannot tell what this file is"),
        (b"WARC/1.0\r\nnonsense\r\n\r\n", "bad.warc", "web archive"),
        (b"PK\x03\x04garbage", "bad.wacz", "the WACZ cannot be read"),
        (b"caf\xe9", "notes.txt", "not UTF-8 text"),
        (
            b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
            "empty.html",
            "no article text",
        ),
    ],
)
def test_unreadable_input_is_refused_with_a_clear_message(
    raw: bytes, name: str, message: str
) -> None:
    with pytest.raises(ArchiveError, match=message):
        read_bytes(raw, name)


def test_sniffing_reads_the_bytes_not_only_the_name() -> None:
    assert sniff(b"%PDF-1.7\n", "download") == "pdf"
    assert sniff(b"<!DOCTYPE html><html>", "page") == "html"
    assert sniff(b"WARC/1.1\r\n", "capture") == "warc"


def test_store_never_overwrites_different_content(tmp_path: Path) -> None:
    page = Page("the text\n", "html", b"<html>original</html>", ".html")
    stored = store(page, tmp_path, "article_abc")
    assert stored.text_path == "article_abc.txt"
    assert stored.original_path == "article_abc.html"
    assert (tmp_path / "article_abc.html").read_bytes() == b"<html>original</html>"
    again = store(page, tmp_path, "article_abc")  # the same bytes: nothing to do
    assert again.created == ()
    (tmp_path / "article_abc.txt").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(ArchiveError, match="exists with different content"):
        store(page, tmp_path, "article_abc")
    assert (tmp_path / "article_abc.txt").read_text(encoding="utf-8") == "edited by hand\n"


def test_a_page_is_read_through_the_one_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing file, a FIFO, a folder or a file over the cap: a message, never a
    hang or a read of more than the cap."""
    import os

    from reconcile.authoring import archiving

    os.mkfifo(tmp_path / "fifo.html")
    (tmp_path / "big.html").write_bytes(b"<html>" + b"x" * 100)
    cases = {
        "missing.html": "does not exist",
        "fifo.html": "is not a regular file (a device, FIFO or socket)",
        ".": "is a folder, not a file",
    }
    for name, why in cases.items():
        with pytest.raises(ArchiveError) as raised:
            archiving.read_file(tmp_path / name)
        assert str(raised.value) == f"{tmp_path / name}: the file {why}"
    monkeypatch.setattr(archiving, "MAX_INPUT_BYTES", 50)
    with pytest.raises(ArchiveError, match="is over the 50-byte cap"):
        archiving.read_file(tmp_path / "big.html")
