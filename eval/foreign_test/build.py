"""Build the FROZEN foreign test set: six plain-text sources in src/ (one of them in English)
become real PDF, DOCX and HTML files in corpus/, made by the same tools the project's format
tests use. Written (documents and questions) before the system was run on them, like the
`test2` split: never tune on it, report it. Adapted from eval/foreign/build.py; documents,
domains and questions are independent of it.

    python -m eval.foreign_test.build [OUT]      (or `make eval-foreign`)

OUT (default eval/out/foreign_test) receives corpus/ and a config.yaml for it (the project's
config.yaml with the corpus and index moved there), so that
`rag eval --config OUT/config.yaml --dataset eval/foreign_test/questions.jsonl --split test`
scores the questions on documents the project was never tuned on.

PDF: printed by headless Chromium (tests/helpers/documents.print_pdf): the court judgment as
flowing text (flowing_html), the environmental-impact notice one section group per page
(page_html). DOCX: python-docx with heading styles (make_docx): the scholarship rules (第X章
headings) and the English notice for foreign residents ("1. ..." headings). HTML: hand-written
pages with site chrome (nav, breadcrumb, sidebar, footer, scripts) around the article: the
product recall announcement and the festival news report. If Chromium (or a Chinese font) is
missing, the two PDF documents are written as DOCX instead and a line says so.

At the end every key of questions.jsonl is looked for in the text the project's own extractor
(rag.formats.extract) gets from the built file, so a key lost by the conversion shows up here.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from helpers.documents import CHROMIUM, flowing_html, make_docx, page_html, print_pdf  # noqa: E402

SRC = HERE / "src"
TARGET = (Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "eval" / "out" / "foreign_test"
          ).resolve()
OUT = TARGET / "corpus"

# A numbered section heading ("一、项目概况"), not an "一是……" list item.
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章")
# An English numbered heading ("3. International Service Center").
EN_SECTION = re.compile(r"^\d+\. [A-Z]")


def lines(name: str) -> list[str]:
    return [ln.strip() for ln in (SRC / f"{name}.txt").read_text(encoding="utf-8").splitlines()
            if ln.strip()]


def blocks(paragraphs: list[str], heading: re.Pattern) -> list[tuple]:
    """make_docx blocks: the title as heading 1, lines matching `heading` as heading 2."""
    out = [("heading", 1, paragraphs[0])]
    for p in paragraphs[1:]:
        out.append(("heading", 2, p) if heading.match(p) else ("p", 0, p))
    return out


def as_docx_instead(name: str, paragraphs: list[str]) -> Path:
    out = OUT / f"{name}.docx"
    make_docx(out, blocks(paragraphs, SECTION))
    print(f"no Chromium with a Chinese font: {name} written as DOCX instead of PDF")
    return out


def build_judgment_pdf() -> Path:
    """The civil judgment: text flowing over pages, running header, page numbers."""
    name, paragraphs = "买卖合同纠纷判决书", lines("买卖合同纠纷判决书")
    if not CHROMIUM:
        return as_docx_instead(name, paragraphs)
    return print_pdf(flowing_html(paragraphs, header="汀川县人民法院"), OUT / f"{name}.pdf")


def build_eia_pdf() -> Path:
    """The EIA public notice: one page per group of sections (a new page at 三、 and 五、)."""
    name, paragraphs = "垃圾焚烧发电二期环评公示", lines("垃圾焚烧发电二期环评公示")
    if not CHROMIUM:
        return as_docx_instead(name, paragraphs)
    pages: list[list[str]] = [[]]
    for p in paragraphs:
        if p.startswith(("三、", "五、")):
            pages.append([])
        pages[-1].append(p)
    return print_pdf(page_html(pages, header="岚江绿源环保能源有限公司 环境影响评价信息公示"),
                     OUT / f"{name}.pdf")


def build_scholarship_docx() -> Path:
    return make_docx(OUT / "本科生奖学金评定办法.docx",
                     blocks(lines("本科生奖学金评定办法"), CHAPTER))


def build_english_docx() -> Path:
    return make_docx(OUT / "International_Residents_Notice.docx",
                     blocks(lines("International_Residents_Notice"), EN_SECTION))


CHROME = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}</title>
<script>var _hmt = _hmt || [];(function(){{ var hm = "{site}统计脚本"; }})();</script>
<style>body{{font-family:sans-serif;max-width:960px;margin:auto}} nav a{{margin:0 8px}}</style>
</head><body>
<header><div class="logo">{site}</div><a href="/">首页</a> | <a href="/search">站内搜索</a> | <a href="/wza">无障碍浏览</a></header>
<nav>{nav}</nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; {crumb}</div>
<main><article>
<h1>{title}</h1>
<div class="meta">{meta}</div>
{body}
</article></main>
<aside class="sidebar"><h3>{aside_title}</h3><ul>{aside}</ul></aside>
<footer>主办单位：{site} 地址：岚江市建设路56号 岚ICP备20230017号-2 网站标识码4307000021</footer>
<script>document.write("<div class='ad'>扫一扫 在手机上查看</div>");</script>
</body></html>"""


