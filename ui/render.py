"""HTML and text rendering for the UI. Every piece of document or question text is escaped
here before it becomes HTML; nothing else in the UI builds HTML from text."""

from __future__ import annotations

import bisect
from html import escape
from typing import Any
from urllib.parse import quote

from rag.compose import title_mark
from rag.reading import line_starts


def answer_markdown(answer: dict[str, Any]) -> str:
    """The chat message for an answer: the answer, then its numbered quotes, as escaped text.
    This is also what the copy button copies, so it carries the citations in full."""
    parts = answer_head(answer)
    understood = answer.get("search_query")
    if answer.get("context_from") and understood and understood != answer["question"]:
        parts.append(f"<small>understood as: {escape_markdown(understood)}</small>")
    if answer["abstained"]:
        parts.append("")
        for i, p in enumerate(answer["passages"][:3], start=1):
            parts.append(f"({i}) {escape_markdown(p['source'])}:{p['line_start']}-{p['line_end']} "
                         f"{escape_markdown(title_mark(p['title']))} — "
                         f"{escape_markdown(p['text'][:120])}…")
        return "\n\n".join(parts)
    for c in answer["citations"]:
        line = (f"**[{c['n']}]** {escape_markdown(c['source'])}:{c['line_start']}-{c['line_end']}"
                f"{escape_markdown(where(c))} "
                f"{escape_markdown(title_mark(c['title']))}")
        if c.get("attribution"):
            line += f" {escape_markdown(c['attribution'])}"
        parts.append(f"{line}\n> {escape_markdown(c['quote'])}")
    return "\n\n".join(parts)


def answer_head(answer: dict[str, Any]) -> list[str]:
    """What stands above the quotes: the checked generated answer with a small note on who
    wrote it, or the extractive answer (after a one-line note when the generator fell back)."""
    if answer.get("generated"):
        return [escape_markdown(answer["generated"]), written_note(answer)]
    head = [escape_markdown(answer["answer"])]
    if answer.get("generator_note"):
        head.insert(0, f"*⚠️ {escape_markdown(answer['generator_note'])}*")
    return head


def written_note(answer: dict[str, Any], streaming: bool = False) -> str:
    """The small line under a generated answer."""
    note = f"written by {escape_markdown(answer.get('generator') or 'a model')}, checked against the quotes"
    dropped = answer.get("dropped_sentences") or 0
    if dropped:
        note += (f"; {dropped} sentence{'s' if dropped > 1 else ''} the quotes do not support "
                 "left out")
    return f"*{note}{'…' if streaming else ''}*"


def generated_markdown(text: str, model: str) -> str:
    """A generated answer while it streams in: the sentences checked so far."""
    return f"{escape_markdown(text)}\n\n{written_note({'generator': model}, streaming=True)}"


def answer_text(answer: dict[str, Any]) -> str:
    """Plain text of an answer with its citations, for copying and for the CLI."""
    lines = [answer["answer"], ""]
    for c in answer["citations"]:
        lines.append(f"[{c['n']}] {c['source']}:{c['line_start']}-{c['line_end']}{where(c)} "
                     f"{title_mark(c['title'])}"
                     + (f" {c['attribution']}" if c.get("attribution") else ""))
        lines.append(f"    {c['quote']}")
    return "\n".join(lines).strip()


def escape_markdown(text: str) -> str:
    """Escape text for Gradio's markdown: HTML escaped, markdown specials neutralised."""
    text = escape(text or "", quote=False)  # quotes are text here; "&#x27;" showed as it is
    for ch in "\\`*_{}[]#|~":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")


def feedback_buttons(question: str | None, source: str, char_start: int | None,
                     char_end: int | None) -> str:
    """"answers it" / "doesn't" for one passage; FEEDBACK_JS posts them to /api/feedback."""
    if not question or char_start is None or char_end is None:
        return ""
    return (f'<div class="rag-fb" data-q="{escape(question)}" data-source="{escape(source)}" '
            f'data-start="{int(char_start)}" data-end="{int(char_end)}">'
            '<span role="button" tabindex="0" class="rag-fb-btn" data-verdict="answers">'
            '✓ answers it</span><span role="button" tabindex="0" class="rag-fb-btn" '
            'data-verdict="does_not">✗ doesn\'t</span><span class="rag-fb-status"></span></div>')


