"""Fit the abstention model on the dev split: `python -m eval.calibrate [--config PATH]`.

For every dev question it gathers the evidence the assistant sees (rag/abstention.py), fits a
logistic regression per language (answerable = 1), and sets each threshold so that about 4% of
the answerable dev questions fall under it. Writes rag/abstention.json. Never looks at test.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rag.abstention import WEIGHTS_FILE, fit_logistic, gather  # noqa: E402
from rag.assistant import Assistant  # noqa: E402
from rag.evaluation import DEFAULT_DATASET, load_dataset  # noqa: E402

FALSE_ABSTAIN_TARGET = 0.04


def calibrate(assistant: Assistant, items: list[dict]) -> dict:
    """The abstention model fitted on `items` (dev questions), per language."""
    vocab = assistant.retriever.lexical.vocab
    out = {"fitted_on": "dev split of eval/dataset.jsonl", "false_abstain_target":
           FALSE_ABSTAIN_TARGET}
    gathered = []
    for item in items:
        retrieved = assistant.retriever.search(item["question"], 10)
        gathered.append((gather(item["question"], retrieved.hits, vocab), bool(item["keys"])))
    for lang, chinese in (("zh", True), ("en", False)):
        rows = [(ev, a) for ev, a in gathered if ev.chinese == chinese]
        x = np.array([ev.vector() for ev, _ in rows])
        y = np.array([float(a) for _, a in rows])
        w = fit_logistic(x, y)
        probs = sorted(1 / (1 + np.exp(-(ev.vector() @ w))) for ev, a in rows
                       if a and not ev.unknown_names)
        threshold = float(probs[int(FALSE_ABSTAIN_TARGET * len(probs))]) if probs else 0.5
        out[lang] = {"weights": [round(float(v), 4) for v in w], "threshold": round(threshold, 4),
                     "questions": len(rows), "answerable": int(y.sum())}
        print(f"{lang}: {len(rows)} questions, weights {out[lang]['weights']}, "
              f"threshold {out[lang]['threshold']}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=None)
    parser.add_argument("--dataset", default=str(DEFAULT_DATASET))
    args = parser.parse_args()
    assistant = Assistant.from_config(args.config)
    items = load_dataset(Path(args.dataset), "dev")
    out = calibrate(assistant, items)
    WEIGHTS_FILE.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