def page(title, site, nav, crumb, meta, paragraphs, heading, aside_title, aside) -> str:
    body = "\n".join(f"<h2>{html.escape(p)}</h2>" if heading and heading.match(p)
                     else f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return CHROME.format(title=html.escape(title), site=site, crumb=crumb, meta=meta, body=body,
                         nav="".join(f'<a href="/{i}">{n}</a>' for i, n in enumerate(nav)),
                         aside_title=aside_title,
                         aside="".join(f'<li><a href="/a/{i}">{a}</a></li>'
                                       for i, a in enumerate(aside)))


def build_recall_html() -> Path:
    paragraphs = lines("电热水壶召回公告")
    out = OUT / "电热水壶召回公告.html"
    out.write_text(page(
        paragraphs[0], "岚江市市场监督管理局",
        ["机构概况", "政务公开", "政策法规", "办事服务", "互动交流", "消费维权", "质量安全"],
        '<a href="/gk">政务公开</a> &gt; <a href="/gk/zh">消费品召回</a>',
        "发布日期：2024-07-05　信息来源：质量发展科　字号：[大 中 小]　打印本页",
        paragraphs[1:], SECTION, "最新召回",
        ["关于岚江童乐玩具有限公司召回部分儿童滑板车的公告",
         "2024年第二季度产品质量监督抽查结果通告",
         "夏季电动自行车安全使用消费提示"]), encoding="utf-8")
    return out


def build_festival_html() -> Path:
    paragraphs = lines("茶文化旅游节新闻")
    out = OUT / "茶文化旅游节新闻.html"
    out.write_text(page(
        paragraphs[0], "岚江新闻网",
        ["首页", "时政", "区县", "经济", "文旅", "图片", "视听"],
        '<a href="/qx">区县</a> &gt; <a href="/qx/tc">汀川</a>',
        "2024-04-13 08:05　来源：岚江日报　编辑：罗文静",
        paragraphs[1:], None, "热点推荐",
        ["岚江机场三期扩建工程主体完工", "全市春季植树造林任务完成过半",
         "汀川至岚江城际公交开通运营"]), encoding="utf-8")
    return out


def check_keys() -> int:
    """Look for every key in the text the project's extractor takes from the built files."""
    from rag.formats import extract
    from rag.verify import squeeze

    texts = {}
    for f in sorted(OUT.iterdir()):
        if f.suffix in (".pdf", ".docx", ".html"):
            data = f.read_bytes()
            texts[f.name] = squeeze(extract(data, f.suffix, hashlib.sha256(data).hexdigest()).text)
    missing = 0
    questions = HERE / "questions.jsonl"
    if not questions.exists():
        return 0
    for line in questions.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        for k in q["keys"]:
            found = [n for n, t in texts.items() if squeeze(k) in t]
            if not found:
                missing += 1
                print(f"{q['id']}: key {k!r} not in any built file's extracted text")
            elif q["sources"] and sorted(found) != sorted(q["sources"]):
                print(f"{q['id']}: key {k!r} found in {found}, sources say {q['sources']}")
    return missing


def write_config() -> Path:
    """The project's config.yaml with the corpus and the index moved under TARGET (the model
    and glossary paths made absolute, since the file now lives elsewhere)."""
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    moved = {"corpus": str(OUT), "store": str(TARGET / "index" / "chroma")}
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
    out = TARGET / "config.yaml"
    out.write_text("\n".join(lines_out) + "\n", encoding="utf-8")
    return out


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.iterdir():
        f.unlink()
    built = [build_judgment_pdf(), build_eia_pdf(), build_scholarship_docx(),
             build_english_docx(), build_recall_html(), build_festival_html()]
    for f in built:
        print(f"{f.name}\t{f.stat().st_size} bytes")
    missing = check_keys()
    print(f"{missing} key(s) missing from the built files' text")
    print(f"config: {write_config()}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
