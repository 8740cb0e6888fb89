"""The `rag` command: ingest, ask, serve, eval. Errors print one line and exit 1."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .errors import RagError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description=(
        "Citation-first question answering: answers are verbatim, verified quotations "
        "from your documents."))
    config_help = "config file (default: $RAG_CONFIG or config.yaml)"
    p.add_argument("--config", default=None, help=config_help)
    # Every subcommand takes --config too (`rag ingest --config X`); it overrides the one before.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, help=config_help)
    sub = p.add_subparsers(dest="command", required=True)
    _add_parser = sub.add_parser

    def add_parser(name, **kwargs):
        return _add_parser(name, parents=[common], **kwargs)

    sub.add_parser = add_parser

    ing = sub.add_parser("ingest", help="index the corpus (incremental)")
    ing.add_argument("paths", nargs="*", help="corpus folder to index instead of corpus.path")
    ing.add_argument("--rebuild", action="store_true", help="drop the index and build it anew")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")

    ask = sub.add_parser("ask", help="answer a question with cited quotations")
    ask.add_argument("question", nargs="?",
                     help="the question, in Chinese or English; '-' reads it from standard input")
    ask.add_argument("--top-k", type=int, default=None, help="passages to retrieve")
    ask.add_argument("--source", action="append", default=[], help="only this file (repeatable)")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--batch", type=Path, help=(
        "JSONL file of {id, question} (and conversation: lines with the same id are one chat); "
        "one answer a line"))
    ask.add_argument("--context-budget", type=int, metavar="N",
                     help="print the cited passages packed into N tokens for a language model")

    chat = sub.add_parser("chat", help="a chat in the terminal: follow-ups use the conversation")
    chat.add_argument("--top-k", type=int, default=None, help="passages to retrieve")
    chat.add_argument("--source", action="append", default=[], help="only this file (repeatable)")

    srv = sub.add_parser("serve", help="the chat UI in the browser")
    srv.add_argument("--host", default=None)
    srv.add_argument("--port", type=int, default=None)

    ev = sub.add_parser("eval", help="score retrieval, citations and abstention", description=(
        "rag eval: score a question set (with 95% intervals). rag eval --compare A B: the same "
        "questions through each config or report.json, with paired tests. rag eval draft: a "
        "question file to fill in. rag eval export: the judgements made in the UI as a dataset."))
    ev.add_argument("action", nargs="?", choices=["run", "draft", "export"], default="run",
                    help="run (default), draft or export")
    ev.add_argument("--dataset", default=None,
                    help="a dataset JSONL file, or 'feedback' for the judgements made in the UI")
    ev.add_argument("--out", type=Path, default=None, help=(
        "report folder (default eval/out, eval/out/compare); draft/export: the file to write "
        "(default eval/draft.jsonl, eval/feedback.jsonl)"))
    ev.add_argument("--split", default=None,
                    help="dev, test or all (default: test; all for --dataset feedback)")
    ev.add_argument("--no-baseline", action="store_true", help="skip the LangChain baseline")
    ev.add_argument("--gate", action="store_true", help="fail when a metric is under its gate")
    ev.add_argument("--compare", nargs="+", metavar="CONFIG_OR_REPORT",
                    help="configs (or earlier report.json files) to compare on the same questions")
    ev.add_argument("--trec-out", type=Path, default=None, metavar="DIR",
                    help="also write TREC run and qrels files (for trec_eval, ranx, ir-measures)")
    ev.add_argument("--n", type=int, default=50, help="draft: how many passages to sample")
    ev.add_argument("--seed", type=int, default=0, help="draft: which sample")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s", stream=sys.stderr)
    try:
        from .settings import load_settings

        settings = load_settings(args.config)
        return COMMANDS[args.command](args, settings)
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not a user error: still one line, the details on demand
        if os.environ.get("RAG_DEBUG"):
            raise
        print(f"error: internal error ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
              "run again with RAG_DEBUG=1 to see where, and report it", file=sys.stderr)
        return 1


def cmd_ingest(args, settings) -> int:
    from .ingest import ingest

    if args.paths:
        if len(args.paths) > 1:
            print("error: give one corpus folder", file=sys.stderr)
            return 1
        settings.corpus.path = Path(args.paths[0]).resolve()
    report = ingest(settings, rebuild=args.rebuild, progress=not args.quiet and sys.stderr.isatty())
    print(f"indexed {settings.corpus.path}: {report.summary()}")
    return 0


def _format(answer) -> str:
    from .compose import title_mark

    lines = [answer.answer, ""]
    understood = getattr(answer, "search_query", "")
    if understood and understood != answer.question:  # a follow-up, read in context
        lines = [f"(understood as: {understood})", *lines]
    if answer.generated:  # the checked generated answer, above the extractive one
        lines = [answer.generated, f"  (written by {answer.generator}, checked against the "
                 "quotes)", "", *lines]
    elif answer.generator_note:
        lines.insert(0, f"({answer.generator_note})")
    items = answer.citations if not answer.abstained else []
    for c in items:
        head = f"[{c.n}] {c.source}:{c.line_start}-{c.line_end}"
        if c.page:  # a PDF: the page(s); DOCX/HTML: the heading path and paragraph
            head += f" p. {c.page}" + (f"-{c.page_end}" if c.page_end else "")
        elif c.locator:
            head += f" {c.locator}"
        if c.title:
            head += f"  {title_mark(c.title)}"
        if c.attribution:
            head += f"  {c.attribution}"
        lines += [head, f"    {c.quote}"]
        if c.also_in:
            lines.append("    also in: " + ", ".join(
                f"{a.source}:{a.line_start}-{a.line_end}" for a in c.also_in))
        lines.append("")
    if answer.abstained:
        for i, h in enumerate(answer.passages[:3], start=1):
            ch = h.chunk
            lines += [f"({i}) {ch.source}:{ch.line_start}-{ch.line_end}  "
                      f"{title_mark(ch.title)}",
                      f"    {ch.text}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _read_stdin() -> str:
    """The question piped in (`rag ask -`): any length, decoded as UTF-8."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RagError("standard input is not UTF-8 text: pipe the question as UTF-8") from None
    return data.strip()


