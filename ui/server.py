"""`rag serve`: the JSON API and the chat UI on one port, run by uvicorn.

The FastAPI app of ui/api.py carries the `/api/...` routes; the Gradio Blocks of ui/app.py are
mounted on it at `/` (Gradio runs on FastAPI itself). Start-up work overlaps: the index check,
the assistant (model, dictionary, token counter) and its warm-up run in a thread while this one
imports Gradio, the slowest import of all (so nothing before that thread may import it: not
this module, not the CLI).
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
import threading

from rag.errors import ConfigError


def compose(assistant, auth: tuple[str, str] | None, max_file_mb: float):
    """The whole server app over an assistant: API routes, then the UI mounted at `/`."""
    import gradio as gr

    from .api import build_api
    from .app import build_app
    from .library_api import add_library_routes
    from .render import CSS

    api = build_api(assistant, auth)
    add_library_routes(api, assistant)
    blocks = build_app(assistant).queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(api, blocks, path="/", auth=auth, css=CSS, show_error=False,
                               max_file_size=f"{max_file_mb:g}mb", footer_links=["api"])


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def auth_for(serve_settings) -> tuple[str, str] | None:
    """No login on loopback; anywhere else a username and password are required."""
    if _is_loopback(serve_settings.host):
        return None
    user, password = serve_settings.username, serve_settings.password
    if not user or not password:
        raise ConfigError(f"serve.host is {serve_settings.host}, reachable from other machines: "
                          "set serve.username and serve.password (or RAG_SERVE_USERNAME and "
                          "RAG_SERVE_PASSWORD) to require a login")
    return (user, password)


def _check_port(host: str, port: int) -> None:
    """Fail with one line when the port cannot be bound, rather than after start-up."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(f"port {port} on {host} is in use (another `rag serve`?): "
                                  "stop it, or pass --port N") from None
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve(settings) -> int:
    """Index if needed, then serve the API and the UI on settings.serve.host:port."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    host, port = settings.serve.host, settings.serve.port
    auth = auth_for(settings.serve)
    _check_port(host, port)
    if auth:
        print(f"serving on {host}:{port} with a login for user '{auth[0]}'", file=sys.stderr)

    ready: dict = {}
    shared = settings.store.mode == "http"
    if shared:
        # A replica: the index is the Chroma server's (rag/shared_index.py), updated by
        # `rag ingest` where the documents are; this process only answers and follows it.
        settings.serve.allow_upload = False

    def prepare() -> None:
        try:
            from rag.assistant import Assistant
            from rag.ingest import ingest

            # An up-to-date index costs a stat per file; a stale one is brought up to date.
            if not shared:
                report = ingest(settings, progress=sys.stderr.isatty())
                if report.changed:
                    print(f"indexed first: {report.summary()}", file=sys.stderr)
            assistant = Assistant(settings)
            assistant.ask("warm up")  # nobody waits for the model on the first question
            assistant.follow()  # http: take up each new ingest within store.poll_s seconds
            ready["assistant"] = assistant
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            ready["error"] = exc

    worker = threading.Thread(target=prepare, name="rag-prepare", daemon=True)
    worker.start()
    import gradio  # noqa: F401 - the slow import, while the assistant loads
    import uvicorn

    worker.join()
    if "error" in ready:
        raise ready["error"]
    app = compose(ready["assistant"], auth, settings.corpus.max_file_mb)
    print(f"open http://{host}:{port}/  (JSON API: http://{host}:{port}/api/docs)",
          file=sys.stderr, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=5)
    return 0
