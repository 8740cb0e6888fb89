"""CLI surface: --config before or after the subcommand, `rag ask -` from standard input."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from rag import cli


@pytest.mark.parametrize("argv, expected", [
    (["ask", "q"], None),
    (["--config", "a.yaml", "ask", "q"], "a.yaml"),
    (["ask", "q", "--config", "b.yaml"], "b.yaml"),
    (["ingest", "--config", "b.yaml"], "b.yaml"),
    (["--config", "a.yaml", "serve", "--config", "b.yaml"], "b.yaml"),
    (["eval", "--config", "c.yaml", "--split", "dev"], "c.yaml"),
])
def test_config_before_or_after_the_subcommand(argv, expected):
    assert cli._parser().parse_args(argv).config == expected


def test_every_subcommand_takes_config():
    parser = cli._parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        assert any("--config" in a.option_strings for a in command._actions), name


def test_stdin_question(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("  问题？\n".encode())))
    assert cli._read_stdin() == "问题？"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe\x00")))
    with pytest.raises(cli.RagError, match="UTF-8"):
        cli._read_stdin()


def test_config_after_subcommand_is_used(tmp_path):
    """A missing config named after the subcommand is the error (not a usage error, exit 2)."""
    missing = tmp_path / "nowhere.yaml"
    run = subprocess.run([sys.executable, "-m", "rag.cli", "ingest", "--config", str(missing)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip() == f"error: config file not found: {missing} " \
                                 "(pass --config PATH or set RAG_CONFIG)"


@pytest.mark.integration
def test_ask_reads_a_long_question_from_stdin(real_assistant, real_settings):
    """`rag ask -`: a question longer than the OS allows as an argument, piped in."""
    config = real_settings.base_dir / "config.yaml"
    question = "习近平给武汉哪个社区的全体社区工作者回了信？" + "，" * 200_000
    run = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "-", "--json",
                          "--config", str(config)], input=question, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert '"citations"' in run.stdout
    empty = subprocess.run([sys.executable, "-m", "rag.cli", "ask", "-", "--config", str(config)],
                           input="\n", capture_output=True, text=True, timeout=300)
    assert empty.returncode == 1 and "empty" in empty.stderr
