"""PDF, DOCX and HTML: real files made by Chromium, python-docx and by hand; extraction, the map
back into the file, ingest, cited answers with page or locator, and each unreadable case."""

from __future__ import annotations

import shutil

import pytest
from conftest import CORPUS, FakeEmbedder, write_config
from helpers.documents import (
    CHROMIUM,
    make_docx,
    make_encrypted_docx,
    make_encrypted_pdf,
    make_html,
    make_pdf,
    make_scanned_pdf,
    make_script_html,
    make_zip_bomb_docx,
)

from rag import formats
from rag.assistant import Assistant
from rag.catalog import load_catalog
from rag.documents import chunk_source
from rag.ingest import catalog_path, extraction_dir, ingest
from rag.reading import UnreadableFile, read_source
from rag.settings import ChunkingSettings, load_settings
from rag.verify import check_quote

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                    "(apt-get install chromium fonts-wqy-microhei)")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The three good documents, made once: a 3-page PDF, a DOCX, an HTML page."""
    folder = tmp_path_factory.mktemp("made")
    files = {"docx": make_docx(folder / "科技创新促进办法.docx"),
             "html": make_html(folder / "notice.html")}
    if CHROMIUM:
        files["pdf"] = make_pdf(folder / "report.pdf")
    return files


def corpus_of(tmp_path, *paths):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    shutil.copy(CORPUS / "002_09a23be81b2d5379.txt", corpus)
    for path in paths:
        shutil.copy(path, corpus / path.name)
    settings = load_settings(write_config(tmp_path, corpus))
    return settings


def run(settings, embedder=None):
    embedder = embedder or FakeEmbedder()
    return ingest(settings, progress=False, embedder_factory=lambda: embedder)


def read(path):
    return read_source(path, path.name)


# -- extraction -------------------------------------------------------------------------------
@needs_chromium
def test_pdf_text_has_pages_and_no_running_headers(made):
    src = read(made["pdf"])
    found = src.extracted
    assert src.encoding == "pdf" and len(found.pages) == 3
    assert "青禾市人民政府公报" not in src.text and "- 2 -" not in src.text
    assert found.page_at(src.text.index("十七座")) == 1
    assert found.page_at(src.text.index("青禾河综合整治工程")) == 2
    assert found.page_at(src.text.index("口袋公园")) == 3


@needs_chromium
def test_pdf_paragraph_cut_by_a_page_break_is_one_chunk(made):
    src = read(made["pdf"])
    _, chunks = chunk_source(src, ChunkingSettings())
    joined = next(c for c in chunks if "三百一十二个" in c.text)
    assert "全市持续推进老旧小区改造" in joined.text  # rejoined across the page break
    assert src.extracted.page_at(joined.char_start) == 2
    assert src.extracted.page_at(joined.char_end - 1) == 3
    for c in chunks:
        assert check_quote(src.text, c.text, c.char_start, c.char_end, c.line_start,
                           c.line_end) is None


def test_docx_headings_come_from_styles_title_and_sections(made):
    """Heading 1 is the document's title; numbered heading 2s are its sections."""
    src = read(made["docx"])
    articles, chunks = chunk_source(src, ChunkingSettings())
    assert [a.title for a in articles] == ["青禾市科技创新促进办法"]
    stipend = next(c for c in chunks if "三千元" in c.text)
    assert (stipend.title, stipend.section) == ("青禾市科技创新促进办法", "第二章 人才支持")
    assert src.extracted.locator_at(stipend.char_start) == \
        "青禾市科技创新促进办法 › 第二章 人才支持 › ¶1"
    row = src.text.index("院士工作站")
    assert src.extracted.locator_at(row).endswith("table 1 row 3")


def test_html_keeps_the_main_text_only(made):
    src = read(made["html"])
    for boilerplate in ("新闻中心", "登录", "版权所有", "热门文章", "导航脚本", "旅游年卡", "通知公告"):
        assert boilerplate not in src.text
    assert "藏书二百六十万册" in src.text and "滞纳金一角" in src.text
    articles, _ = chunk_source(src, ChunkingSettings())
    assert [a.title for a in articles][:1] == ["青禾市图书馆新馆开放公告"]
    at = src.text.index("每周一闭馆")
    assert src.extracted.locator_at(at) == "青禾市图书馆新馆开放公告 › 一、开放时间 › ¶1"


# -- ingest and answers -----------------------------------------------------------------------
@needs_chromium
def test_answers_cite_the_right_file_page_and_locator(tmp_path, made):
    settings = corpus_of(tmp_path, made["pdf"], made["docx"], made["html"])
    emb = FakeEmbedder()
    report = run(settings, emb)
    assert not report.skipped and report.files == 4
    settings.answer.abstain_strictness = -10.0  # the fake model's scores are not calibrated
    assistant = Assistant(settings, embedder=emb)

    def cite(question, words, source):
        answer = assistant.ask(question, sources=[source])
        c = next(c for c in answer.citations if words in c.quote)
        assert answer.to_dict()["citations"][0].keys() >= {"page", "page_end", "locator",
                                                            "line_start", "char_start"}
        return c

    c = cite("青禾河综合整治工程全长多少公里", "十八公里", "report.pdf")
    assert (c.page, c.page_end, c.locator) == (2, None, None)
    c = cite("完成改造的老旧小区共计多少个", "三百一十二个", "report.pdf")
    assert (c.page, c.page_end) == (2, 3)
    c = cite("新引进的青年科技人才每月生活补贴多少", "三千元", "科技创新促进办法.docx")
    assert c.locator == "青禾市科技创新促进办法 › 第二章 人才支持 › ¶1" and c.page is None
    c = cite("新馆每周一闭馆进行什么", "每周一闭馆", "notice.html")
    assert c.locator.endswith("一、开放时间 › ¶1")
    text = assistant.source_text("report.pdf")
    assert "十八公里" in text and assistant.source_pages("report.pdf")[0] == 0
    assert assistant.source_pages("002_09a23be81b2d5379.txt") is None


