"""With the real model: a folder of a Chromium-printed PDF, a python-docx DOCX, an HTML page
and a text file; each question answered from the right file, at the right page or heading,
with the quote verified against a fresh extraction. Uploading through the library works alike."""

from __future__ import annotations

import shutil

import pytest
from conftest import CORPUS, MODEL, write_config
from helpers.documents import CHROMIUM, make_docx, make_html, make_pdf

from rag.assistant import Assistant
from rag.ingest import ingest
from rag.library import add_documents
from rag.settings import load_settings

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "000_8ced48c5a6f24f61.txt", corpus)
    make_pdf(corpus / "绿化报告.pdf")
    make_docx(corpus / "科技创新促进办法.docx")
    make_html(corpus / "图书馆公告.html")
    settings = load_settings(write_config(folder, corpus, model=str(MODEL)))
    report = ingest(settings, progress=False)
    assert not report.skipped
    return Assistant(settings)


@pytest.mark.parametrize("question, source, words, page, locator", [
    ("青禾河综合整治工程全长多少公里？", "绿化报告.pdf", "十八公里", 2, None),
    ("二〇二五年青禾市将新建多少个口袋公园？", "绿化报告.pdf", "口袋公园四十个", 3, None),
    ("青禾市对新引进的青年科技人才每月给多少生活补贴？", "科技创新促进办法.docx", "三千元", None,
     "第二章 人才支持 › ¶1"),
    ("青禾市图书馆新馆每周哪天闭馆？", "图书馆公告.html", "每周一闭馆", None, "一、开放时间 › ¶1"),
])
def test_cited_from_the_right_file_and_place(mixed, question, source, words, page, locator):
    answer = mixed.ask(question)
    assert not answer.abstained and answer.citations[0].source == source
    cited = next(c for c in answer.citations if words in c.quote)
    assert cited.source == source and cited.page == page
    assert (cited.locator or "").endswith(locator or "")
    assert mixed.verify(cited)  # checked again against the file, through its cached extraction


def test_an_uploaded_pdf_is_answerable_at_once(mixed, tmp_path):
    pdf = make_pdf(tmp_path / "x.pdf", [["青禾市气象局报告：二〇二四年全市平均降水量为一千一百二十毫米。"],
                                         ["全年晴天日数为二百零三天，比常年偏多十五天。"]])
    _, messages = add_documents(mixed.settings, [("气象/../气象报告.pdf", pdf.read_bytes())], mixed)
    assert messages == ["气象报告.pdf added"]
    answer = mixed.ask("二〇二四年青禾市全年晴天日数是多少天？")
    assert answer.citations[0].source == "气象报告.pdf"
    cited = next(c for c in answer.citations if "二百零三天" in c.quote)
    assert cited.page == 2
    assert "公报" not in cited.quote  # the running header of a two-page PDF is left out
