"""Build a set of documents of other domains from plain-text sources into real files: PDFs
printed by headless Chromium, DOCX written by python-docx, HTML pages with a site's menus
around the text; then a config.yaml for them. Shared by eval/foreign (dev) and
eval/foreign_test (frozen); each of those says only what its documents are.

The tools are the project's format-test helpers (tests/helpers/documents.py): print_pdf with
flowing_html (text flowing over pages) or page_html (one group of sections per page), and
make_docx. Without Chromium (or a Chinese font), a PDF is written as DOCX instead and a line
says so.

A source draws a table as lines of cells split by " | " ("保障项目 | 保险金额 | 给付方式", then
its rows). By default those lines are copied as paragraphs (the frozen set is built so, and must
stay so); a set built with `tables=True` makes each run of two or more such lines a real table,
as real documents have them: a python-docx table with its first row as the header row in DOCX,
an HTML <table> (<th> for the first row, <td> for the rest) in web pages and in the HTML that
Chromium prints to PDF.

At the end every key of the set's questions.jsonl (and of its conversations.jsonl, where there
is one) is looked for in the text the project's own extractor (rag.formats.extract) gets from
the built files, so a key lost by the conversion shows up. The look compares text without its
white space (as the scoring does), so a key that runs over a table's cells is written with a
tab between them ("意外医疗\t5万元"), which matches however a reader separates the cells.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from helpers.documents import CHROMIUM, flowing_html, make_docx, page_html, print_pdf  # noqa: E402

# A numbered section heading ("一、2023年工作回顾"), not an "一是……" list item.
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章")
# An English numbered heading ("3. International Service Center").
EN_SECTION = re.compile(r"^\d+\. [A-Z]")
# How a source draws a table's cells, and the borders a built table is given.
CELL_SEP = " | "
TABLE_CSS = ("table{border-collapse:collapse;margin:.6em 0}"
             "th,td{border:1px solid #666;padding:2px 6px;text-align:left;text-indent:0}")
# Printed, a table is set smaller and its cells are not wrapped, so that each row is one line of
# the PDF's text (a wrapped cell comes out of the text layer as lines of its own, cell by cell).
# A table too wide for the page would run off it: the widest today (the newsletter's grants,
# four columns) fits an A4 page at 9pt.
PDF_TABLE_CSS = TABLE_CSS + "table{font-size:9pt}th,td{white-space:nowrap}"


@dataclass(frozen=True)
class Chrome:
    """What a set's web pages put around an article: the same kind of site for all of them."""

    header_link: str  # the third link of the header bar
    crumb_prefix: str  # before the breadcrumb's first link
    footer: str  # with {site}
    badge: str  # what the page's script writes under it


@dataclass(frozen=True)
class Pdf:
    """Printed by Chromium: flowing over pages, or a new page at each line in `new_page_at`."""

    name: str
    header: str  # the running header on every page
    new_page_at: tuple[str, ...] = ()


@dataclass(frozen=True)
class Docx:
    name: str
    heading: re.Pattern  # lines set as heading 2 (the first line is heading 1)


@dataclass(frozen=True)
class Html:
    name: str
    site: str
    nav: tuple[str, ...]
    crumb: str
    meta: str
    heading: re.Pattern | None  # lines set as <h2>
    aside_title: str
    aside: tuple[str, ...]


PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}</title>
<script>var _hmt = _hmt || [];(function(){{ var hm = "{site}统计脚本"; }})();</script>
<style>body{{font-family:sans-serif;max-width:960px;margin:auto}} nav a{{margin:0 8px}}{table_css}</style>
</head><body>
<header><div class="logo">{site}</div><a href="/">首页</a> | <a href="/search">站内搜索</a> | {header_link}</header>
<nav>{nav}</nav>
<div class="breadcrumb">{crumb_prefix}<a href="/">首页</a> &gt; {crumb}</div>
<main><article>
<h1>{title}</h1>
<div class="meta">{meta}</div>
{body}
</article></main>
<aside class="sidebar"><h3>{aside_title}</h3><ul>{aside}</ul></aside>
<footer>{footer}</footer>
<script>document.write("<div class='ad'>{badge}</div>");</script>
</body></html>"""


class DocumentSet:
    """One set: its sources (`here`/src/*.txt), questions (`here`/questions.jsonl), the page
    chrome of its web pages, and where it is built (`target`/corpus, `target`/config.yaml).
    `tables`: build a source's " | " lines as real tables (see the module's docstring)."""

    def __init__(self, here: Path, chrome: Chrome, target: Path, tables: bool = False):
        self.here, self.chrome, self.tables = here, chrome, tables
        self.target = target.resolve()
        self.out = self.target / "corpus"

    def lines(self, name: str) -> list[str]:
        text = (self.here / "src" / f"{name}.txt").read_text(encoding="utf-8")
        return [ln.strip() for ln in text.splitlines() if ln.strip()]

    def make(self, doc: Pdf | Docx | Html) -> Path:
        paragraphs = self.lines(doc.name)
        blocks = tables_of(paragraphs) if self.tables else list(paragraphs)
        if isinstance(doc, Docx) or (isinstance(doc, Pdf) and not CHROMIUM):
            if isinstance(doc, Pdf):
                print(f"no Chromium with a Chinese font: {doc.name} written as DOCX instead of PDF")
            heading = doc.heading if isinstance(doc, Docx) else SECTION
            return make_docx(self.out / f"{doc.name}.docx", _blocks(blocks, heading))
        if isinstance(doc, Pdf):
            # Each table stands in the page as a placeholder paragraph, replaced by its markup
            # once the helper has escaped and laid out the paragraphs around it.
            found = [b for b in blocks if isinstance(b, list)]
            marks = [f"@@TABLE{i}@@" for i in range(len(found))]
            it = iter(marks)
            lines = [b if isinstance(b, str) else next(it) for b in blocks]
            if not doc.new_page_at:
                page = flowing_html(lines, header=doc.header)
            else:
                pages: list[list[str]] = [[]]
                for p in lines:
                    if p.startswith(doc.new_page_at):
                        pages.append([])
                    pages[-1].append(p)
                page = page_html(pages, header=doc.header)
            if found:
                page = page.replace("</style>", PDF_TABLE_CSS + "</style>", 1)
                for mark, rows in zip(marks, found, strict=True):
                    page = page.replace(f"<p>{mark}</p>", table_html(rows), 1)
            return print_pdf(page, self.out / f"{doc.name}.pdf")
        out = self.out / f"{doc.name}.html"
        out.write_text(self._page(doc, blocks), encoding="utf-8")
        return out

    def _page(self, doc: Html, blocks: list) -> str:
        def one(p) -> str:
            if isinstance(p, list):
                return table_html(p)
            if doc.heading and doc.heading.match(p):
                return f"<h2>{html.escape(p)}</h2>"
            return f"<p>{html.escape(p)}</p>"

        body = "\n".join(one(p) for p in blocks[1:])
        return PAGE.format(
            table_css=TABLE_CSS if any(isinstance(b, list) for b in blocks) else "",
            title=html.escape(blocks[0]), site=doc.site, crumb=doc.crumb, meta=doc.meta,
            body=body, header_link=self.chrome.header_link,
            crumb_prefix=self.chrome.crumb_prefix, badge=self.chrome.badge,
            footer=self.chrome.footer.format(site=doc.site), aside_title=doc.aside_title,
            nav="".join(f'<a href="/{i}">{n}</a>' for i, n in enumerate(doc.nav)),
            aside="".join(f'<li><a href="/a/{i}">{a}</a></li>' for i, a in enumerate(doc.aside)))

    def check_keys(self) -> int:
        """Look for every key in the text the project's extractor takes from the built files."""
        from rag.formats import extract
        from rag.verify import squeeze

        texts = {}
        for f in sorted(self.out.iterdir()):
            if f.suffix in (".pdf", ".docx", ".html"):
                data = f.read_bytes()
                texts[f.name] = squeeze(
                    extract(data, f.suffix, hashlib.sha256(data).hexdigest()).text)
        missing = 0
        for label, q in self._items():
            for k in q["keys"]:
                found = [n for n, t in texts.items() if squeeze(k) in t]
                if not found:
                    missing += 1
                    print(f"{label}: key {k!r} not in any built file's extracted text")
                elif q["sources"] and sorted(found) != sorted(q["sources"]):
                    print(f"{label}: key {k!r} found in {found}, sources say {q['sources']}")
        return missing

    def _items(self):
        """(label, line) for every question of questions.jsonl and every turn of
        conversations.jsonl, the files that exist."""
        for name in ("questions.jsonl", "conversations.jsonl"):
            path = self.here / name
            if not path.exists():
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                q = json.loads(line)
                yield (q["id"] if "id" in q else f"{q['conversation']} turn {q['turn']}"), q

    def write_config(self) -> Path:
        """The project's config.yaml with the corpus and the index moved under the target (the
        model and glossary paths made absolute, since the file now lives elsewhere)."""
        text = (ROOT / "config.yaml").read_text(encoding="utf-8")
        moved = {"corpus": str(self.out), "store": str(self.target / "index" / "chroma")}
        section = None
        lines_out = []
        for line in text.splitlines():
            if re.match(r"^\w", line):
                section = line.split(":")[0]
            m = re.match(r"^(\s+)(path|model|glossary):\s*(\S+)(.*)$", line)
            if m and section in moved and m.group(2) == "path":
                line = f"{m.group(1)}path: {moved[section]}{m.group(4)}"
            elif m and m.group(2) in ("model", "glossary") and m.group(3) not in ("null", "~") \
                    and not m.group(3).startswith("/") and (ROOT / m.group(3)).exists():
                line = f"{m.group(1)}{m.group(2)}: {ROOT / m.group(3)}{m.group(4)}"
            lines_out.append(line)
        out = self.target / "config.yaml"
        out.write_text("\n".join(lines_out) + "\n", encoding="utf-8")
        return out

    def build(self, documents: list[Pdf | Docx | Html]) -> int:
        """Make every document afresh, check the keys, write the config; 1 if a key is lost."""
        self.out.mkdir(parents=True, exist_ok=True)
        for f in self.out.iterdir():
            f.unlink()
        for doc in documents:
            f = self.make(doc)
            print(f"{f.name}\t{f.stat().st_size} bytes")
        missing = self.check_keys()
        print(f"{missing} key(s) missing from the built files' text")
        print(f"config: {self.write_config()}")
        return 1 if missing else 0


def _blocks(paragraphs: list, heading: re.Pattern) -> list[tuple]:
    """make_docx blocks: the title as heading 1, lines matching `heading` as heading 2, a table
    (a list of rows, from tables_of) as a table block."""
    out = [("heading", 1, paragraphs[0])]
    for p in paragraphs[1:]:
        if isinstance(p, list):
            out.append(("table", 0, p))
        else:
            out.append(("heading", 2, p) if heading.match(p) else ("p", 0, p))
    return out


def tables_of(paragraphs: list[str]) -> list:
    """The lines with each run of two or more consecutive " | " lines made one table: a list of
    rows, each a list of cells. A single " | " line stays a line (a table has a header and at
    least one row)."""
    out: list = []
    run: list[str] = []

    def flush():
        if len(run) >= 2:
            out.append([[c.strip() for c in line.split(CELL_SEP)] for line in run])
        else:
            out.extend(run)
        run.clear()

    for p in paragraphs:
        if CELL_SEP in p:
            run.append(p)
            continue
        flush()
        out.append(p)
    flush()
    return out


def table_html(rows: list[list[str]]) -> str:
    """A table's markup: <th> for the first row, <td> for the rest. No white space between the
    tags of a row: the HTML reader (rag/formats/html.py) would take a line break between two
    cells for a break in the row's line."""
    def row(cells: list[str], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

    body = "".join(row(r, "td") for r in rows[1:])
    return f"<table><thead>{row(rows[0], 'th')}</thead><tbody>{body}</tbody></table>"


def target(default: str) -> Path:
    """The folder to build in: the command line's first argument, or eval/out/`default`."""
    return Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "eval" / "out" / default