def test_extractions_are_cached_by_hash_and_checked_against_the_file(tmp_path, made,
                                                                     monkeypatch):
    settings = corpus_of(tmp_path, made["docx"])
    emb = FakeEmbedder()
    run(settings, emb)
    cached = list(extraction_dir(settings).glob("*.json"))
    assert len(cached) == 1
    settings.answer.abstain_strictness = -10.0
    # Asking re-reads the file and hashes it, but takes its extraction from the cache.
    assistant = Assistant(settings, embedder=emb)
    monkeypatch.setitem(formats.EXTRACTORS, ".docx", lambda data: pytest.fail("re-extracted"))
    question, source = "青年科技人才生活补贴", "科技创新促进办法.docx"
    assert assistant.ask(question, sources=[source]).citations
    monkeypatch.undo()
    # The same name with other content: its hash no longer matches, no quote from it is shown.
    make_docx(settings.corpus.path / source, [("p", 0, "第三条 青年科技人才的生活补贴另行规定。")])
    answer = Assistant(settings, embedder=emb).ask(question, sources=[source])
    assert answer.citations == []


def test_unchanged_documents_are_not_read_again(tmp_path, made, monkeypatch):
    settings = corpus_of(tmp_path, made["docx"], made["html"])
    run(settings)
    monkeypatch.setattr(formats, "extract", lambda *a: pytest.fail("read again"))
    report = run(settings)
    assert report.added == 0 and report.removed == 0 and report.kept > 0


def test_cache_of_a_removed_document_is_pruned(tmp_path, made):
    settings = corpus_of(tmp_path, made["docx"], made["html"])
    run(settings)
    assert len(list(extraction_dir(settings).glob("*.json"))) == 2
    (settings.corpus.path / "notice.html").unlink()
    run(settings)
    assert len(list(extraction_dir(settings).glob("*.json"))) == 1


# -- what cannot be read is said by name; the rest is indexed --------------------------------
def skipped_alone(tmp_path, bad, phrase):
    settings = corpus_of(tmp_path, bad)
    report = run(settings)
    reasons = dict(report.skipped)
    assert phrase in reasons[bad.name]
    catalog = load_catalog(catalog_path(settings))
    assert set(catalog.files) == {"002_09a23be81b2d5379.txt"}  # nothing from the bad file
    return reasons[bad.name]


@needs_chromium
def test_scanned_pdf_is_skipped_as_needing_ocr(tmp_path, made):
    bad = make_scanned_pdf(made["pdf"], tmp_path / "scan.pdf")
    skipped_alone(tmp_path, bad, "no text layer: scanned pages need OCR")


@needs_chromium
def test_encrypted_pdf_is_skipped(tmp_path, made):
    bad = make_encrypted_pdf(made["pdf"], tmp_path / "locked.pdf")
    skipped_alone(tmp_path, bad, "encrypted PDF")


def test_corrupt_docx_is_skipped(tmp_path, made):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(made["docx"].read_bytes()[:4000])
    skipped_alone(tmp_path, bad, "not a valid DOCX")


def test_password_protected_docx_is_skipped(tmp_path, made):
    bad = make_encrypted_docx(made["docx"], tmp_path / "locked.docx")
    skipped_alone(tmp_path, bad, "password-protected")


def test_docx_that_unpacks_to_over_200_mb_is_refused_unread(tmp_path, made, monkeypatch):
    bad = make_zip_bomb_docx(made["docx"], tmp_path / "bomb.docx")
    assert bad.stat().st_size < 2_000_000
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a: pytest.fail("the bomb was opened"))
    skipped_alone(tmp_path, bad, "zip bomb")


def test_html_that_is_mostly_script_is_skipped(tmp_path):
    bad = make_script_html(tmp_path / "app.html")
    skipped_alone(tmp_path, bad, "mostly script")


def test_unexpected_extractor_failure_is_a_skip_not_a_crash(tmp_path, made, monkeypatch):
    def boom(data):
        raise RuntimeError("parser exploded")

    monkeypatch.setitem(formats.EXTRACTORS, ".html", boom)
    with pytest.raises(UnreadableFile, match="parser exploded"):
        read(made["html"])


def test_html_without_semantic_tags_loses_menus_links_and_footer():
    from rag.formats.html import extract

    page = ("<html><body><div class='top'><a href='/'>首页</a> <a href='/a'>新闻</a></div>"
            "<div class='menu'><ul><li><a href='/x'>通知公告</a></li></ul></div>"
            "<div class='content'><h1>关于加强防控工作的通知</h1><h2>一、总体要求</h2>"
            "<p>坚持人民至上，加强<a href='/m'>监测预警</a>。</p>"
            "<table><tr><th>项目</th><th>金额</th></tr><tr><td>防控物资</td><td>120万元</td></tr>"
            "</table></div><div class='links'>友情链接：<a href='http://a'>国务院</a> "
            "<a href='http://b'>新华网</a></div><div class='foot'>版权所有 主办单位：某某办公室</div>"
            "</body></html>")
    found = extract(page.encode("gb18030").replace(b"<html>", b'<html><meta charset="gbk">'))
    assert found.text.split("\n") == ["# 关于加强防控工作的通知", "## 一、总体要求",
                                      "坚持人民至上，加强监测预警。", "项目\t金额", "防控物资\t120万元"]
    assert found.locator_at(found.text.index("防控物资")) == \
        "关于加强防控工作的通知 › 一、总体要求 › ¶3"
