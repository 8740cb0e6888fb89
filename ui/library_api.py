"""The HTTP routes for the document library, added to the JSON API (`ui/api.py`):

    POST   /api/documents              multipart files: saved, indexed, answerable at once
    DELETE /api/documents/{name}       the file and its passages leave the index
    GET    /api/documents/{name}/file  the original file of an indexed document (PDFs open in
                                       the browser's viewer, `#page=N`); nothing else is served

Upload and removal answer 403 unless `serve.allow_upload` allows them (rag.library).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from starlette.datastructures import UploadFile

from rag.errors import RagError
from rag.library import add_documents, indexed_file, remove_document, update_index, uploads_allowed

MAX_FILES = 20  # per request


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def add_library_routes(app: FastAPI, assistant) -> None:
    """Add the library routes to the API app (their request bodies may be up to
    corpus.max_file_mb per file: the API's general body limit must not apply to POST
    /api/documents)."""
    settings = assistant.settings

    @app.get("/api/documents/{name:path}/file", summary="The original file of an indexed document")
    def original(name: str):
        path = indexed_file(settings, assistant.catalog, name)
        if path is None:
            return _error(404, f"no indexed document named '{name}'")
        if path.suffix.lower() == ".pdf":
            return FileResponse(path, media_type="application/pdf",
                                content_disposition_type="inline", filename=path.name)
        # Anything else is downloaded, never rendered in the app's origin (an HTML file's
        # scripts must not run here).
        return FileResponse(path, media_type="application/octet-stream", filename=path.name,
                            headers={"X-Content-Type-Options": "nosniff"})

    @app.post("/api/documents", summary="Add documents (multipart `files`) and index them")
    async def upload(request: Request):
        if not uploads_allowed(settings.serve):
            return _error(403, "adding documents is turned off (serve.allow_upload)")
        limit = int(settings.corpus.max_file_mb * 1e6)
        form = await request.form(max_files=MAX_FILES, max_part_size=limit + 1)
        parts = [p for p in form.getlist("files") if isinstance(p, UploadFile)]
        if not parts:
            return _error(400, "send the documents as multipart form field 'files'")
        files = []
        for part in parts:
            data = await part.read(limit + 1)
            files.append((part.filename or "document", data))
        try:
            uploads, messages = await run_in_threadpool(add_documents, settings, files, assistant)
        except RagError as exc:
            return _error(409, str(exc))
        return {"documents": [{"source": u.name, "added": u.added} for u in uploads],
                "messages": messages}

    @app.delete("/api/documents/{name:path}", summary="Remove a document: file and index")
    def delete(name: str):
        if not uploads_allowed(settings.serve):
            return _error(403, "removing documents is turned off (serve.allow_upload)")
        try:
            remove_document(settings, name)
            update_index(settings, assistant)
        except RagError as exc:
            return _error(404 if "no indexed document" in str(exc) else 409, str(exc))
        return {"removed": name, "format": PurePosixPath(name).suffix.lstrip(".").lower()}
