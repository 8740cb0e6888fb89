"""DOCX: paragraphs and tables in reading order, with python-docx (MIT).

Headings are known from their styles (Heading 1-9, Title, or an outline level), not guessed:
they are written as markdown heading lines, which the structure step takes as titles. Each
paragraph's locator is its heading path and its number under its heading ("一、总体要求 › ¶2");
a table row's is "table N row M". The zip's declared sizes are checked before anything is
unpacked, so a zip bomb is refused unread.
"""

from __future__ import annotations

import io
import re
import zipfile

from ..reading import UnreadableFile
from . import Extracted

MAX_UNPACKED = 200 * 1024 * 1024  # a real document unpacks to a few MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted Office file (or an old .doc)
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes) -> None:
    """Refuse what is not a Word document, or what would unpack to more than MAX_UNPACKED."""
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile("is a password-protected (encrypted) Word file or an old binary "
                             ".doc: save it as .docx without a password")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableFile("is not a valid DOCX (a corrupt or truncated zip)") from None
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        raise UnreadableFile(f"would unpack to {unpacked / 1e6:.0f} MB (over "
                             f"{MAX_UNPACKED // (1024 * 1024)} MB): a zip bomb or not a real document")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise UnreadableFile("is not a Word document (no word/document.xml inside)")


def heading_level(paragraph) -> int | None:
    """1-9 for a heading by style name or outline level; None for body text."""
    style = paragraph.style
    while style is not None:
        name = (style.name or "").strip()
        if name.lower() == "title" or name == "标题":
            return 1
        m = HEADING_STYLE.match(name)
        if m:
            return max(1, int(m.group(1)))
        lvl = style.element.find(f"{W}pPr/{W}outlineLvl")
        if lvl is not None and (lvl.get(f"{W}val") or "").isdigit() and int(lvl.get(f"{W}val")) < 9:
            return int(lvl.get(f"{W}val")) + 1
        style = style.base_style
    lvl = paragraph._p.find(f"{W}pPr/{W}outlineLvl")
    if lvl is not None and (lvl.get(f"{W}val") or "").isdigit() and int(lvl.get(f"{W}val")) < 9:
        return int(lvl.get(f"{W}val")) + 1
    return None


def _rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(re.sub(r"\s+", " ", cell.text).strip())
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def extract(data: bytes) -> Extracted:
    """The document's text, one line per paragraph or table row, headings as markdown."""
    check_zip(data)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways inside python-docx
        raise UnreadableFile(f"is a damaged DOCX ({type(exc).__name__})") from None
    lines: list[str] = []
    locators: list[tuple[int, str]] = []
    path: list[tuple[int, str]] = []  # (level, title) of the headings above
    counter, tables, offset = 0, 0, 0

    def add(line: str, locator: str) -> None:
        nonlocal offset
        locators.append((offset, locator))
        lines.append(line)
        offset += len(line) + 1

    def where(tail: str) -> str:
        return " › ".join([t for _, t in path] + [tail])

    for block in blocks:
        if isinstance(block, Table):
            tables += 1
            for r, row in enumerate(_rows(block), start=1):
                add(row, where(f"table {tables} row {r}"))
            continue
        text = block.text.replace("\r", "").strip()
        if not text:
            continue
        level = heading_level(block)
        if level is not None:
            title = re.sub(r"\s+", " ", text)
            path = [(lv, t) for lv, t in path if lv < level] + [(level, title)]
            counter = 0
            add("#" * min(level, 6) + " " + title, " › ".join(t for _, t in path))
            continue
        counter += 1
        add(text, where(f"¶{counter}"))
    return Extracted("\n".join(lines), "docx", locators=tuple(locators))
