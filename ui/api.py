"""The JSON HTTP API, served by `rag serve` on the same port as the chat UI.

`build_api(assistant, auth)` returns a FastAPI app with the routes below; `ui.server.serve`
mounts the Gradio UI on it and runs it with uvicorn. Every error is a 4xx/5xx status with
`{"error": "message"}`, never a traceback. Answers are computed in FastAPI's thread pool (the
routes are plain functions), off the event loop; the embedder keeps its one-forward-pass lock.

    POST /api/ask        {"question", "top_k"?, "sources"?, "history"?} -> the answer object
    GET  /api/documents  indexed files with their formats and article outlines
    GET  /api/health     {"status": "ok", "documents": n, "passages": n}
    POST /api/feedback   {"question", "source", "char_start", "char_end", "verdict"} -> stored
    GET  /api/docs       OpenAPI documentation (the schema at /api/openapi.json)

Off loopback the API asks for the same username and password as the UI (HTTP Basic).
"""

from __future__ import annotations

import base64
import binascii
import secrets
from pathlib import PurePosixPath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from rag.assistant import MAX_QUESTION_CHARS
from rag.errors import RagError

MAX_BODY_BYTES = 1_000_000  # a question is at most a few KB; a history of answers a few hundred
MAX_TOP_K = 50
MAX_HISTORY = 20


class HistoryTurn(BaseModel):
    """An earlier turn of the conversation: its question and the answer object it got."""

    model_config = ConfigDict(extra="ignore")
    question: str = Field(max_length=MAX_QUESTION_CHARS * 10)
    answer: dict[str, Any] | None = None


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="the question, in Chinese or English",
                          max_length=MAX_QUESTION_CHARS * 50)
    top_k: int | None = Field(None, ge=1, le=MAX_TOP_K, description="passages to retrieve")
    sources: list[str] | None = Field(None, description="only these indexed files")
    history: list[HistoryTurn] | None = Field(
        None, max_length=MAX_HISTORY, description="earlier turns, oldest first, for follow-ups")


class FeedbackRequest(BaseModel):
    """Whether a place in a document answers a question (checked by rag.feedback.record)."""

    model_config = ConfigDict(extra="allow")  # rag.feedback names an unknown field itself
    question: str = Field(description="the question the passage was judged for",
                          max_length=MAX_QUESTION_CHARS * 50)
    source: str = Field(description="the indexed file, as in a citation's `source`")
    char_start: int | None = Field(None, description="the span's first character (0-based)")
    char_end: int | None = Field(None, description="just past its last character")
    line_start: int | None = Field(None, description="or the span as lines (1-based)")
    line_end: int | None = None
    verdict: str = Field(description="`answers` or `does_not`")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    """One line naming the field at fault, from pydantic's list of errors."""
    errors = exc.errors()
    if not errors:
        return "the request body is not valid"
    first = errors[0]
    if first.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    if first.get("type") == "missing":
        return f"'{where}' is required" if where else "a JSON object body is required"
    if first.get("type") == "extra_forbidden":
        return f"unknown field '{where}': use question, top_k, sources, history"
    return f"{where or 'body'}: {first.get('msg', 'invalid')}"


def _authorised(request: Request, credentials: tuple[str, str]) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return False
    try:
        user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return (secrets.compare_digest(user.encode(), credentials[0].encode())
            & secrets.compare_digest(password.encode(), credentials[1].encode()))


def build_api(assistant, auth: tuple[str, str] | None = None) -> FastAPI:
    """The JSON API over an assistant; `auth` (user, password) is required when given."""
    app = FastAPI(title="Cited answers API", version="1", docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None,
                  description="Every answer is verbatim, verified quotations from the indexed "
                              "documents. See docs: the answer object in README.md.")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if not request.url.path.startswith("/api/"):
            return await call_next(request)
        if auth and not _authorised(request, auth):
            response = _error(401, "login required: send the UI's username and password "
                                   "(HTTP Basic)")
            response.headers["WWW-Authenticate"] = 'Basic realm="rag"'
            return response
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return _error(411, "send the request body with a Content-Length header")
            # Uploads (POST /api/documents) have their own per-file limit (rag.library).
            if int(length) > MAX_BODY_BYTES and request.url.path != "/api/documents":
                return _error(413, f"the request body is over {MAX_BODY_BYTES // 1000} KB")
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError):
        return _error(400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception):
        return _error(500, f"internal error ({type(exc).__name__}); see the server log")

    @app.post("/api/ask", summary="Answer a question with verified, cited quotations")
    def ask(body: AskRequest):
        history = [{"question": t.question, "answer": t.answer} for t in body.history or []]
        try:
            kwargs: dict[str, Any] = {"top_k": body.top_k, "sources": body.sources}
            if history:
                kwargs["history"] = history
            return assistant.ask(body.question, **kwargs).to_dict()
        except RagError as exc:
            return _error(400, str(exc))

    @app.get("/api/documents", summary="Indexed files with their formats and outlines")
    def documents():
        return {"documents": [
            {"source": name,
             "format": PurePosixPath(name).suffix.lstrip(".").lower() or "txt",
             "articles": [{"title": a.title, "line": a.line, "byline": a.byline}
                          for a in articles]}
            for name, articles in assistant.documents().items()]}

    @app.get("/api/health", summary="Whether the server can answer")
    def health():
        return {"status": "ok", "documents": len(assistant.catalog.files),
                "passages": len(assistant.retriever.keys)}

    @app.post("/api/feedback", summary="Record whether a passage answers a question")
    def feedback(body: FeedbackRequest):
        from rag.feedback import record

        try:
            return record(assistant.settings, body.model_dump(exclude_none=True))
        except RagError as exc:
            return _error(400, str(exc))

    return app
