#!/usr/bin/env python3
"""Boilerplate removal on real web pages: `thresh clean` of the 853 scraped pages of
../shared/dev-data/web-pages/text, scored against their gold main text, beside the peers.

usage:
  python3 benches/eval_boilerplate.py [--from-html] [--steps STEPS] [--sample N] [--seed S] [--thresh BIN]

The pages are split in two halves by site (a stable hash of the site's name, so no site is in
both): `tune` is the half to develop rules on, `check` the half to confirm them on before
reporting. Both are printed, per set and for all pages, with precision, recall and F1 computed
exactly as the set's own `score.py` computes them (bag of words, macro-averaged over the pages of
a set), beside keep-all (the scraped text itself), jusText and trafilatura (given the HTML).

--from-html  clean the pages' HTML (../shared/dev-data/web-pages/html) instead of the scraped
          text, as `score.py --from-html` scores it
--steps   the steps to run (default: every step but dedup, as the project's stop check does)
--sample  print N random boilerplate removals (rule and text) from the tune half, to read by hand
--thresh  another build of thresh

The dev data is not part of the project: without ../shared/dev-data this says so and exits 0.
"""
import argparse
import collections
import hashlib
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.normpath(os.path.join(ROOT, "..", "shared", "dev-data", "web-pages"))
PEERS = ("keep-all", "jusText-on-HTML", "trafilatura-on-HTML")


def half(site):
    """`tune` or `check`, by a hash of the site: stable across runs and machines."""
    return "tune" if hashlib.sha1(site.encode()).digest()[0] % 2 == 0 else "check"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from-html", action="store_true")
    ap.add_argument("--steps", default="normalize,boilerplate,machine-text,repair,spin")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--thresh", default=os.path.join(ROOT, "target", "release", "thresh"))
    args = ap.parse_args()
    if not os.path.exists(os.path.join(DEV, "score.py")):
        print(f"no dev data at {DEV}: nothing to evaluate (it is not part of the project)")
        return 0
    # The set's own metric, so the figures are the ones `score.py` prints.
    spec = importlib.util.spec_from_file_location("score", os.path.join(DEV, "score.py"))
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    if args.thresh == os.path.join(ROOT, "target", "release", "thresh"):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "thresh"], cwd=ROOT, check=True)
    tmp = tempfile.mkdtemp()
    try:
        out, rep = os.path.join(tmp, "out"), os.path.join(tmp, "rep")
        kind = "html" if args.from_html else "text"
        subprocess.run([args.thresh, "clean", os.path.join(DEV, kind), "--out", out, "--report", rep,
                        "--steps", args.steps, "-q"], check=True)
        pages = [json.loads(line) for line in open(os.path.join(DEV, "pages.jsonl"))]
        rows = collections.defaultdict(list)
        for p in pages:
            rel = p[kind][len(kind) + 1:]
            if args.from_html:
                rel = rel[:-len(".html")] + ".txt"
            text = score.read(os.path.join(out, rel))
            gold = score.toks(score.read(os.path.join(DEV, p["gold"])))
            mine = score.prf(score.toks(text), gold)
            for group in ((half(p["site"]), p["set"]), (half(p["site"]), "all"), ("both", "all")):
                rows[group].append((mine, [p["peers"][k] for k in PEERS]))
        print(f"{'half':6} {'set':16} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6}   "
              f"{'keep-all':>8} {'jusText':>8} {'trafilat.':>9}  (peers' F1)")
        for (part, name), values in sorted(rows.items(), key=lambda kv: (kv[0][0] != "tune", kv[0][0], kv[0][1] == "all", kv[0][1])):
            p, r, f = (statistics.mean(v[0][i] for v in values) for i in range(3))
            peers = [statistics.mean(v[1][k][2] for v in values) for k in range(len(PEERS))]
            print(f"{part:6} {name:16} {len(values):5} {p:6.3f} {r:6.3f} {f:6.3f}   "
                  + " ".join(f"{x:8.3f}" for x in peers[:2]) + f" {peers[2]:9.3f}")
        edits = [json.loads(line) for line in open(os.path.join(rep, "edits.jsonl"))]
        # `blank_lines` only tidies the gaps that removals leave.
        removals = [e for e in edits if e["stage"] == "boilerplate" and e["rule"] != "blank_lines"]
        rules = collections.Counter(e["rule"] for e in removals)
        print("\nboilerplate removals by rule:", ", ".join(f"{r} {n}" for r, n in rules.most_common()))
        if args.sample:
            site_of = {p[kind][len(kind) + 1:]: p["site"] for p in pages}
            tune = [e for e in removals if half(site_of.get(e["doc"], "")) == "tune"]
            picked = random.Random(args.seed).sample(tune, min(args.sample, len(tune)))
            print(f"\n{len(picked)} random removals from the tune half (seed {args.seed}):")
            for e in picked:
                print(f"- [{e['rule']}] {e['doc']}:{e['line']}: {e['before'][:160]!r}")
    finally:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
