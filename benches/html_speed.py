#!/usr/bin/env python3
"""Speed of reading HTML pages into clean text: thresh beside trafilatura, in one run, one core
each, on the same pages.

usage:
  python3 benches/html_speed.py [--pages DIR] [--repeat N] [--thresh BIN]

Pages: ../shared/dev-data/web-pages/html (853 real pages) when it is there; else --pages DIR (any
folder of .html files). Without either this says so and exits 0.

thresh: `thresh clean DIR --threads 1 --skip dedup` (parse, extract, every stage but dedup, write
the text and the report), timed as a process. trafilatura: `trafilatura.extract(html)` of every
page in this process, the files read first (its fairest figure: no process start, no writing).
Each is run --repeat times and the best time is kept; the figure is the ratio of pages per second
per core. Needs `pip install trafilatura`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.normpath(os.path.join(ROOT, "..", "shared", "dev-data", "web-pages", "html"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", default=DEV)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--thresh", default=os.path.join(ROOT, "target", "release", "thresh"))
    args = ap.parse_args()
    if not os.path.isdir(args.pages):
        print(f"no pages at {args.pages}: nothing to measure")
        return 0
    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed (pip install trafilatura): nothing to compare with")
        return 0
    if args.thresh == os.path.join(ROOT, "target", "release", "thresh"):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "thresh"], cwd=ROOT, check=True)
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.pages) for f in fs if f.endswith((".html", ".htm")))
    pages = [open(p, "rb").read() for p in paths]
    tmp = tempfile.mkdtemp()
    try:
        best_thresh = float("inf")
        for i in range(args.repeat):
            out = os.path.join(tmp, f"out{i}")
            rep = os.path.join(tmp, f"rep{i}")
            start = time.perf_counter()
            subprocess.run([args.thresh, "clean", args.pages, "--out", out, "--report", rep, "--threads", "1",
                            "--skip", "dedup", "-q"], check=True)
            best_thresh = min(best_thresh, time.perf_counter() - start)
        best_traf = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for html in pages:
                trafilatura.extract(html)
            best_traf = min(best_traf, time.perf_counter() - start)
    finally:
        shutil.rmtree(tmp)
    n = len(pages)
    print(f"{n} pages, {sum(map(len, pages)) / 1e6:.1f} MB, one core each, best of {args.repeat}")
    print(f"  thresh clean (every stage but dedup): {n / best_thresh:8.1f} pages/s")
    print(f"  trafilatura.extract:                  {n / best_traf:8.1f} pages/s")
    print(f"  thresh / trafilatura: {best_traf / best_thresh:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
