"""PDF: the text layer, page by page, with pypdfium2 (PDFium; Apache-2.0/BSD-3).

Pages are joined with a blank line, so a paragraph cut by a page break looks to the structure
step exactly like the page breaks of the bundled corpus (a long unfinished line, a gap, the
rest). Running headers and footers (the same line, digits aside, at the top or bottom of most
pages) are left out of the text; page-number lines are left to the cleaning, which drops them.
"""

from __future__ import annotations

import re
from collections import Counter

from ..reading import UnreadableFile
from . import Extracted

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
MIN_CHARS_PER_PAGE = 16  # fewer on average: no real text layer (at most a scanner's stamp)
EDGE = 2  # lines at the top and at the bottom of a page that may be running headers/footers


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _page_lines(page) -> list[str]:
    textpage = page.get_textpage()
    try:
        raw = textpage.get_text_range()
    finally:
        textpage.close()
    raw = CONTROL.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    return [line.rstrip() for line in raw.split("\n")]


def _edges(lines: list[str]) -> list[int]:
    """Indexes of the first and last EDGE non-empty lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE] + filled[-EDGE:]))


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of lines that recur at a page edge on at least half the pages (three at least), or
    on both pages of a two-page document."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(lines[i]) for i in _edges(lines)})
    need = 2 if len(pages) == 2 else max(3, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= need and k}


def extract(data: bytes) -> Extracted:
    """Text of every page, the offset where each page starts, running headers left out."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableFile("is an encrypted PDF that needs a password: save a copy "
                                 "without the password") from None
        raise UnreadableFile(f"is not a readable PDF ({exc})") from None
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            try:
                pages.append(_page_lines(page))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"is a damaged PDF ({exc})") from None
    finally:
        doc.close()
    if not pages:
        raise UnreadableFile("is a PDF with no pages")
    chars = sum(len(re.sub(r"\s+", "", line)) for lines in pages for line in lines)
    if chars < MIN_CHARS_PER_PAGE * len(pages):
        raise UnreadableFile("has no text layer: scanned pages need OCR")
    running = running_lines(pages)
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for lines in pages:
        edges = set(_edges(lines))
        kept = [line for i, line in enumerate(lines)
                if not (i in edges and _key(line) in running)]
        body = "\n".join(kept).strip("\n")
        starts.append(offset)
        parts.append(body)
        offset += len(body) + 2  # the blank line between pages
    return Extracted("\n\n".join(parts), "pdf", pages=tuple(starts))
