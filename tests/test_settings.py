"""rag.settings.load_settings: config.yaml, strict keys and types, env overrides, paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.settings import ChunkingSettings, load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No RAG_* variable from the outside leaks into these tests."""
    for key in list(os.environ):
        if key.startswith("RAG_"):
            monkeypatch.delenv(key)


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_the_project_config():
    s = load_settings(ROOT / "config.yaml")
    assert s.base_dir == ROOT
    assert s.corpus.path == ROOT / "data" / "corpus"
    assert s.corpus.patterns == ["**/*.txt", "**/*.md", "**/*.pdf", "**/*.docx", "**/*.html",
                                 "**/*.htm"]
    assert s.store.path == ROOT / ".rag" / "chroma"
    assert s.state_dir == ROOT / ".rag"
    assert s.embedding.model == str(ROOT / "models" / "multilingual-e5-small")
    assert (s.embedding.query_prompt, s.embedding.passage_prompt) == ("query: ", "passage: ")
    assert s.chunking == ChunkingSettings(max_chars=200, max_tokens=480, min_chars=6)
    assert (s.serve.host, s.serve.port, s.serve.username, s.serve.password) == ("127.0.0.1", 7860, None, None)
    assert s.store.mode == "embedded"


def test_rag_config_env_names_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, "serve:\n  port: 9000\n", "other.yaml")
    monkeypatch.setenv("RAG_CONFIG", str(path))
    assert load_settings().serve.port == 9000


def test_empty_config_gives_defaults(tmp_path):
    s = load_settings(write(tmp_path, ""))
    assert s.chunking == ChunkingSettings()
    assert s.retrieval.top_k == 5


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    "yaml_text, key",
    [
        ("chunking:\n  max_char: 100\n", "chunking.max_char"),
        ("serve:\n  port: 1\n  prot: 2\n", "serve.prot"),
        ("chunkin:\n  max_chars: 100\n", "chunkin"),
    ],
)
def test_unknown_key_is_refused_naming_it(tmp_path, yaml_text, key):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, yaml_text))
    assert f"'{key}'" in str(err.value)


@pytest.mark.parametrize(
    "yaml_text, key",
    [
        ("serve:\n  port: abc\n", "serve.port"),
        ("serve:\n  port: true\n", "serve.port"),
        ("chunking:\n  max_chars: [1, 2]\n", "chunking.max_chars"),
        ("retrieval:\n  lexical_weight: heavy\n", "retrieval.lexical_weight"),
        ("corpus:\n  patterns: '*.txt'\n", "corpus.patterns"),
        ("corpus:\n  path: 5\n", "corpus.path"),
        ("serve:\n  host: {a: 1}\n", "serve.host"),
    ],
)
def test_wrong_type_is_refused_naming_the_key(tmp_path, yaml_text, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(write(tmp_path, yaml_text))


def test_section_that_is_not_a_mapping(tmp_path):
    with pytest.raises(ConfigError, match="serve"):
        load_settings(write(tmp_path, "serve: 5\n"))


def test_top_level_not_a_mapping_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError):
        load_settings(write(tmp_path, "- a\n- b\n"))
    with pytest.raises(ConfigError, match="cannot parse"):
        load_settings(write(tmp_path, "serve: [unclosed\n"))


def test_bad_store_mode(tmp_path):
    with pytest.raises(ConfigError, match="store.mode"):
        load_settings(write(tmp_path, "store:\n  mode: cloud\n"))


def test_fractional_value_for_integer_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"chunking\.max_chars"):
        load_settings(write(tmp_path, "chunking:\n  max_chars: 1.5\n"))


def test_numbers_coerced_where_lossless(tmp_path):
    s = load_settings(write(tmp_path, "retrieval:\n  lexical_weight: 2\nanswer:\n  abstain_strictness: 0.25\n"))
    assert s.retrieval.lexical_weight == 2.0 and isinstance(s.retrieval.lexical_weight, float)
    assert s.answer.abstain_strictness == 0.25


def test_env_override_serve_port(tmp_path, monkeypatch):
    path = write(tmp_path, "serve:\n  port: 7860\n")
    monkeypatch.setenv("RAG_SERVE_PORT", "7861")
    s = load_settings(path)
    assert s.serve.port == 7861 and isinstance(s.serve.port, int)


def test_env_override_for_a_section_absent_from_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_SERVE_PORT", "8123")
    monkeypatch.setenv("RAG_SERVE_USERNAME", "alice")
    monkeypatch.setenv("RAG_CHUNKING_MAX_CHARS", "150")
    s = load_settings(write(tmp_path, "corpus:\n  path: docs\n"))
    assert (s.serve.port, s.serve.username, s.chunking.max_chars) == (8123, "alice", 150)


def test_env_override_with_wrong_type_names_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_SERVE_PORT", "not-a-port")
    with pytest.raises(ConfigError, match=r"serve\.port"):
        load_settings(write(tmp_path, ""))


def test_relative_paths_resolve_against_the_config_folder(tmp_path, monkeypatch):
    conf_dir = tmp_path / "project"
    conf_dir.mkdir()
    (conf_dir / "models" / "mine").mkdir(parents=True)
    write(
        conf_dir,
        "corpus:\n  path: docs/corpus\nstore:\n  path: state/chroma\nembedding:\n  model: models/mine\n",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    s = load_settings(Path("..") / "project" / "config.yaml")
    assert s.base_dir == conf_dir.resolve()
    assert s.corpus.path == (conf_dir / "docs" / "corpus").resolve()
    assert s.store.path == (conf_dir / "state" / "chroma").resolve()
    assert s.state_dir == (conf_dir / "state").resolve()
    assert s.embedding.model == str((conf_dir / "models" / "mine").resolve())
    assert s.corpus.path.is_absolute() and s.store.path.is_absolute()


def test_absolute_paths_and_model_ids_kept(tmp_path):
    corpus = tmp_path / "abs-corpus"
    path = write(tmp_path, f"corpus:\n  path: {corpus}\nembedding:\n  model: intfloat/multilingual-e5-small\n")
    s = load_settings(path)
    assert s.corpus.path == corpus.resolve()
    assert s.embedding.model == "intfloat/multilingual-e5-small"  # a hub id, not a folder here
