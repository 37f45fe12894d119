"""A ledger that tries to inject markup wherever a string reaches a page or an SVG.

It validates cleanly (reports refuse a ledger with errors), so every string
below reaches the HTML report: names, aliases, subject, title, quotes, notes,
urls.  A page that escapes them shows them as text; none may run.
"""

from __future__ import annotations

import json
from pathlib import Path


def _q(text: str) -> str:
    """A YAML scalar for `text` (JSON strings are YAML)."""
    return json.dumps(text)


SCRIPT = "<script>window.__pwned = 1; alert('pwned')</script>"
SVG = '<svg onload="window.__pwned = 2"><script>window.__pwned = 3</script></svg>'
IMG = '<img src=x onerror="window.__pwned = 4">'
JS_LINK = '<a href="javascript:window.__pwned = 5">click</a>'
CLOSE = "</textarea></title></style></svg>"

QUOTE = (
    f"officials said {SVG} that at least 300 soldiers were killed {SCRIPT} "
    f"and about 2,700 were wounded {IMG} javascript:alert(1) {CLOSE}"
)
SECOND = f"others reported {SVG} 3000 dead {JS_LINK}"
ARTICLE = f"By 10 January 2025, {QUOTE}. In January, {SECOND}.\n"
NAME = f"Officials {SCRIPT}"
OTHER = f"Others {IMG}"

LEDGER = f"""\
title: {_q(f"Hostile {CLOSE}{SCRIPT}")}
subject: {_q(f"Troops {SVG}")}
archive: archive
sources:
  - id: officials
    name: {_q(NAME)}
    kind: government
    party: third-party
    aliases: [{_q(IMG)}]
    notes: {_q(JS_LINK)}
  - id: others
    name: {_q(OTHER)}
    kind: media
    party: {_q(SVG)}
documents:
  - id: article
    path: article.txt
    title: {_q(f"An article {SCRIPT}")}
    publisher: {_q(IMG)}
    published: 2025-01-12
    url: {_q('https://example.org/"onmouseover="window.__pwned=6"x="')}
    notes: {_q(JS_LINK)}
estimates:
  - id: e1
    claimant: officials
    as_of: 2025-01-10
    killed: at least 300
    wounded: about 2,700
    notes: {_q(SVG)}
    reported_in:
      - document: article
        quote: {_q(QUOTE)}
  - id: e2
    claimant: others
    as_of: 2025-01
    killed: 3000
    reported_in:
      - document: article
        quote: {_q(SECOND)}
        notes: {_q(SCRIPT)}
"""


def write(folder: Path) -> Path:
    """Write the hostile ledger and its archive into `folder`; return the ledger's path."""
    (folder / "archive").mkdir(parents=True, exist_ok=True)
    (folder / "archive" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "ledger.yaml"
    path.write_text(LEDGER, encoding="utf-8")
    return path
