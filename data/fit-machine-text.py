#!/usr/bin/env python3
"""Fit the machine-text stage's sentence model (data/machine-text-model.tsv).

    cargo build --release --example machine_text_features
    python3 data/fit-machine-text.py [--write]

Positives: the sentences of data/machine-text/real.jsonl (real chatbot leftovers found in public
text, each record with its source) that hold a leftover of the families the model judges
(talk to the requester, knowledge and access disclaimers, placeholders, refusals); every other
sentence of those records is a negative. Negatives: every sentence of the gold main text of
../shared/dev-data/web-pages (real pages: news, how-to, forums, many in the second person).

Both are split in two by a hash of the record's source or the page's name: the model is fit and
its threshold chosen on the "tune" half only, so that at most one tune gold sentence in 10,000
scores above it; the "check" half is reported as it falls. Features come from the Rust code
itself (examples/machine_text_features.rs), so the script and the stage cannot disagree.

Needs scikit-learn and numpy. Without --write it only reports.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REAL = os.path.join(HERE, "machine-text", "real.jsonl")
GOLD = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages", "gold")
FEATURES = os.path.join(ROOT, "target", "release", "examples", "machine_text_features")
MODEL = os.path.join(HERE, "machine-text-model.tsv")
JUDGED = {"requester", "disclaimer", "placeholder", "refusal"}
MAX_FALSE_PER = 10_000


def half(key):
    return "tune" if hashlib.md5(key.encode()).digest()[0] % 2 == 0 else "check"


def sentence_features(records):
    """(names, rows): one row (record id, line, start, end, features) per sentence."""
    if not os.path.exists(FEATURES):
        sys.exit(f"build the feature extractor first: cargo build --release --example machine_text_features")
    stdin = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in records)
    out = subprocess.run([FEATURES], input=stdin, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    names = json.loads(lines[0])["feature_names"]
    return names, [json.loads(l) for l in lines[1:]]


def leftover_spans(text, leftovers):
    """(line, start, end) byte spans of each leftover in the text's lines."""
    spans = []
    lines = text.split("\n")
    for lo in leftovers:
        for n, line in enumerate(lines):
            at = line.find(lo)
            if at >= 0:
                b = len(line[:at].encode())
                spans.append((n, b, b + len(lo.encode())))
                break
            # A leftover over several lines: its first line is enough to mark the sentence.
            first = lo.split("\n")[0]
            if first and "\n" in lo and line.find(first) >= 0:
                b = len(line[: line.find(first)].encode())
                spans.append((n, b, b + len(first.encode())))
                break
    return spans


def load():
    real = [json.loads(l) for l in open(REAL, encoding="utf-8")] if os.path.exists(REAL) else []
    if not os.path.isdir(GOLD):
        sys.exit(f"{GOLD} is missing: the negatives are the dev pages' gold text (../shared/dev-data)")
    gold = []
    for dirpath, _, files in os.walk(GOLD):
        for f in sorted(files):
            if f.endswith(".txt"):
                p = os.path.join(dirpath, f)
                gold.append((os.path.relpath(p, GOLD), open(p, encoding="utf-8").read()))
    records = [(f"real:{i}", r["text"]) for i, r in enumerate(real)] + [(f"gold:{n}", t) for n, t in gold]
    names, rows = sentence_features(records)
    marks = {}
    for i, r in enumerate(real):
        if r["family"] in JUDGED:
            marks[f"real:{i}"] = leftover_spans(r["text"], r["leftovers"])
    data = []
    for row in rows:
        rid = row["id"]
        if rid.startswith("real:"):
            r = real[int(rid[5:])]
            key = r["source"]
            label = any(
                ln == row["line"] and s < row["end"] and row["start"] < e for ln, s, e in marks.get(rid, [])
            )
            kind = "real"
        else:
            key = rid[5:]
            label = False
            kind = "gold"
        data.append((kind, half(key), label, row["features"], rid, row))
    return names, data, dict(records)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="write data/machine-text-model.tsv")
    ap.add_argument("--c", type=float, default=0.3, help="inverse regularization strength")
    args = ap.parse_args()
    names, data, texts = load()
    tune = [d for d in data if d[1] == "tune"]
    X = np.array([d[3] for d in tune])
    y = np.array([d[2] for d in tune])
    if y.sum() == 0:
        sys.exit("no positive sentences in the tune half")
    model = LogisticRegression(C=args.c, class_weight="balanced", max_iter=5000)
    model.fit(X, y)
    w, b = model.coef_[0], model.intercept_[0]

    def scores(rows):
        return np.array([np.dot(w, r[3]) + b for r in rows])

    gold_tune = [d for d in tune if d[0] == "gold"]
    g = np.sort(scores(gold_tune))[::-1]
    allowed = len(gold_tune) // MAX_FALSE_PER
    threshold = float(g[allowed]) + 1e-3 if len(g) > allowed else float(g[-1])
    report = {}
    for part in ("tune", "check"):
        rows = [d for d in data if d[1] == part]
        s = scores(rows)
        pos = [i for i, d in enumerate(rows) if d[2]]
        neg_gold = [i for i, d in enumerate(rows) if d[0] == "gold"]
        neg_real = [i for i, d in enumerate(rows) if d[0] == "real" and not d[2]]
        report[part] = {
            "positive_sentences": len(pos),
            "recall": round(float(np.mean(s[pos] >= threshold)), 3) if pos else None,
            "gold_sentences": len(neg_gold),
            "gold_false": int(np.sum(s[neg_gold] >= threshold)),
            "real_context_sentences": len(neg_real),
            "real_context_false": int(np.sum(s[neg_real] >= threshold)),
        }
    print(json.dumps({"threshold": round(threshold, 3), **report}, indent=1))
    for n, wt in sorted(zip(names, w), key=lambda x: -abs(x[1])):
        print(f"  {n:18} {wt:+.3f}")
    # The false removals of the check half's gold text, to read.
    rows = [d for d in data if d[1] == "check"]
    s = scores(rows)
    for i in np.argsort(-s)[:8]:
        d = rows[i]
        line = texts[d[4]].split("\n")[d[5]["line"]].encode()
        print(f"  {s[i]:+.2f} {'POS' if d[2] else d[0]:4} {line[d[5]['start']:d[5]['end']].decode(errors='replace')[:140]!r}")
    if args.write:
        with open(MODEL, "w") as f:
            f.write("# The machine-text stage's sentence model: a logistic regression over the features of\n")
            f.write("# src/stages/machine_text/requester.rs, fit by data/fit-machine-text.py on\n")
            f.write("# data/machine-text/real.jsonl (positives) and the dev pages' gold text (negatives),\n")
            f.write(f"# tune half only; threshold: at most 1 tune gold sentence in {MAX_FALSE_PER:,} above it.\n")
            for n, wt in zip(names, w):
                f.write(f"{n}\t{wt:.4f}\n")
            f.write(f"intercept\t{b:.4f}\nthreshold\t{threshold:.4f}\n")
        print(f"wrote {MODEL}")


if __name__ == "__main__":
    main()
