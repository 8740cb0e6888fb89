#!/usr/bin/env bash
# One Chroma server and two `rag serve` replicas on this machine, each replica in an empty
# folder holding only its config.yaml (store.mode: http): the topology of docs/scaling.md.
#
#   deploy/run-local.sh [WORKDIR]      (default: a new folder under /tmp)
#
# It starts `chroma run` (data in WORKDIR/chroma), indexes CORPUS (default data/corpus) from
# WORKDIR/ingest, starts the replicas on ports 7861 and 7862, and prints their addresses.
# Later ingests, from this machine or any other pointed at the same server, reach both
# replicas within store.poll_s seconds plus the load:
#   .venv/bin/rag --config WORKDIR/ingest/config.yaml ingest
# Ctrl-C stops everything it started. Ports: CHROMA_PORT (8000), REPLICA_PORTS ("7861 7862").
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.venv/bin}
WORK=${1:-$(mktemp -d /tmp/rag-scale-out.XXXXXX)}
CORPUS=$(cd "${CORPUS:-$ROOT/data/corpus}" && pwd)
MODEL=${MODEL:-$ROOT/models/multilingual-e5-small}
CHROMA_PORT=${CHROMA_PORT:-8000}
read -r -a PORTS <<< "${REPLICA_PORTS:-7861 7862}"

[ -x "$BIN/rag" ] || { echo "error: $BIN/rag not found: run \`make setup\` first" >&2; exit 1; }
mkdir -p "$WORK/chroma" "$WORK/ingest"

config() {  # config.yaml for the server; the ingest's also names the documents
  cat <<YAML
store:
  mode: http                 # the index lives in the Chroma server (rag/shared_index.py)
  host: 127.0.0.1
  port: $CHROMA_PORT
  poll_s: 2                  # replicas look for a new ingest every 2 s
embedding:
  model: $MODEL
YAML
  [ -n "${1:-}" ] && printf 'corpus:\n  path: %s\n' "$1"
  return 0
}

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait; }
trap cleanup EXIT INT TERM

# wait_for URL TRIES DELAY MESSAGE: poll URL until it answers, else stop with MESSAGE.
wait_for() {
  for _ in $(seq "$2"); do
    curl -sf "$1" > /dev/null && return 0
    sleep "$3"
  done
  echo "error: $4" >&2
  exit 1
}

"$BIN/chroma" run --path "$WORK/chroma" --host 127.0.0.1 --port "$CHROMA_PORT" \
  > "$WORK/chroma.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$CHROMA_PORT/api/v2/heartbeat" 100 0.3 \
  "chroma run did not start: see $WORK/chroma.log"
echo "Chroma server on 127.0.0.1:$CHROMA_PORT (data in $WORK/chroma)"

config "$CORPUS" > "$WORK/ingest/config.yaml"
"$BIN/rag" --config "$WORK/ingest/config.yaml" ingest

for i in "${!PORTS[@]}"; do
  folder="$WORK/replica-$((i + 1))"
  mkdir -p "$folder"
  config > "$folder/config.yaml"
  (cd "$folder" && exec "$BIN/rag" --config config.yaml serve --port "${PORTS[$i]}") \
    > "$WORK/replica-$((i + 1)).log" 2>&1 &
  pids+=($!)
done
for port in "${PORTS[@]}"; do
  wait_for "http://127.0.0.1:$port/api/health" 300 0.5 \
    "the replica on port $port did not start: see $WORK/replica-*.log"
  echo "replica on http://127.0.0.1:$port/  (API: http://127.0.0.1:$port/api/docs)"
done
echo "ingest again with: $BIN/rag --config $WORK/ingest/config.yaml ingest"
echo "Ctrl-C stops the server and the replicas."
wait
