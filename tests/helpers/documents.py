"""Real PDF, DOCX and HTML files made by real tools, for the format tests (never committed).

PDFs are printed by Chromium from HTML with one `page-break-before: always` section per page,
each with a running header and a page number, so the page of every sentence is known.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import zipfile
from pathlib import Path


def _cjk_font() -> bool:
    """Whether a Chinese font is installed (without one Chromium prints no Chinese text)."""
    try:
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True,
                               timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(fonts.strip())


# Chromium that can print Chinese PDFs, or None (the PDF tests are then skipped).
CHROMIUM = (shutil.which("chromium") or shutil.which("chromium-browser")) if _cjk_font() else None

HEADER = "青禾市人民政府公报"

# Facts found only in these documents, each on a known page (PDF) or under a known heading.
PDF_PAGES = [
    ["青禾市二〇二四年城市绿化工作报告",
     "过去一年，全市新建城市公园十七座，新增绿地面积三百二十公顷，城市绿化覆盖率达到百分之四十三点六。",
     "市园林局组织开展义务植树活动，全年共有八万六千名市民参加，种植乔木四万二千株。"],
    ["二、河道治理",
     "青禾河综合整治工程全长十八公里，于二〇二四年九月完工，沿岸修建步道二十六公里。",
     "整治后的河道水质由四类提升到二类，鱼类种类从九种增加到二十三种。全市持续推进"],
    ["老旧小区改造，完成改造的小区共计三百一十二个，惠及居民四万七千户。",
     "三、下一步工作",
     "二〇二五年将新建口袋公园四十个，建设绿道一百公里，让市民出门五百米见绿。"],
]

DOCX_BLOCKS = [
    ("heading", 1, "青禾市科技创新促进办法"),
    ("heading", 2, "第一章 总则"),
    ("p", 0, "第一条 为了促进科技创新，推动经济高质量发展，根据有关法律法规，结合本市实际，制定本办法。"),
    ("p", 0, "第二条 本市设立科技创新专项资金，每年安排不少于三亿元，用于支持关键核心技术攻关。"),
    ("heading", 2, "第二章 人才支持"),
    ("p", 0, "第三条 对新引进的青年科技人才，市财政给予每人每月三千元的生活补贴，期限三年。"),
    ("table", 0, [["项目", "补贴标准"], ["博士后工作站", "一次性资助五十万元"], ["院士工作站", "一次性资助一百万元"]]),
    ("p", 0, "第四条 本办法自二〇二五年一月一日起施行。"),
]

HTML_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>青禾市图书馆开放公告</title>
<script>window.dataLayer = [];function track(){{ var s = "青禾市图书馆导航脚本"; }}</script>
<style>nav a {{ color: blue; }}</style></head><body>
<header><a href="/">首页</a> | <a href="/login">登录</a></header>
<nav><ul><li><a href="/news">新闻中心</a></li><li><a href="/gov">政务公开</a></li>
<li><a href="/service">办事服务</a></li><li><a href="/contact">联系我们</a></li></ul></nav>
<div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news">通知公告</a></div>
<main>
<h1>青禾市图书馆新馆开放公告</h1>
<p>青禾市图书馆新馆位于滨河大道一百八十八号，建筑面积五万八千平方米，藏书二百六十万册。</p>
<h2>一、开放时间</h2>
<p>新馆每周二至周日九时至二十一时开放，每周一闭馆进行设备维护。</p>
<h2>二、借阅规则</h2>
<p>读者凭社会保障卡可免费办理借阅证，每证最多可借图书十五册，借期三十天。</p>
<ul><li>逾期未还的图书，每册每天收取滞纳金一角。</li></ul>
</main>
<aside class="sidebar">热门文章：青禾市举办读书节</aside>
<footer>版权所有 © 青禾市图书馆 青ICP备12345678号</footer>
<script>document.write("广告：青禾市旅游年卡");</script>
</body></html>"""


