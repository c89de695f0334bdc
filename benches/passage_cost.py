#!/usr/bin/env python3
"""What finding shared passages costs beside document dedup, in the same runs (issue 23).

usage:
  python3 benches/passage_cost.py [--repeat 5] [--thresh BIN]

For each corpus, `thresh dedup --steps dedup -j 1` runs with `--passages report` and with
`--passages off`, alternately, best of R each. From `summary.json` of the report runs:
- document dedup: `stage_seconds.dedup` (fingerprinting: words, signature, exact sets, and the
  winnowed grams of the span finder, which cannot be timed apart) plus `dedup-cluster`;
- passages: `dedup-passages` (candidate pairs from the grams, verification on the texts read
  back, clusters, the places of every occurrence).
The goal is passages / document dedup <= 1. The wall-clock ratio off / report says what the whole
run pays, reading and writing included; peak memory (max RSS) of both is printed too.

Corpora: the labelled dedup pages x8 and x32 (tests/fixtures/dedup/make_labelled.py), and the
gold text of the 853 dev pages (../shared/dev-data, skipped when missing) with 300 planted copies
(benches/eval_passages.py's set).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
THRESH = os.path.join(ROOT, "target", "release", "thresh")


def run(thresh, corpus, mode, tmp):
    rep = os.path.join(tmp, f"rep-{mode}")
    shutil.rmtree(rep, ignore_errors=True)
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.Popen([thresh, "dedup", corpus, "--report", rep, "-q", "-j", "1",
                             "--steps", "dedup", "--passages", mode])
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"thresh failed on {corpus}")
    wall = time.perf_counter() - start
    summary = json.load(open(os.path.join(rep, "summary.json")))
    return wall, usage.ru_maxrss / 1024, summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--thresh", default=THRESH)
    args = ap.parse_args()
    if not os.path.exists(args.thresh):
        sys.exit("build thresh first: cargo build --release")
    tmp = tempfile.mkdtemp()
    try:
        corpora = []
        for scale in (8, 32):
            path = os.path.join(tmp, f"labelled-x{scale}.jsonl")
            with open(path, "w") as f:
                subprocess.run([sys.executable, os.path.join(ROOT, "tests/fixtures/dedup/make_labelled.py"),
                                "--scale", str(scale), "--seed", "1"], stdout=f, check=True)
            corpora.append((f"labelled pages x{scale}", path))
        planted = os.path.join(tmp, "planted")
        done = subprocess.run([sys.executable, os.path.join(HERE, "eval_passages.py"), "--keep", planted,
                               "--thresh", args.thresh], capture_output=True, text=True)
        if done.returncode == 0 and os.path.exists(os.path.join(planted, "corpus.jsonl")):
            corpora.append(("853 dev pages + 300 planted copies", os.path.join(planted, "corpus.jsonl")))
        else:
            print("../shared/dev-data is missing: the dev pages are left out")
        for name, corpus in corpora:
            best = {}
            for _ in range(args.repeat):
                for mode in ("report", "off"):
                    wall, rss, summary = run(args.thresh, corpus, mode, tmp)
                    s = summary["stage_seconds"]
                    docs = s.get("dedup", 0) + s.get("dedup-cluster", 0)
                    passages = s.get("dedup-passages", 0)
                    b = best.setdefault(mode, {"wall": wall, "rss": rss, "docs": docs, "passages": passages})
                    b["wall"] = min(b["wall"], wall)
                    b["rss"] = max(b["rss"], rss)
                    b["docs"] = min(b["docs"], docs)
                    b["passages"] = min(b["passages"], passages) if passages else b["passages"]
            r, o = best["report"], best["off"]
            print(f"{name:40} document dedup {r['docs']:.3f} s  passages {r['passages']:.3f} s  "
                  f"passages/documents {r['passages'] / r['docs']:.2f}x  "
                  f"whole run off/report {o['wall'] / r['wall']:.2f}x  "
                  f"peak RSS report {r['rss']:.0f} MiB, off {o['rss']:.0f} MiB", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
