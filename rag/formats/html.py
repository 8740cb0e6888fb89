"""HTML: the main text of a page, not its navigation, scripts and page furniture, with
beautifulsoup4 over lxml (MIT / BSD).

The main part is <main>, [role=main] or the one <article> when the page has them, else <body>;
navigation, headers, footers, sidebars, forms and scripts are dropped, and so is any block made
mostly of links (a menu, a breadcrumb). h1-h6 become markdown heading lines (known titles);
each block's locator is its heading path and paragraph number, as for DOCX. A page whose text
is almost all script (a page built by JavaScript in the browser) is refused by name.
"""

from __future__ import annotations

import re

from ..reading import UnreadableFile
from . import Extracted

DROP = ["script", "style", "noscript", "template", "svg", "canvas", "iframe", "object",
        "embed", "form", "button", "select", "textarea", "input", "nav", "aside", "footer",
        "head", "title", "meta", "link"]
BOILERPLATE = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|sidebar|footer|foot|"
                         r"bottom|copyright|share|social|advert|ads|banner|toolbar|pagination|"
                         r"related|comments?|skip-link|links?|friendlinks?)(?:$|[\s_-])",
                         re.IGNORECASE)
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
          "tr", "caption", "figcaption", "div", "section", "article", "main", "body",
          "address", "header", "table", "ul", "ol", "dl"}
CELLS = {"td", "th"}
HEADINGS = {f"h{i}": i for i in range(1, 7)}
MIN_TEXT = 200  # a page with less text than this and mostly script is refused
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else the charset the page declares (GB2312/GBK read as GB18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = CHARSET.search(data[:4096])
    name = m.group(1).decode("ascii").lower() if m else "gb18030"
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
        name = "gb18030"
    try:
        return data.decode(name, errors="replace")
    except LookupError:
        return data.decode("gb18030", errors="replace")


def _is_boilerplate(tag) -> bool:
    if tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary", "search"):
        return True
    if tag.name == "header" and not tag.find_parent(["article", "main"]):
        return True
    marks = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(BOILERPLATE.search(marks.strip()))


def _root(soup):
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is not None:
        return main
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    return soup.body or soup


def _blocks(root) -> list[tuple[str, str, float]]:
    """(tag of the block, its text, the share of it that is link text), in document order."""
    from bs4 import NavigableString, Tag

    out: list[tuple[str, list[str], list[int]]] = []
    current: list = [None]

    def flush():
        current[0] = None

    def visit(node, link: bool):
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is not NavigableString:  # comments, CDATA, doctype
                    continue
                text = str(child)
                if not text.strip() and current[0] is None:
                    continue
                if current[0] is None:
                    out.append((block_of(child), [], []))
                    current[0] = out[-1]
                current[0][1].append(text)
                current[0][2].append(len(text.strip()) if link else 0)
            elif isinstance(child, Tag):
                name = child.name
                if name == "br":
                    if current[0] is not None:
                        current[0][1].append("\n")
                        current[0][2].append(0)
                    continue
                if name in BLOCKS:
                    flush()
                    visit(child, link or name == "a")
                    flush()
                else:
                    if name in CELLS and current[0] is not None:
                        current[0][1].append("\t")
                        current[0][2].append(0)
                    visit(child, link or name == "a")

    def block_of(node) -> str:
        parent = node.parent
        while parent is not None and parent.name not in BLOCKS:
            parent = parent.parent
        return parent.name if parent is not None else "body"

    visit(root, False)
    result = []
    for tag, parts, links in out:
        raw = "".join(parts)
        if tag == "tr":  # a table's row: its cells split by tabs, as the DOCX reader writes them
            cells = [re.sub(r"\s+", " ", cell).strip() for cell in raw.split("\t")]
            text = "\t".join(cell for cell in cells if cell)
        else:
            lines = [re.sub(r"[ \t\r\f\v\u3000]+", " ", line).strip() for line in raw.split("\n")]
            text = "\n".join(line for line in lines if line)
        if text:
            size = len(re.sub(r"\s+", "", text))
            result.append((tag, text, sum(links) / max(size, 1)))
    return result


def extract(data: bytes) -> Extracted:
    """The page's main text, one line per block, headings as markdown heading lines."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(decode(data), "lxml")
    script = sum(len(s.get_text()) for s in soup.find_all("script"))
    for tag in soup.find_all(DROP):
        tag.decompose()
    for tag in soup.find_all(True):
        if isinstance(tag, Tag) and not tag.decomposed and _is_boilerplate(tag):
            tag.decompose()
    blocks = [(t, s) for t, s, link in _blocks(_root(soup))
              if t in HEADINGS or link < 0.5 or len(s) > 80]
    text_size = sum(len(re.sub(r"\s+", "", s)) for _, s in blocks)
    if text_size < MIN_TEXT and script > 4 * max(text_size, 1):
        raise UnreadableFile(f"is mostly script ({script // 1000} KB of script, {text_size} "
                             "characters of text): a page built in the browser")
    lines: list[str] = []
    locators: list[tuple[int, str]] = []
    path: list[tuple[int, str]] = []
    counter, offset = 0, 0
    for tag, text in blocks:
        if tag in HEADINGS:
            level, title = HEADINGS[tag], re.sub(r"\s+", " ", text)
            path = [(lv, t) for lv, t in path if lv < level] + [(level, title)]
            counter = 0
            line, locator = "#" * level + " " + title, " › ".join(t for _, t in path)
        else:
            counter += 1
            line, locator = text, " › ".join([t for _, t in path] + [f"¶{counter}"])
        locators.append((offset, locator))
        lines.append(line)
        offset += len(line) + 1
    return Extracted("\n".join(lines), "html", locators=tuple(locators))
