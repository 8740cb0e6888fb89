"""Adding a PDF in a real browser: Chromium uploads it into `rag serve`, waits for it to be
indexed, asks a question only it answers, and opens the citation at its page."""

from __future__ import annotations

import pytest
from conftest import MODEL, copy_corpus, write_config
from helpers.documents import CHROMIUM, make_pdf
from helpers.serve import running_serve
from test_ui_browser import ARTIFACTS, LAUNCH_ARGS

pytestmark = [pytest.mark.integration, pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium (with a CJK font) is not "
                                 "installed")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`rag serve` over a one-file corpus, on a free port, stopped afterwards."""
    folder = tmp_path_factory.mktemp("upload")
    corpus = copy_corpus(folder, ("002_09a23be81b2d5379.txt",))
    config = write_config(folder, corpus, model=str(MODEL))
    with running_serve(config, folder / "serve.log", timeout=300) as url:
        yield url, folder


def test_upload_a_pdf_ask_and_open_the_citation_at_its_page(server):
    from playwright.sync_api import sync_playwright

    url, folder = server
    pdf = make_pdf(folder / "绿化报告.pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.goto(url)
        page.wait_for_selector("#rag-question textarea", timeout=60_000)
        page.get_by_role("tab", name="Documents").click()
        page.locator("#rag-upload input[type=file]").set_input_files(str(pdf))
        page.wait_for_function(
            "() => (document.querySelector('#rag-upload-status') || {}).innerText"
            "?.includes('added')", timeout=300_000)
        assert "绿化报告.pdf" in page.locator("#rag-upload-status").inner_text()
        page.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True)

        page.get_by_role("tab", name="Citations").click()
        page.locator("#rag-question textarea").fill("青禾河综合整治工程全长多少公里？")
        page.locator("#rag-ask").click()
        card = page.locator("#rag-cards .rag-card", has_text="十八公里").first
        card.wait_for(timeout=60_000)
        assert "绿化报告.pdf" in card.inner_text() and "p. 2" in card.inner_text()
        card.click()
        link = page.locator("#rag-open-page")
        link.wait_for(timeout=20_000)
        href = link.get_attribute("href")
        assert href.endswith("#page=2")
        assert "十八公里" in "".join(page.locator("#rag-source mark").all_inner_texts())
        page.screenshot(path=str(ARTIFACTS / "pdf-citation.png"), full_page=True)
        got = page.request.get(url.rstrip("/") + href.split("#")[0])
        assert got.status == 200 and got.headers["content-type"] == "application/pdf"
        assert got.body() == pdf.read_bytes()
        assert page.request.get(url + "api/documents/config.yaml/file").status == 404
        browser.close()
