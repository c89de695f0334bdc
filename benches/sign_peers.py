#!/usr/bin/env python3
"""`thresh sign` beside rensa's signature pipeline, one core each, on the same JSON Lines file
(issue 24: at least 3x rensa's documents per second per core).

rensa's pipeline reads the JSONL file, splits each text into lowercase words, takes its word
3-grams, makes an RMinHash of 128 permutations and inserts it into an RMinHashLSH: what a user
writes to sign a corpus with it (no exact sets, no cleaning). `thresh sign --steps dedup -j 1`
reads the same file, fingerprints each document (words, template lines per site, MinHash, LSH
band hashes, exact sets for verification) and writes the Parquet file. Both are timed from the
file on disk to their signatures, best of R runs.

usage: python3 benches/sign_peers.py [--scale 32] [--repeat 3] [--thresh BIN]
Needs: pip install rensa; a release build.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORD = re.compile(r"\w+")


def rensa_sign(path):
    from rensa import RMinHash, RMinHashLSH
    lsh = RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
    n = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = WORD.findall(json.loads(line)["text"].lower())
            m = RMinHash(num_perm=128, seed=42)
            m.update([" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))])
            lsh.insert(n, m)
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--thresh", default=os.path.join(ROOT, "target", "release", "thresh"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    try:
        corpus = os.path.join(tmp, "corpus.jsonl")
        with open(corpus, "w") as f:
            subprocess.run([sys.executable, os.path.join(ROOT, "tests/fixtures/dedup/make_labelled.py"),
                            "--scale", str(args.scale), "--seed", "1"], stdout=f, check=True)
        docs = sum(1 for _ in open(corpus))
        best = {"thresh sign --steps dedup": float("inf"), "thresh sign (default steps)": float("inf"),
                "rensa": float("inf")}
        for _ in range(args.repeat):
            for name, steps in (("thresh sign --steps dedup", ["--steps", "dedup"]), ("thresh sign (default steps)", [])):
                out = os.path.join(tmp, "sigs")
                shutil.rmtree(out, ignore_errors=True)
                start = time.perf_counter()
                subprocess.run([args.thresh, "sign", corpus, "--out", out, "-q", "-j", "1", *steps], check=True)
                best[name] = min(best[name], time.perf_counter() - start)
            start = time.perf_counter()
            rensa_sign(corpus)
            best["rensa"] = min(best["rensa"], time.perf_counter() - start)
        for name, secs in best.items():
            print(f"{name:30} {docs / secs:9.0f} docs/s   {best['rensa'] / secs:5.2f}x rensa")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
