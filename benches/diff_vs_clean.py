#!/usr/bin/env python3
"""thresh diff OLD NEW against two cleans (OLD and NEW, --dry-run with a report), in one run,
single thread, best of R: the issue's goal is that a diff costs about what two cleans cost.

Usage: python3 benches/diff_vs_clean.py [--scale N] [--repeat R]   (needs cargo build --release)
"""
import argparse, os, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--scale", type=int, default=16)
ap.add_argument("--repeat", type=int, default=3)
args = ap.parse_args()
thresh = os.path.join(root, "target/release/thresh")

def best(cmd):
    t_best = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
        t_best = min(t_best, time.perf_counter() - t)
    return t_best

with tempfile.TemporaryDirectory() as tmp:
    sides = []
    for seed in (1, 2):
        path = os.path.join(tmp, f"v{seed}.jsonl")
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(root, "tests/fixtures/dedup/make_labelled.py"), "--scale", str(args.scale), "--seed", str(seed)], stdout=f, check=True)
        sides.append(path)
    mb = sum(os.path.getsize(p) for p in sides) / 1e6
    diff = best([thresh, "diff", sides[0], sides[1], "-q", "-j", "1"])
    cleans = sum(best([thresh, "clean", p, "--dry-run", "--skip", "dedup", "--report", os.path.join(tmp, "r"), "-q", "-j", "1"]) for p in sides)
    print(f"{mb:.1f} MB in two versions: diff / (clean OLD + clean NEW) = {diff / cleans:.2f}")
