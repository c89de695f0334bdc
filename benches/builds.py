#!/usr/bin/env python3
"""Two builds of thresh on the same corpora in one run: is this build slower than another?

A refactor must not cost speed, and these machines are shared and noisy, so the two builds run
alternately on the same inputs (best of R each) and only their ratio is printed.

usage:
  python3 benches/builds.py OTHER_BIN [--repeat 3]

OTHER_BIN is another build of thresh, for example one made in a worktree of an earlier commit:
  git worktree add /tmp/old HEAD~5 && CARGO_TARGET_DIR=/tmp/old-target cargo build --release \\
      --manifest-path /tmp/old/Cargo.toml && python3 benches/builds.py /tmp/old-target/release/thresh

Cases: `thresh clean` (every step, dedup on) of 150 MB of JSONL on 2 threads and on 1, written
to --out; `thresh dedup` and `thresh dedup --steps dedup` of the labelled dedup pages x32 (4,678
documents) on 1 thread; with `--only repair`, the seconds of the repair stage alone (from
summary.json) on the 853 real scraped pages of ../shared/dev-data (x4) or, without them, on the
JSONL corpus. A ratio above 1 means this build is faster.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
THIS = os.path.join(ROOT, "target", "release", "thresh")
sys.path.insert(0, HERE)
import compare  # noqa: E402  (the JSONL corpus of the threads benchmark)


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def race(name, builds, args, tmp, repeat, stage=None):
    """Best of `repeat` runs of each build, alternating; the whole run's seconds, or with `stage`
    the seconds that stage took (summary.json)."""
    best = {b: float("inf") for b in builds}
    for _ in range(repeat):
        for label, binary in builds.items():
            out, rep = os.path.join(tmp, "out"), os.path.join(tmp, "rep")
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(rep, ignore_errors=True)
            extra = ["--report", rep] + (["--out", out] if args[0] == "clean" else [])
            secs = timed([binary, *args, *extra, "-q"])
            if stage:
                secs = json.load(open(os.path.join(rep, "summary.json")))["stage_seconds"][stage]
            best[label] = min(best[label], secs)
    this, other = best["this"], best["other"]
    print(f"{name:58} this {this:7.3f} s  other {other:7.3f} s  other/this {other / this:5.2f}x", flush=True)


def real_pages(tmp, copies):
    """The dev pages' scraped text as JSON Lines, `copies` times over; None without dev-data."""
    pages = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages", "text")
    if not os.path.isdir(pages):
        return None
    path = os.path.join(tmp, "pages.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for copy in range(copies):
            for d, _, fs in sorted(os.walk(pages)):
                for name in sorted(fs):
                    text = open(os.path.join(d, name), encoding="utf-8", errors="replace").read()
                    f.write(json.dumps({"id": f"{copy}/{name}", "text": text}) + "\n")
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("other", help="another build of thresh")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=["clean", "dedup", "repair"], help="run one kind of case")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "thresh"], cwd=ROOT, check=True)
    builds = {"this": THIS, "other": os.path.abspath(args.other)}
    tmp = tempfile.mkdtemp()
    try:
        if args.only == "repair":
            corpus = real_pages(tmp, 4)
            if corpus is None:
                print("(../shared/dev-data is not here: the repair stage is timed on the JSONL corpus)")
                corpus = os.path.join(tmp, "jsonl")
                compare.make_jsonl_corpus(corpus, 50)
            race("repair stage, real pages x4, 1 thread", builds,
                 ["clean", corpus, "--steps", "normalize,repair", "-j", "1"], tmp, args.repeat, "repair")
            return
        jsonl = os.path.join(tmp, "jsonl")
        compare.make_jsonl_corpus(jsonl, 150)
        labelled = os.path.join(tmp, "labelled.jsonl")
        with open(labelled, "w") as f:
            subprocess.run([sys.executable, os.path.join(ROOT, "tests/fixtures/dedup/make_labelled.py"),
                            "--scale", "32"], stdout=f, check=True)
        if args.only != "dedup":
            race("clean, 150 MB of JSONL, 2 threads", builds, ["clean", jsonl, "-j", "2"], tmp, args.repeat)
            race("clean, 150 MB of JSONL, 1 thread", builds, ["clean", jsonl, "-j", "1"], tmp, args.repeat)
        if args.only == "clean":
            return
        race("dedup, labelled pages x32, 1 thread", builds, ["dedup", labelled, "-j", "1"], tmp, args.repeat)
        race("dedup --steps dedup, labelled pages x32, 1 thread", builds,
             ["dedup", labelled, "--steps", "dedup", "-j", "1"], tmp, args.repeat)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
