#!/usr/bin/env python3
"""The report page at scale: `thresh report` on a report folder of a million documents.

Makes a synthetic report folder (documents.jsonl, edits.jsonl, clusters.jsonl, passages.jsonl,
summary.json) of N documents (default 1,000,000) with E edits each (default 3), records shaped as
a run writes them, over 2,000 sites; then times `thresh report` on it (best of 3), with its peak
memory, and reports the page's size. Optionally (--browser) times headless Chromium loading the
page to its DOM.

    python3 benches/report_scale.py [--docs N] [--edits E] [--browser] [--keep DIR]

Needs a release build (cargo build --release). Nothing here reads ../shared.
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESH = os.path.join(ROOT, "target", "release", "thresh")
RULES = [
    ("normalize", "odd_spaces"),
    ("normalize", "hard_wrap"),
    ("boilerplate", "repeated_line"),
    ("boilerplate", "block_model"),
    ("boilerplate", "phrase"),
    ("repair", "glued_words"),
    ("machine-text", "closer"),
]


def make_report(folder, docs, edits_per_doc):
    rng = random.Random(7)
    counts = {}
    with open(os.path.join(folder, "documents.jsonl"), "w") as d, open(
        os.path.join(folder, "edits.jsonl"), "w"
    ) as e:
        for i in range(docs):
            site = f"site{i % 2000}.example.org"
            doc = f"{site}/page-{i}.html"
            bytes_in = rng.randint(500, 20000)
            bytes_out = int(bytes_in * rng.random())
            record = {
                "id": doc,
                "source": doc,
                "status": "kept" if i % 10 else "duplicate",
                "flags": [],
                "scores": {
                    "spin": round(rng.expovariate(0.3), 2),
                    "boilerplate": round(rng.random(), 3),
                    "machine_text": 0.0 if i % 50 else 0.1,
                },
                "bytes_in": bytes_in,
                "bytes_out": bytes_out if i % 10 else 0,
                "cluster": None,
                "language": "en",
            }
            d.write(json.dumps(record) + "\n")
            for k in range(edits_per_doc):
                stage, rule = RULES[(i + k) % len(RULES)]
                counts.setdefault(stage, {}).setdefault(rule, 0)
                counts[stage][rule] += 1
                edit = {
                    "doc": doc,
                    "stage": stage,
                    "rule": rule,
                    "before": f"Share this story with your friends {k}",
                    "after": "",
                    "line": k + 1,
                }
                e.write(json.dumps(edit) + "\n")
    with open(os.path.join(folder, "clusters.jsonl"), "w") as c:
        for n in range(docs // 10):
            members = [
                {"doc": f"m{n}-{j}", "similarity": 0.9, "containment": 0.95,
                 "measure": "jaccard", "duplicate": True}
                for j in range(1 + n % 5)
            ]
            c.write(json.dumps({"id": f"d{n + 1}", "kept": f"k{n}", "size": len(members) + 1,
                                "reason": "most complete cleaned text", "members": members}) + "\n")
    open(os.path.join(folder, "passages.jsonl"), "w").close()
    summary = {
        "version": "0.1.0", "command": "clean", "inputs": ["synthetic"],
        "steps": ["normalize", "boilerplate", "machine-text", "repair", "spin", "dedup"],
        "counts": {"documents": docs, "written": docs - docs // 10,
                   "by_status": {"kept": docs - docs // 10, "duplicate": docs // 10}},
        "edits": docs * edits_per_doc, "rules": counts, "stage_seconds": {}, "wall_seconds": 0,
        "bytes_in": 0, "bytes_out": 0,
    }
    with open(os.path.join(folder, "summary.json"), "w") as s:
        json.dump(summary, s)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--browser", action="store_true")
    ap.add_argument("--keep", help="make the report folder here and keep it")
    args = ap.parse_args()
    if not os.path.exists(THRESH):
        sys.exit("build first: cargo build --release")
    folder = args.keep or tempfile.mkdtemp(prefix="thresh-report-scale-")
    os.makedirs(folder, exist_ok=True)
    started = time.time()
    make_report(folder, args.docs, args.edits)
    sizes = {f: os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder)}
    print(f"report of {args.docs:,} documents made in {time.time() - started:.0f} s: "
          + ", ".join(f"{f} {n / 1e6:.0f} MB" for f, n in sorted(sizes.items())))
    best = None
    for _ in range(3):
        t = time.time()
        subprocess.run([THRESH, "report", folder, "-q"], check=True)
        took = time.time() - t
        best = took if best is None else min(best, took)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    page = os.path.getsize(os.path.join(folder, "index.html"))
    edits_mb = sizes["edits.jsonl"] / 1e6
    print(f"thresh report: {best:.2f} s (best of 3; {edits_mb / best:.0f} MB/s of edits.jsonl), "
          f"peak memory {peak:.0f} MiB, page {page / 1e6:.2f} MB")
    if args.browser:
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with tempfile.TemporaryDirectory() as profile:
            t = time.time()
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-background-networking", "--no-first-run",
                            f"--user-data-dir={profile}", "--dump-dom",
                            "file://" + os.path.join(folder, "index.html")],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"chromium loaded the page to its DOM in {time.time() - t:.2f} s "
                  "(browser start included)")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
