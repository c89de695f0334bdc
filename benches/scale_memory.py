#!/usr/bin/env python3
"""Memory of dedup's state per document at a million documents (issue 24: at most 300 bytes
beyond the spools).

usage: python3 benches/scale_memory.py [--thresh BIN] [--docs 1000000]

Generates two corpora of short documents (30 to 60 random words from a vocabulary of 20,000: no
two alike), of half (--from) and all of --docs, and runs on each, one after the other:
`thresh dedup --steps dedup --passages off`, `thresh sign --steps dedup` and `thresh cluster` of
the signatures. The figure is the peak RSS's growth per document from the small corpus to the
large one: what each further document costs, the fixed part (the program, and the spools'
memory budgets of 64 MiB each, full well before half a million documents) left out. (From a
tenth, the growth also counts the spools filling their budgets.)
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def generate(path, n):
    rng = random.Random(7)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(20000)]
    with open(path, "w") as f:
        for i in range(n):
            words = rng.choices(vocab, k=rng.randint(30, 60))
            f.write(json.dumps({"id": f"d{i}", "text": " ".join(words) + "."}) + "\n")


def peak_kib(cmd):
    pid = subprocess.Popen(cmd).pid
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--thresh", default=os.path.join(ROOT, "target", "release", "thresh"))
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--from", dest="small", type=float, default=0.5,
                    help="the small corpus, as a share of --docs")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    try:
        sizes = (int(args.docs * args.small), args.docs)
        peaks = {}
        for n in sizes:
            corpus = os.path.join(tmp, f"c{n}.jsonl")
            generate(corpus, n)
            t = args.thresh
            peaks[("thresh dedup --steps dedup", n)] = peak_kib(
                [t, "dedup", corpus, "--report", os.path.join(tmp, f"rep{n}"), "-q", "--steps", "dedup",
                 "--passages", "off"])
            sigs = os.path.join(tmp, f"sig{n}")
            peaks[("thresh sign --steps dedup", n)] = peak_kib(
                [t, "sign", corpus, "--out", sigs, "-q", "--steps", "dedup"])
            peaks[("thresh cluster", n)] = peak_kib(
                [t, "cluster", sigs, "--out", os.path.join(tmp, f"clusters{n}.jsonl"), "-q"])
            os.remove(corpus)
        small, large = sizes
        for name in ("thresh dedup --steps dedup", "thresh sign --steps dedup", "thresh cluster"):
            a, b = peaks[(name, small)], peaks[(name, large)]
            per_doc = (b - a) * 1024 / (large - small)
            print(f"{name:28} peak {a / 1024:6.0f} MiB at {small:,} docs, {b / 1024:6.0f} MiB at {large:,}: "
                  f"{per_doc:5.0f} bytes per further document")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