def cmd_ask(args, settings) -> int:
    from .assistant import Assistant
    from .errors import QuestionError

    if args.batch is None and args.question is None:
        print("error: give a question, or --batch FILE.jsonl", file=sys.stderr)
        return 1
    if args.question == "-":
        args.question = _read_stdin()
    assistant = Assistant(settings)
    if args.batch is not None:
        try:
            rows = args.batch.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            print(f"error: cannot read {args.batch}: {exc.strerror}", file=sys.stderr)
            return 1
        chats: dict[str, list] = {}  # "conversation" id -> its earlier answers, in file order
        for number, row in enumerate(rows, start=1):
            if not row.strip():
                continue
            try:
                item = json.loads(row)
                question = item["question"]
            except (json.JSONDecodeError, KeyError, TypeError):
                print(f"error: {args.batch}:{number} is not a JSON object with a question",
                      file=sys.stderr)
                return 1
            chat = None if item.get("conversation") is None else \
                chats.setdefault(str(item["conversation"]), [])
            try:
                answer = assistant.ask(question, top_k=args.top_k, sources=args.source,
                                       history=chat)
                if chat is not None:
                    chat.append(answer)
                out = answer.to_dict()
            except QuestionError as exc:
                out = {"question": question, "error": str(exc)}
            out = {"id": item.get("id"), **out}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 0
    if args.context_budget:
        print(assistant.context(args.question, args.context_budget, args.top_k, args.source))
        return 0
    answer = assistant.ask(args.question, top_k=args.top_k, sources=args.source)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_format(answer), end="")
    return 0


CHAT_HELP = ("Ask in Chinese or English; a follow-up is read in the light of the conversation. "
             "/new starts a new conversation, /quit (or Ctrl-D) ends.")


def cmd_chat(args, settings) -> int:
    """An interactive chat: the model loaded once, each question with the conversation so far."""
    from .assistant import Assistant
    from .errors import QuestionError

    history_file = None
    try:
        import readline  # line editing and the up-arrow history, where the platform has it

        history_file = settings.state_dir / "chat_history"
        try:
            readline.read_history_file(history_file)
        except OSError:
            pass
    except ImportError:
        readline = None
    print("loading the index and the model…", file=sys.stderr, flush=True)
    assistant = Assistant(settings)
    print(CHAT_HELP, flush=True)
    history: list = []
    try:
        while True:
            try:
                line = input("> ")
            except EOFError:  # Ctrl-D
                print()
                return 0
            except KeyboardInterrupt:  # Ctrl-C drops the line being typed
                print()
                continue
            question = line.strip()
            if not question:
                continue
            if question in ("/quit", "/exit", "/q"):
                return 0
            if question == "/new":
                history = []
                print("(new conversation)", flush=True)
                continue
            if question.startswith("/") and " " not in question:
                print(f"unknown command {question}: {CHAT_HELP}", flush=True)
                continue
            try:
                answer = assistant.ask(question, top_k=args.top_k, sources=args.source,
                                       history=history)
            except QuestionError as exc:
                print(f"error: {exc}", flush=True)
                continue
            except KeyboardInterrupt:
                print("(interrupted)", flush=True)
                continue
            print(_format(answer), flush=True)
            history.append(answer)
    finally:
        if readline is not None and history_file is not None:
            try:
                history_file.parent.mkdir(parents=True, exist_ok=True)
                readline.set_history_length(1000)
                readline.write_history_file(history_file)
            except OSError:
                pass


def cmd_serve(args, settings) -> int:
    from ui.server import serve  # not ui.app: Gradio is imported beside the assistant's load

    if args.host:
        settings.serve.host = args.host
    if args.port:
        settings.serve.port = args.port
    return serve(settings)


def cmd_eval(args, settings) -> int:
    if args.action == "draft":
        from .eval_draft import draft

        out = args.out or Path("eval/draft.jsonl")
        written = draft(settings, n=args.n, out=out, seed=args.seed)
        print(f"wrote {written} passages to {out}: write a question for each (and its keys), "
              "see README 'Writing good questions'")
        return 0
    if args.action == "export":
        from .feedback import export

        out = args.out or Path("eval/feedback.jsonl")
        written, left = export(settings, out)
        print(f"wrote {written} questions to {out}"
              + (f" ({left} judged only as \"doesn't\" left out)" if left else ""))
        return 0
    if args.compare:
        from .eval_compare import run_compare

        return run_compare(args.compare, dataset=args.dataset, split=args.split,
                           out=args.out or Path("eval/out/compare"), trec_out=args.trec_out)
    from .evaluation import run_eval

    return run_eval(settings, dataset=args.dataset, out=args.out or Path("eval/out"),
                    split=args.split, baseline=not args.no_baseline, gate=args.gate,
                    trec_out=args.trec_out)


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "chat": cmd_chat, "serve": cmd_serve, "eval": cmd_eval}

if __name__ == "__main__":
    sys.exit(main())
