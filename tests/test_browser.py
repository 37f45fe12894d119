"""The HTML report opened in a real browser: headless Chromium (Debian's `chromium`
package) driven by Playwright for Python, never a downloaded browser.

Each page is loaded from a file with every request routed through a handler
that lets only file: and data: URLs through and records any other: the page
must make none.  Console errors and page errors fail the test.  Screenshots
are kept in tests/artifacts/ (ignored by git) for a person to look at.

Without Chromium these tests skip, unless $RECONCILE_REQUIRE_BROWSER is set,
as .ci/run sets it: in CI a missing browser fails.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reconcile.checks.run import check_file
from reconcile.cli import app
from reconcile.core.text import normalise
from tests import economist, hostile
from tests.conftest import ROOT, SHIPPED

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium() -> str | None:
    return os.environ.get("RECONCILE_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = chromium()
    required = bool(os.environ.get("RECONCILE_REQUIRE_BROWSER"))
    if path is None:
        if required:
            pytest.fail("chromium is not installed, and $RECONCILE_REQUIRE_BROWSER is set")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    if required:
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Opened:
    """A page loaded from a file, with what it asked for and what it complained of."""

    def __init__(self, browser: Any, path: Path, width: int = 1100, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri(), wait_until="load")

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.blocked == []
        assert [url for url in self.requests if not url.startswith(("file:", "data:"))] == []
        assert self.errors == []
        assert self.dialogs == []

    def close(self) -> None:
        self.context.close()


def write_report(tmp_path: Path, ledger: Path, name: str = "report.html") -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(
        app, ["report", "--ledger", str(ledger), "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return out


def shoot(opened: Opened, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    opened.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def test_shipped_report_is_offline_clean_and_shows_its_figures(
    browser: Any, tmp_path: Path
) -> None:
    opened = Opened(browser, write_report(tmp_path, SHIPPED))
    try:
        page = opened.page
        summary = page.locator("#summary")
        assert summary.is_visible()
        text = summary.inner_text()
        for figure in ("~3,800", "≥300", "2,700", "~1,000", ">10,000", "12,000"):
            assert figure in text
        assert (
            page.locator("#discrepancies tbody tr").count() == 6
        )  # 3 conflicts (issue 15: nikkei "2025" may be a year later) and 3 wordings
        charts = page.locator("svg.chart")
        assert charts.count() == 5
        box = charts.first.bounding_box()
        assert box is not None and box["width"] > 500 and box["height"] > 150
        assert page.locator("script").count() == 0
        shoot(opened, "report-shipped.png")
        opened.assert_clean()
    finally:
        opened.close()


def test_each_quote_link_reaches_its_quote(browser: Any, tmp_path: Path) -> None:
    opened = Opened(browser, write_report(tmp_path, SHIPPED), height=700)
    try:
        page = opened.page
        links = page.locator('a[href^="#q-"]')
        count = links.count()
        assert count >= 10
        for n in range(count):
            link = links.nth(n)
            target = str(link.get_attribute("href"))[1:]
            quote = link.locator("xpath=preceding::blockquote[1]").inner_text()
            link.click()
            assert page.evaluate("location.hash") == "#" + target
            found = page.evaluate(
                """id => {
                  const el = document.getElementById(id);
                  const mark = el.tagName === 'MARK' ? el : el.closest('mark');
                  const r = el.getBoundingClientRect();
                  const box = mark.closest('.doctext').getBoundingClientRect();
                  return {text: mark.textContent, top: r.top, height: innerHeight,
                          boxTop: box.top, boxBottom: box.bottom};
                }""",
                target,
            )
            assert -1 <= found["top"] < found["height"], target
            assert found["boxTop"] <= found["top"] <= found["boxBottom"], target
            assert normalise(quote) in normalise(found["text"]), target
        opened.assert_clean()
    finally:
        opened.close()


def test_report_prints_whole(browser: Any, tmp_path: Path) -> None:
    opened = Opened(browser, write_report(tmp_path, SHIPPED))
    try:
        page = opened.page
        page.emulate_media(media="print")
        assert not page.locator("nav").is_visible()
        # archived texts print in full, not in a scrolling box
        heights = page.evaluate(
            "[...document.querySelectorAll('.doctext')].map(e => e.scrollHeight - e.clientHeight)"
        )
        assert heights and max(heights) <= 1
        pdf = page.pdf(format="A4")
        assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") > 3
        opened.assert_clean()
    finally:
        opened.close()


def test_report_reads_on_a_phone(browser: Any, tmp_path: Path) -> None:
    opened = Opened(browser, write_report(tmp_path, SHIPPED), width=375, height=740)
    try:
        page = opened.page
        # nothing wider than the screen but the boxes that scroll on their own
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 14
        shoot(opened, "report-phone.png")
        opened.assert_clean()
    finally:
        opened.close()


def test_economist_claims_report(browser: Any, tmp_path: Path) -> None:
    ledger = economist.import_ledger(tmp_path)
    opened = Opened(browser, write_report(tmp_path, ledger))
    try:
        page = opened.page
        text = page.locator("#summary table").first.inner_text()
        # the state of knowledge as of the latest claim (issue 15): CSIS's 1,490,000
        assert "1,490,000" in text and "CSIS" in text
        assert "as of 2026-06-30" in page.locator("#summary-h").inner_text()
        assert page.locator("svg.chart").count() == 4
        checked = check_file(ledger)
        assert checked.ledger is not None
        assert (
            page.locator("article.estimate").count() == len(checked.ledger.estimates) == 100
        )  # 124 rows, claims of one day and claimant grouped
        # long urls and titles wrap: nothing is wider than the window
        assert page.evaluate("document.documentElement.scrollWidth") <= 1100
        shoot(opened, "report-economist.png")
        opened.assert_clean()
    finally:
        opened.close()
    phone = Opened(browser, tmp_path / "report.html", width=375, height=740)
    try:
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 375
        phone.assert_clean()
    finally:
        phone.close()


def test_hostile_ledger_renders_inert(browser: Any, tmp_path: Path) -> None:
    ledger = hostile.write(tmp_path / "hostile")
    opened = Opened(browser, write_report(tmp_path, ledger))
    try:
        page = opened.page
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("script").count() == 0
        assert page.locator("img").count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        attributes = page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on'))"
        )
        assert attributes == []
        body = unicodedata.normalize("NFC", page.locator("body").inner_text())
        assert hostile.SCRIPT in body
        assert hostile.IMG in body
        # hovering the hostile url's link runs nothing either
        page.locator('a[rel~="external"]').first.hover()
        for link in page.locator('a[href^="#q-"]').all():
            link.click()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        shoot(opened, "report-hostile.png")
        opened.assert_clean()
    finally:
        opened.close()


def test_timeline_svg_opens_clean_and_runs_nothing(browser: Any, tmp_path: Path) -> None:
    ledger = hostile.write(tmp_path / "hostile")
    target = tmp_path / "timeline.svg"
    result = CliRunner().invoke(
        app, ["timeline", "--ledger", str(ledger), "-o", str(target)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    opened = Opened(browser, target, width=760)
    try:
        page = opened.page
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("script").count() == 0
        texts = page.evaluate("[...document.querySelectorAll('text')].map(t => t.textContent)")
        assert any(hostile.SCRIPT[:20] in t for t in texts), texts
        opened.assert_clean()
    finally:
        opened.close()
