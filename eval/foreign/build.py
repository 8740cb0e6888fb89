"""Build the foreign dev corpus: six plain-text sources in src/ become real PDF, DOCX and HTML
files in corpus/, made by the same tools the project's format tests use.

    python -m eval.foreign.build [OUT]      (or `make eval-foreign`, which also scores it)

OUT (default eval/out/foreign) receives corpus/ and a config.yaml for it (the project's
config.yaml with the corpus and index moved there), so that
`rag eval --config OUT/config.yaml --dataset eval/foreign/questions.jsonl --split dev`
scores the questions on documents the project was never tuned on.

PDF: printed by headless Chromium (tests/helpers/documents.print_pdf) from page_html (one
section per page) and flowing_html (text flowing over pages). DOCX: python-docx with heading
styles (make_docx). HTML: hand-written pages with site chrome (nav, breadcrumb, sidebar,
footer, scripts) around the article. If Chromium (or a Chinese font) is missing, the two PDF
documents are written as DOCX instead and a line says so.

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
TARGET = (Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "eval" / "out" / "foreign").resolve()
OUT = TARGET / "corpus"

# A numbered section heading ("一、2023年工作回顾"), not an "一是……" list item.
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章")


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


def build_report_pdf() -> Path:
    """The municipal work report: long text flowing over pages, running header, page numbers."""
    name, paragraphs = "政府工作报告", lines("政府工作报告")
    if not CHROMIUM:
        return as_docx_instead(name, paragraphs)
    return print_pdf(flowing_html(paragraphs, header="江宁市人民政府公报"), OUT / f"{name}.pdf")


def build_annual_pdf() -> Path:
    """The annual-report excerpt: one page per group of sections (a new page at 第三节, 第五节)."""
    name, paragraphs = "东衡智装年报摘要", lines("东衡智装年报摘要")
    if not CHROMIUM:
        return as_docx_instead(name, paragraphs)
    pages: list[list[str]] = [[]]
    for p in paragraphs:
        if p.startswith(("第三节", "第五节")):
            pages.append([])
        pages[-1].append(p)
    return print_pdf(page_html(pages, header="东衡智能装备股份有限公司2023年年度报告摘要"),
                     OUT / f"{name}.pdf")


def build_regulation_docx() -> Path:
    return make_docx(OUT / "公共数据管理条例.docx", blocks(lines("公共数据管理条例"), CHAPTER))


def build_minutes_docx() -> Path:
    return make_docx(OUT / "营商环境会议纪要.docx", blocks(lines("营商环境会议纪要"), SECTION))


CHROME = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}</title>
<script>var _hmt = _hmt || [];(function(){{ var hm = "{site}统计脚本"; }})();</script>
<style>body{{font-family:sans-serif;max-width:960px;margin:auto}} nav a{{margin:0 8px}}</style>
</head><body>
<header><div class="logo">{site}</div><a href="/">首页</a> | <a href="/search">站内搜索</a> | <a href="/en">English</a></header>
<nav>{nav}</nav>
<div class="breadcrumb"><a href="/">首页</a> &gt; {crumb}</div>
<main><article>
<h1>{title}</h1>
<div class="meta">{meta}</div>
{body}
</article></main>
<aside class="sidebar"><h3>相关阅读</h3><ul>{aside}</ul></aside>
<footer>版权所有 © {site} 地址：江宁市人民路1号 江ICP备20240001号-1 网站标识码3205000017</footer>
<script>document.write("<div class='ad'>扫码关注官方微信</div>");</script>
</body></html>"""


def page(title, site, nav, crumb, meta, paragraphs, heading, aside) -> str:
    body = "\n".join(f"<h2>{html.escape(p)}</h2>" if heading and heading.match(p)
                     else f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return CHROME.format(title=html.escape(title), site=site, crumb=crumb, meta=meta, body=body,
                         nav="".join(f'<a href="/{i}">{n}</a>' for i, n in enumerate(nav)),
                         aside="".join(f'<li><a href="/a/{i}">{a}</a></li>'
                                       for i, a in enumerate(aside)))


def build_notice_html() -> Path:
    paragraphs = lines("门诊服务公告")
    out = OUT / "门诊服务公告.html"
    out.write_text(page(
        paragraphs[0], "江宁市第一人民医院",
        ["医院概况", "就医指南", "科室导航", "专家介绍", "新闻中心", "院务公开", "互联网医院"],
        '<a href="/notice">通知公告</a>',
        "发布时间：2024-02-26　来源：医务部　浏览次数：3586",
        paragraphs[1:], SECTION,
        ["关于2024年春节期间门诊安排的通知", "我院获评省级改善就医感受示范医院",
         "2024年护理岗位招聘公告"]), encoding="utf-8")
    return out


def build_news_html() -> Path:
    paragraphs = lines("长湾河廊道新闻")
    out = OUT / "长湾河廊道新闻.html"
    out.write_text(page(
        paragraphs[0], "江宁新闻网",
        ["要闻", "本地", "民生", "财经", "文旅", "视频", "专题"],
        '<a href="/local">本地新闻</a>',
        "2024-06-19 07:30　来源：江宁日报　责任编辑：许航",
        paragraphs[1:], None,
        ["江宁港上半年集装箱吞吐量创新高", "暑期文旅消费季启动 发放文旅消费券",
         "市区新增12条公交线路"]), encoding="utf-8")
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
    built = [build_report_pdf(), build_annual_pdf(), build_regulation_docx(),
             build_minutes_docx(), build_notice_html(), build_news_html()]
    for f in built:
        print(f"{f.name}\t{f.stat().st_size} bytes")
    missing = check_keys()
    print(f"{missing} key(s) missing from the built files' text")
    print(f"config: {write_config()}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
