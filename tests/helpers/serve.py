"""`rag serve` as a test starts it: a real process on a free port, stopped afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers.chroma_server import free_port

ROOT = Path(__file__).resolve().parent.parent.parent


@contextmanager
def running_serve(config: Path, log_path: Path, timeout: float = 180) -> Iterator[str]:
    """`rag serve --config CONFIG` until the page answers; yields its URL. Its output goes to
    `log_path`, which a failure to start quotes."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rag.cli", "--config", str(config), "serve", "--port",
             str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.time() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(Path(log_path).read_text())
                try:
                    urllib.request.urlopen(url, timeout=2)
                    break
                except OSError:
                    if time.time() > deadline:
                        raise RuntimeError(f"rag serve did not answer within {timeout:.0f} s") \
                            from None
                    time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
