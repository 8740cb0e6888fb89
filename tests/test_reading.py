"""rag.reading: decode UTF-8 (BOM or not) and GBK/GB18030; refuse binary and undecodable bytes."""

from __future__ import annotations

import hashlib

import pytest

from rag.documents import chunk_source
from rag.reading import UnreadableFile, decode_bytes, line_starts, read_source
from rag.settings import ChunkingSettings
from rag.verify import check_quote

SAMPLE = "习近平给武汉东湖新城社区全体社区工作者回了信。\n你们好，来信收悉。我从武汉回来后，一直牵挂着武汉广大干部群众。\n"


def test_plain_utf8():
    assert decode_bytes(SAMPLE.encode("utf-8")) == (SAMPLE, "utf-8")


def test_utf8_with_bom_and_crlf():
    crlf = SAMPLE.replace("\n", "\r\n")
    text, encoding = decode_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    assert encoding == "utf-8-sig"
    assert text == crlf  # BOM gone, line ends kept so offsets match the file's own lines
    assert not text.startswith("\ufeff")


def test_bom_crlf_file_chunks_and_verifies(tmp_path):
    crlf = ("第一段文字比较长一些，没有结束的标点符号所以会被认为是跨页的段落内容\n\n12\n\n这里继续上一段的句子。\n\n"
            + SAMPLE).replace("\n", "\r\n")
    path = tmp_path / "bom.txt"
    data = b"\xef\xbb\xbf" + crlf.encode("utf-8")
    path.write_bytes(data)
    source = read_source(path, "bom.txt")
    assert (source.name, source.encoding) == ("bom.txt", "utf-8-sig")
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    _, chunks = chunk_source(source, ChunkingSettings())
    assert chunks
    assert chunks[0].text == "第一段文字比较长一些，没有结束的标点符号所以会被认为是跨页的段落内容这里继续上一段的句子。"
    for c in chunks:
        assert "\r" not in c.text and "\ufeff" not in c.text
        assert check_quote(source.text, c.text, c.char_start, c.char_end, c.line_start, c.line_end) is None
        assert source.text.split("\n")[c.line_start - 1].startswith(c.text[:5])


def test_gbk_text():
    text, encoding = decode_bytes(SAMPLE.encode("gbk"))
    assert (text, encoding) == (SAMPLE, "gb18030")


def test_gb18030_only_characters():
    s = "中文与€符号，以及㐀字。\n"
    assert decode_bytes(s.encode("gb18030")) == (s, "gb18030")


def test_gbk_file_read_from_disk(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE.encode("gbk"))
    source = read_source(path, "sub/gbk.txt")
    assert (source.text, source.encoding, source.name) == (SAMPLE, "gb18030", "sub/gbk.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02binary\x00data",
        b"%PDF-1.7\n" + b"\x00" * 10 + b"stream",
        "Chinese text 中文".encode("utf-16-le"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        SAMPLE.encode("utf-8") + b"\x00",
    ],
)
def test_binary_with_nul_bytes_is_unreadable(data):
    with pytest.raises(UnreadableFile, match="binary"):
        decode_bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xff\xff\xff",
        b"abc\xff",
        b"\x80\x80\x80",
        b"\xef\xbb\xbf" + SAMPLE.encode("gbk"),  # a UTF-8 BOM on GBK bytes
        b"\xef\xbb\xbf\xff\xfe",
        "中文文本".encode("utf-16"),  # UTF-16 with its BOM
    ],
)
def test_invalid_bytes_are_unreadable(data):
    with pytest.raises(UnreadableFile):
        decode_bytes(data)


def test_control_characters_in_gb18030_text_are_unreadable():
    data = bytes([0x81, 0x30, 0x81, 0x30]) + bytes(range(1, 9)) * 20  # decodes, but is noise
    with pytest.raises(UnreadableFile, match="binary"):
        decode_bytes(data)


def test_control_characters_in_utf8_are_unreadable():
    with pytest.raises(UnreadableFile):
        decode_bytes(bytes(range(1, 32)) * 50)


def test_unreadable_file_on_disk(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(UnreadableFile):
        read_source(path, "blob.txt")
    with pytest.raises(UnreadableFile, match="cannot be read"):
        read_source(tmp_path / "missing.txt", "missing.txt")


def test_empty_file_is_empty_text():
    assert decode_bytes(b"") == ("", "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf") == ("", "utf-8-sig")


def test_line_starts():
    assert line_starts("") == [0]
    assert line_starts("ab\ncd\n\nef") == [0, 3, 6, 7]
    assert line_starts("a\r\nb") == [0, 3]