def citation_card(c: dict[str, Any], question: str | None = None) -> str:
    """One numbered citation card (with feedback buttons when the question is given)."""
    also = ""
    if c.get("also_in"):
        also = '<div class="rag-also">also in: ' + ", ".join(
            f"{escape(a['source'])}:{a['line_start']}-{a['line_end']}" for a in c["also_in"]
        ) + "</div>"
    attribution = f'<div class="rag-attr">{escape(c["attribution"])}</div>' \
        if c.get("attribution") else ""
    return (
        f'<div class="rag-card"><div class="rag-card-head"><span class="rag-n">[{c["n"]}]</span> '
        f'<span class="rag-title">{escape(c["title"] or "")}</span>'
        f'<span class="rag-score">{c["score"]:.2f}</span></div>{attribution}'
        f'<blockquote class="rag-quote">{escape(c["quote"])}</blockquote>'
        f'<div class="rag-loc">{escape(c["source"])}:{c["line_start"]}-{c["line_end"]}'
        f'{escape(where(c))} '
        f'· open in source viewer ›</div>{also}'
        f'{feedback_buttons(question, c["source"], c.get("char_start"), c.get("char_end"))}</div>'
    )


def passage_card(i: int, p: dict[str, Any], question: str | None = None) -> str:
    return (
        f'<div class="rag-card rag-near"><div class="rag-card-head"><span class="rag-n">({i})</span> '
        f'<span class="rag-title">{escape(p["title"] or "")}</span>'
        f'<span class="rag-score">{p["score"]:.2f}</span></div>'
        f'<blockquote class="rag-quote">{escape(p["text"])}</blockquote>'
        f'<div class="rag-loc">{escape(p["source"])}:{p["line_start"]}-{p["line_end"]}</div>'
        f'{feedback_buttons(question, p["source"], p.get("char_start"), p.get("char_end"))}</div>'
    )


def where(c: dict[str, Any]) -> str:
    """A citation's place in the file's own terms, as plain text: " · p. 2", " · p. 2-3",
    " · 第二章 › ¶1"; empty for plain text files."""
    if c.get("page"):
        return f" · p. {c['page']}" + (f"-{c['page_end']}" if c.get("page_end") else "")
    return f" · {c['locator']}" if c.get("locator") else ""


def original_url(source: str, page: int | None = None) -> str:
    """The link that opens an indexed file itself (the browser's PDF viewer at `page`)."""
    return f"/api/documents/{quote(source, safe='/')}/file" + (f"#page={page}" if page else "")


def source_view(source: str, text: str, char_start: int | None = None,
                char_end: int | None = None, question: str | None = None,
                pages: tuple[int, ...] | None = None) -> str:
    """The whole document with line numbers; the characters char_start..char_end highlighted.
    With a question, a button marks the words a person selects as answering it. With `pages`
    (a PDF: where each page starts in the text), a marker opens each page in the PDF itself."""
    starts = line_starts(text)
    rows = []
    page = 0
    first = bisect.bisect_right(starts, char_start) if char_start is not None else None
    for number, start in enumerate(starts, start=1):
        end = starts[number] - 1 if number < len(starts) else len(text)
        line = text[start:end].rstrip("\r")
        if char_start is not None and char_end is not None and start < char_end and \
                end >= char_start:
            a = max(char_start - start, 0)
            b = min(char_end - start, len(line))
            body = escape(line[:a]) + "<mark>" + escape(line[a:b]) + "</mark>" + escape(line[b:])
        else:
            body = escape(line)
        anchor = ' id="rag-hit"' if number == first else ""
        if pages and bisect.bisect_right(pages, start) > page:
            page = bisect.bisect_right(pages, start)
            rows.append(f'<div class="rag-page">page {page} · <a href="'
                        f'{escape(original_url(source, page))}" target="_blank" '
                        f'rel="noopener">open in the PDF ›</a></div>')
        rows.append(f'<div class="rag-line"{anchor}><span class="rag-ln">{number}</span>'
                    f'<span class="rag-lt" data-o="{start}">{body or "&nbsp;"}</span></div>')
    mark = ""
    if question:
        mark = (f'<div class="rag-fb rag-mark" data-q="{escape(question)}" '
                f'data-source="{escape(source)}"><span role="button" tabindex="0" '
                'class="rag-fb-btn" data-verdict="answers" data-select="1">Mark the selected '
                'words as answering the question</span><span class="rag-fb-status"></span></div>')
    head = escape(source)
    if pages and char_start is not None:
        at = max(1, bisect.bisect_right(pages, char_start))
        head += (f' · <a href="{escape(original_url(source, at))}" target="_blank" '
                 f'rel="noopener" id="rag-open-page">open the PDF at page {at} ›</a>')
    return (f'<div class="rag-viewer-head">{head}</div>{mark}'
            f'<div class="rag-viewer" id="rag-viewer">{"".join(rows)}</div>')


