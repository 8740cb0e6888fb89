"""eval/foreign_build.py: a source's " | " lines become a real table when the set asks for it
(the dev set), and stay paragraphs when it does not (the frozen set must build as before).
DOCX and HTML only: no Chromium here."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from eval.foreign_build import SECTION, Chrome, DocumentSet, Docx, Html, tables_of
from rag.reading import read_source

CHROME = Chrome(header_link='<a href="/en">English</a>', crumb_prefix="",
                footer="版权所有 © {site}", badge="扫码关注")
ROWS = [["保障项目", "保险金额", "给付方式"],
        ["意外身故", "50万元", "按保险金额一次性给付"],
        ["意外医疗", "5万元", "扣除免赔额100元后按80%给付"]]
SOURCE = "\n".join([
    "青禾团体意外伤害保险条款",
    "一、保险责任",
    "第五条　每名被保险人的保险金额见下表：",
    *(" | ".join(r) for r in ROWS),
    "第六条　保险期间为一年。",
    "备注 | 本行单独一行，不成表格",  # one " | " line alone is no table
    "第七条　本条款自2024年1月1日起施行。",
])
DOCX = Docx("条款", SECTION)
HTML = Html("条款", "青禾保险", ("首页", "产品"), '<a href="/t">条款</a>', "发布日期：2024-01-01",
            SECTION, "相关阅读", ("其他条款",))


def _set(tmp_path: Path, tables: bool) -> DocumentSet:
    here = tmp_path / "set"
    (here / "src").mkdir(parents=True, exist_ok=True)
    (here / "src" / "条款.txt").write_text(SOURCE, encoding="utf-8")
    documents = DocumentSet(here, CHROME, tmp_path / ("tables" if tables else "plain"), tables)
    documents.out.mkdir(parents=True)
    return documents


def _lines(path: Path) -> list[str]:
    return read_source(path, path.name).text.split("\n")


def _table_lines(lines: list[str]) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith("保障项目"))
    return lines[start:start + len(ROWS)]


def test_runs_of_two_or_more_cell_lines_become_tables_a_lone_one_stays_a_line():
    blocks = tables_of(SOURCE.split("\n"))
    assert [b for b in blocks if isinstance(b, list)] == [ROWS]
    assert "备注 | 本行单独一行，不成表格" in blocks


def test_docx_table_is_read_one_row_a_line_cells_split_by_tabs(tmp_path):
    import docx

    path = _set(tmp_path, tables=True).make(DOCX)
    lines = _lines(path)
    assert _table_lines(lines) == ["\t".join(r) for r in ROWS]
    assert lines[lines.index("\t".join(ROWS[-1])) + 1] == "第六条　保险期间为一年。"
    assert "备注 | 本行单独一行，不成表格" in lines
    table = docx.Document(str(path)).tables[0]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the first row is the header row


def test_html_table_is_read_one_row_a_line_th_then_td(tmp_path):
    path = _set(tmp_path, tables=True).make(HTML)
    assert [line.split() for line in _table_lines(_lines(path))] == ROWS
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    rows = soup.find("table").find_all("tr")
    assert [c.name for c in rows[0].find_all(["th", "td"])] == ["th"] * 3
    assert {c.name for r in rows[1:] for c in r.find_all(["th", "td"])} == {"td"}


def test_without_the_option_cell_lines_stay_paragraphs(tmp_path):
    documents = _set(tmp_path, tables=False)
    for doc in (DOCX, HTML):
        path = documents.make(doc)
        assert _table_lines(_lines(path)) == [" | ".join(r) for r in ROWS]
    assert "<table" not in (documents.out / "条款.html").read_text(encoding="utf-8")
    assert not re.search(r"table\{", (documents.out / "条款.html").read_text(encoding="utf-8"))