def page_html(pages: list[list[str]], header: str = HEADER) -> str:
    """One section per page: a running header, the paragraphs, a page number."""
    sections = []
    for n, paragraphs in enumerate(pages, start=1):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        sections.append(f'<section style="page-break-before: {"always" if n > 1 else "auto"}">'
                        f'<div class="head">{html.escape(header)}</div>{body}'
                        f'<div class="foot">- {n} -</div></section>')
    return ('<!doctype html><html><head><meta charset="utf-8"><style>'
            'body{font-family:"WenQuanYi Micro Hei",sans-serif;font-size:14pt}'
            '.head{font-size:10pt;border-bottom:1px solid #999;margin-bottom:1em}'
            '.foot{font-size:10pt;text-align:center;margin-top:2em}'
            f'</style></head><body>{"".join(sections)}</body></html>')


def flowing_html(paragraphs: list[str], header: str = HEADER) -> str:
    """Long text left to flow over as many pages as it takes, with a running header and page
    numbers in the page margins (as a word processor prints them)."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return ('<!doctype html><html><head><meta charset="utf-8"><style>'
            f'@page{{size:A4;margin:20mm;@top-center{{content:"{header}"}}'
            '@bottom-center{content:"- " counter(page) " -"}}'
            'body{font-family:"WenQuanYi Micro Hei",sans-serif;font-size:12pt;line-height:1.6}'
            'p{text-indent:2em;margin:0 0 .4em 0;text-align:justify}'
            f'</style></head><body>{body}</body></html>')


def print_pdf(page: str, out: Path) -> Path:
    """Print an HTML page to PDF with headless Chromium."""
    src = out.with_suffix(".src.html")
    src.write_text(page, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri()],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    src.unlink()
    return out


def make_pdf(out: Path, pages: list[list[str]] = PDF_PAGES) -> Path:
    return print_pdf(page_html(pages), out)


def make_scanned_pdf(text_pdf: Path, out: Path) -> Path:
    """A 'scan' of a text PDF: each page rendered to an image, the images saved as a PDF."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(text_pdf))
    images = [doc[i].render(scale=1).to_pil().convert("RGB") for i in range(len(doc))]
    doc.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out


def make_encrypted_pdf(text_pdf: Path, out: Path, password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(text_pdf)))
    writer.encrypt(user_password=password, owner_password=password + "!", algorithm="RC4-128")
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def make_docx(out: Path, blocks=DOCX_BLOCKS) -> Path:
    """A Word file with heading styles, paragraphs and tables, written by python-docx; a table
    as Word sets one: grid borders, its first row a header row (repeated at the top of a page,
    its text bold)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for kind, level, content in blocks:
        if kind == "heading":
            document.add_heading(content, level=level)
        elif kind == "table":
            table = document.add_table(rows=len(content), cols=max(len(r) for r in content))
            table.style = "Table Grid"
            for r, row in enumerate(content):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            table.rows[0]._tr.get_or_add_trPr().append(header)
            for cell in table.rows[0].cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
        else:
            document.add_paragraph(content)
    document.save(out)
    return out


def make_encrypted_docx(plain: Path, out: Path, password: str = "secret") -> Path:
    """The same document saved with a password, as Word does (ECMA-376 agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as src, open(out, "wb") as dst:
        OOXMLFile(src).encrypt(password, dst)
    return out


def make_zip_bomb_docx(plain: Path, out: Path, mb: int = 201) -> Path:
    """A real DOCX with one more member of `mb` MB of zeros: a small file that unpacks huge."""
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("word/media/padding.bin", "w", force_zip64=True) as fh:
            block = bytes(1 << 20)
            for _ in range(mb):
                fh.write(block)
    return out


def make_html(out: Path, page: str = HTML_PAGE) -> Path:
    out.write_text(page, encoding="utf-8")
    return out


def make_script_html(out: Path) -> Path:
    """A page built by JavaScript: an empty mount point and a large script."""
    script = "var app = {" + ",".join(f'"k{i}": "青禾{i}"' for i in range(3000)) + "};"
    out.write_text(f'<!doctype html><html><head><meta charset="utf-8"><title>应用</title>'
                   f'<script>{script}</script></head><body><div id="app"></div>'
                   f'<noscript>请启用JavaScript</noscript></body></html>', encoding="utf-8")
    return out