def outline(documents: dict[str, list]) -> str:
    """The document browser: each file with its articles and their first lines."""
    items = []
    for name, articles in documents.items():
        arts = "".join(
            f'<li><span class="rag-ln">{a.line}</span> {escape(a.title)}</li>' for a in articles
        ) or "<li><em>(no article titles found)</em></li>"
        items.append(f'<details open><summary>{escape(name)} · {len(articles)} articles'
                     f'</summary><ul>{arts}</ul></details>')
    return '<div class="rag-outline">' + "".join(items) + "</div>"


CSS = """
.rag-card{border:1px solid var(--border-color-primary);border-radius:8px;padding:10px 12px;
  margin:0 0 6px 0;background:var(--background-fill-secondary);cursor:pointer;text-align:left}
.rag-card-head{display:flex;gap:6px;align-items:baseline}
.rag-n{font-weight:700;color:var(--color-accent)}
.rag-title{font-weight:600;flex:1}
.rag-score{font-size:12px;opacity:.7}
.rag-attr{font-size:12px;opacity:.8;margin-top:2px}
.rag-quote{margin:6px 0;padding-left:8px;border-left:3px solid var(--color-accent);white-space:normal}
.rag-loc,.rag-also{font-size:12px;opacity:.75;font-family:var(--font-mono)}
.rag-viewer{max-height:520px;overflow-y:auto;font-size:14px;line-height:1.6;
  border:1px solid var(--border-color-primary);border-radius:6px;padding:4px 0}
.rag-viewer-head{font-family:var(--font-mono);font-size:13px;margin-bottom:4px}
.rag-line{display:flex}
.rag-ln{min-width:3.2em;text-align:right;padding-right:10px;opacity:.5;font-family:var(--font-mono);
  user-select:none}
.rag-lt{white-space:pre-wrap;flex:1}
.rag-page{font-size:12px;opacity:.75;border-top:1px dashed var(--border-color-primary);
  margin:6px 0 2px 0;padding:2px 10px;font-family:var(--font-mono)}
.rag-viewer mark{background:#ffe58a;color:#000}
.rag-outline ul{margin:2px 0 8px 0;list-style:none;padding-left:4px}
.rag-near{opacity:.85}
#rag-near:has(.prose:empty){display:none}
.rag-fb{display:flex;gap:8px;align-items:center;margin-top:6px;font-size:12px}
.rag-fb-btn{border:1px solid var(--border-color-primary);border-radius:4px;padding:1px 8px;
  cursor:pointer;user-select:none;background:var(--background-fill-primary)}
.rag-fb-btn:hover{border-color:var(--color-accent)}
.rag-fb-status{opacity:.75}
.rag-mark{margin-bottom:4px}
"""

# Installed once on page load: the feedback buttons post to the HTTP API. Offsets of selected
# words are counted in code points, as Python counts them, from each line's data-o offset.
FEEDBACK_JS = """() => {
  if (window.__ragFeedback) return;
  window.__ragFeedback = true;
  const say = (box, text) => { const s = box.querySelector('.rag-fb-status'); if (s) s.textContent = text; };
  const offset = (node, off) => {
    const el = (node.nodeType === 1 ? node : node.parentElement).closest('.rag-lt');
    if (!el) return null;
    const r = document.createRange(); r.setStart(el, 0); r.setEnd(node, off);
    return Number(el.dataset.o) + Array.from(r.toString()).length;
  };
  document.addEventListener('mousedown', (ev) => {  // keep the selection when a button is pressed
    if (ev.target.closest && ev.target.closest('.rag-fb-btn')) ev.preventDefault();
  }, true);
  document.addEventListener('click', async (ev) => {
    const btn = ev.target.closest && ev.target.closest('.rag-fb-btn');
    if (!btn) return;
    ev.stopPropagation(); ev.preventDefault();  // not a click on the card under it
    const box = btn.closest('.rag-fb'), d = box.dataset;
    const body = {question: d.q, source: d.source, verdict: btn.dataset.verdict};
    if (btn.dataset.select) {
      const sel = window.getSelection();
      const rg = sel && sel.rangeCount && !sel.isCollapsed ? sel.getRangeAt(0) : null;
      const a = rg && offset(rg.startContainer, rg.startOffset);
      const b = rg && offset(rg.endContainer, rg.endOffset);
      if (a === null || b === null || !(b > a)) { say(box, 'select the words that answer in the text first'); return; }
      body.char_start = a; body.char_end = b;
    } else { body.char_start = Number(d.start); body.char_end = Number(d.end); }
    say(box, 'sending…');
    try {
      const r = await fetch('/api/feedback', {method: 'POST', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
      const out = await r.json().catch(() => ({}));
      say(box, r.ok ? (body.verdict === 'answers' ? '✓ recorded: answers it' : "✓ recorded: doesn't")
                    : 'not recorded: ' + (out.error || r.status));
    } catch (e) { say(box, 'not recorded: ' + e); }
  }, true);
}"""
