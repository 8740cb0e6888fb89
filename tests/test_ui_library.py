"""The upload area, the removal, the PDF page markers in the source viewer, and the library's
HTTP routes; a fake model, real files, real Chroma, no browser."""

from __future__ import annotations

import pytest
from conftest import fake_indexed_assistant
from fastapi import FastAPI
from fastapi.testclient import TestClient
from helpers.documents import CHROMIUM, make_docx, make_pdf

from ui.app import build_app, remove_documents, upload_documents, view_citation
from ui.library_api import add_library_routes
from ui.render import source_view


@pytest.fixture
def live(fake_settings):
    return fake_indexed_assistant(fake_settings)


def test_upload_area_only_where_uploads_are_allowed(live):
    assert "rag-upload" in str(build_app(live).config)
    live.settings.serve.allow_upload = False
    assert "rag-upload" not in str(build_app(live).config)
    assert "turned off" in upload_documents(live, [])


def test_uploaded_file_is_listed_and_answerable_then_removed(live, tmp_path):
    path = make_docx(tmp_path / "办法.docx")
    message = upload_documents(live, [str(path)])
    assert "办法.docx added" in message and "办法.docx" in live.documents()
    answer = live.ask("青年科技人才生活补贴", sources=["办法.docx"]).to_dict()
    assert answer["citations"][0]["locator"].endswith("第二章 人才支持 › ¶1")
    assert "removed" in remove_documents(live, "办法.docx")
    assert "办法.docx" not in live.documents()


def test_oversized_upload_is_refused_unread(live, tmp_path):
    live.settings.corpus.max_file_mb = 0.001
    big = tmp_path / "big.txt"
    big.write_bytes("字".encode() * 2000)
    assert "larger than corpus.max" in upload_documents(live, [str(big)])
    assert "big.txt" not in live.documents()


def test_pdf_source_view_has_page_markers_and_opens_the_page():
    text = "第一页的文字\n\n第二页的文字，答案在这里。\n\n第三页"
    pages = (0, 8, 23)
    html = source_view('a"b.pdf', text, 8, 14, pages=pages)
    assert html.count('class="rag-page"') == 3
    assert "/api/documents/a%22b.pdf/file#page=2" in html and 'a"b' not in html
    assert "open the PDF at page 2" in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_a_pdf_citation_opens_at_its_page(live, tmp_path):
    upload_documents(live, [str(make_pdf(tmp_path / "report.pdf"))])
    answer = live.ask("青禾河综合整治工程全长多少公里", sources=["report.pdf"]).to_dict()
    c = answer["citations"][0]
    assert c["page"] == 2
    html = view_citation(live, answer, 0)
    assert "/api/documents/report.pdf/file#page=2" in html


def api(live):
    app = FastAPI()
    add_library_routes(app, live)
    return TestClient(app)


def test_api_adds_serves_and_removes_documents(live, tmp_path):
    client = api(live)
    docx = make_docx(tmp_path / "x.docx").read_bytes()
    r = client.post("/api/documents", files=[("files", ("../../办法.docx", docx))])
    assert r.status_code == 200 and r.json()["documents"] == [{"source": "办法.docx",
                                                               "added": True}]
    assert not (live.settings.corpus.path.parent.parent / "办法.docx").exists()
    r = client.post("/api/documents", files=[("files", ("again.docx", docx))])
    assert r.json()["documents"][0]["added"] is False
    got = client.get("/api/documents/办法.docx/file")
    assert got.status_code == 200 and got.content == docx
    assert got.headers["content-type"] == "application/octet-stream"
    assert client.get("/api/documents/../config.yaml/file").status_code == 404
    assert client.get("/api/documents/not-indexed.pdf/file").status_code == 404
    assert client.delete("/api/documents/办法.docx").status_code == 200
    assert client.get("/api/documents/办法.docx/file").status_code == 404
    assert client.delete("/api/documents/办法.docx").status_code == 404


def test_api_refuses_changes_when_uploads_are_off(live):
    live.settings.serve.allow_upload = False
    client = api(live)
    assert client.post("/api/documents", files=[("files", ("a.txt", b"x"))]).status_code == 403
    assert client.delete("/api/documents/000_8ced48c5a6f24f61.txt").status_code == 403
