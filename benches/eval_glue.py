#!/usr/bin/env python3
"""Glued words on real prose nobody on the project wrote: the gold main text of the dev pages
(../shared/dev-data/web-pages/gold).

    cargo build --release && python3 benches/eval_glue.py [--pairs 2000] [--seed 20]

1. Recovery: paragraphs of real English prose (20 words or more) each get one pair of neighbouring
   words glued: 60% two words (either case), 20% a Capitalised first word, 20% across punctuation
   (`management,utilization`, `including:Claim`; real text has them too: the gold's own are left
   as they are). A pair is recovered when thresh (`--steps
   normalize,repair`) makes the same text of the glued paragraph as of the paragraph itself.
2. False splits: every `glued_words` edit thresh makes on the same paragraphs untouched, per 1,000
   tokens; and on all 853 pages as they are (every language), per 10,000 tokens.
3. Real PDF text (../shared/dev-data/glued-pdf: 500 paragraphs of ACL papers as the extractor left
   them, and corrected by hand): the missing spaces thresh puts back, and the spaces it puts where the
   corrected text has none, per 1,000 tokens; first 250 lines "tune", the rest "check".
Paragraphs are split into two halves by a hash of their page's name ("tune" and "check").

With `pip install wordsegment`, the peer run the gated way: only tokens not in its word list are
segmented, and only when they are letters.
"""
import argparse
import glob
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import thresh_jsonl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESH = os.path.join(ROOT, "target", "release", "thresh")
DEV = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages")
STOP = set("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there".split())


def english(words):
    """Most of the short common words are English: a cheap gate for choosing paragraphs."""
    w = [x.lower().strip(".,;:!?\"'()") for x in words]
    return sum(x in STOP for x in w) >= 0.2 * len(w)


def paragraphs():
    out = []
    for path in sorted(glob.glob(os.path.join(DEV, "gold", "*", "*.txt"))):
        name = os.path.relpath(path, DEV)
        half = "tune" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "check"
        for line in open(path, encoding="utf-8", errors="replace"):
            words = line.split()
            if len(words) >= 20 and english(words):
                out.append((half, line.strip()))
    return out


def glue(par, kind, rng):
    """The paragraph with one pair glued, or None when it has no pair of that kind."""
    words = par.split(" ")
    spots = []
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        if not re.fullmatch(r"[A-Za-z]{2,}[,:;.]?", a) or not re.fullmatch(r"[A-Za-z]{2,}", b):
            continue
        punct = a[-1] in ",:;."
        if kind == "punct" and punct and not (a[-1] == "." and len(a) <= 3):
            spots.append(i)
        elif kind == "capital" and not punct and a[0].isupper() and a[1:].islower() and b.islower():
            spots.append(i)
        elif kind == "plain" and not punct and a.islower() and b.islower():
            spots.append(i)
    if not spots:
        return None
    i = rng.choice(spots)
    return " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2:])


def run_thresh(texts):
    return thresh_jsonl.run(texts, "normalize,repair", {"glued_words", "space_after_punct"})


def pages_as_they_are():
    """glued_words edits on the 853 scraped pages as they are, per 10,000 tokens."""
    with tempfile.TemporaryDirectory() as tmp:
        out, rep = os.path.join(tmp, "out"), os.path.join(tmp, "rep")
        subprocess.run([THRESH, "clean", os.path.join(DEV, "text"), "--out", out, "--report", rep,
                        "--steps", "normalize,repair", "-q"], check=True)
        tokens = 0
        for d, _, fs in os.walk(out):
            for f in fs:
                tokens += len(open(os.path.join(d, f), encoding="utf-8").read().split())
        edits = [json.loads(l) for l in open(os.path.join(rep, "edits.jsonl"), encoding="utf-8")]
        splits = [e for e in edits if e["rule"] == "glued_words"]
        spaces = [e for e in edits if e["rule"] == "space_after_punct"]
        return tokens, splits, spaces


def space_positions(text):
    """Where the spaces are, counted in non-space characters: a space after the k-th one is k."""
    out, k = set(), 0
    for c in text:
        if c.isspace():
            out.add(k)
        else:
            k += 1
    return out, k


def pdf_text(fix):
    pdf = os.path.join(DEV, "..", "glued-pdf")
    corrupt = open(os.path.join(pdf, "ACL_development_corrupt.txt"), encoding="utf-8").read().split("\n")[:500]
    correct = open(os.path.join(pdf, "ACL_development_correct.txt"), encoding="utf-8").read().split("\n")[:500]
    outs, _ = thresh_jsonl.run(corrupt, "repair", {"glued_words"})
    pdf_scores("thresh", corrupt, correct, outs)
    if fix:
        pdf_scores("wordsegment (gated)", corrupt, correct, [fix(c) for c in corrupt])


def pdf_scores(who, corrupt, correct, outs):
    print(f" {who}:")
    for name, lines in (("tune", range(0, 250)), ("check", range(250, 500)), ("both", range(0, 500))):
        missing = recovered = wrong = tokens = skipped = 0
        for i in lines:
            gold, n_gold = space_positions(correct[i])
            given, n_given = space_positions(corrupt[i])
            got, n_got = space_positions(outs[i])
            if not (n_gold == n_given == n_got):
                skipped += 1  # other characters changed: positions no longer line up
                continue
            tokens += len(correct[i].split())
            need = gold - given
            missing += len(need)
            recovered += len(need & got)
            wrong += len(got - given - gold)
        print(f"  {name:6} missing spaces put back {recovered}/{missing} = {recovered / max(missing, 1):.3f}; "
              f"wrong spaces {wrong} = {1000 * wrong / max(tokens, 1):.2f} per 1,000 tokens"
              f" ({skipped} lines left out: other characters changed)")


def peer(texts):
    try:
        import wordsegment
    except ImportError:
        return None
    wordsegment.load()
    words = wordsegment.UNIGRAMS

    def fix(text):
        out = []
        for tok in text.split(" "):
            m = re.fullmatch(r"([^A-Za-z]*)([A-Za-z]+)([^A-Za-z]*)", tok)
            if m and len(m.group(2)) >= 5 and m.group(2).lower() not in words:
                core = m.group(2)
                parts = wordsegment.segment(core)
                if len(parts) > 1:
                    at, pieces = 0, []
                    for p in parts:  # keep the token's own letters and case
                        pieces.append(core[at:at + len(p)])
                        at += len(p)
                    tok = m.group(1) + " ".join(pieces) + m.group(3)
            out.append(tok)
        return " ".join(out)

    return fix


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20)
    args = ap.parse_args()
    if not os.path.isdir(DEV):
        sys.exit("../shared/dev-data is not here: nothing to measure")
    if not os.path.exists(THRESH):
        sys.exit("build first: cargo build --release")
    rng = random.Random(args.seed)
    pars = paragraphs()
    rng.shuffle(pars)
    plan = {"plain": int(args.pairs * 0.6), "capital": int(args.pairs * 0.2), "punct": int(args.pairs * 0.2)}
    cases = []  # (half, kind, clean, glued)
    pool = iter(pars)
    for kind, n in plan.items():
        got = 0
        while got < n:
            try:
                half, p = next(pool)
            except StopIteration:
                break
            g = glue(p, kind, rng)
            if g:
                cases.append((half, kind, p, g))
                got += 1
    clean = [c[2] for c in cases]
    glued = [c[3] for c in cases]
    outs, splits = run_thresh(clean + glued)
    n = len(cases)
    fix = peer(clean + glued)
    print(f"{n} real English paragraphs from the dev pages' gold text, one pair glued in each")
    print(f"{'half':6} {'kind':8} {'pairs':>6} {'thresh':>8} {'wordsegment':>12}")
    for half in ("tune", "check", "both"):
        for kind in ("plain", "capital", "punct", "all"):
            idx = [i for i, c in enumerate(cases) if (half == "both" or c[0] == half) and (kind == "all" or c[1] == kind)]
            if not idx:
                continue
            ok = sum(outs[n + i] == outs[i] for i in idx)
            row = f"{half:6} {kind:8} {len(idx):6} {ok / len(idx):8.3f}"
            if fix:
                pok = sum(fix(glued[i]) == fix(clean[i]) for i in idx)
                row += f" {pok / len(idx):12.3f}"
            print(row)
    tokens = sum(len(c.split()) for c in clean)
    false = sum(len(splits.get(i, [])) for i in range(n))
    print(f"false splits (glued_words and space_after_punct) on the same paragraphs untouched: {false} in {tokens} tokens = {1000 * false / tokens:.2f} per 1,000")
    if fix:
        pf = sum(fix(c) != c for c in clean)
        print(f"  wordsegment (gated): {pf} paragraphs changed = {1000 * pf / tokens:.2f} per 1,000 tokens (at least)")
    examples = [s for i in range(n) for s in splits.get(i, [])][:15]
    if examples:
        print("  thresh's false splits:", ", ".join(repr(e) for e in examples))
    print("\nreal PDF text (glued-pdf, --steps repair):")
    pdf_text(fix)
    tokens, page_splits, page_spaces = pages_as_they_are()
    print(f"\n853 dev pages as they are: {len(page_splits)} glued_words splits in {tokens} tokens = "
          f"{10000 * len(page_splits) / tokens:.2f} per 10,000; {len(page_spaces)} spaces put after punctuation")
    if fix:
        split = 0
        for d, _, fs in os.walk(os.path.join(DEV, "text")):
            for f in fs:
                for line in open(os.path.join(d, f), encoding="utf-8", errors="replace"):
                    line = line.rstrip("\n")
                    split += len(fix(line).split(" ")) - len(line.split(" "))
        print(f"  wordsegment (gated) on the same pages: {split} splits = {10000 * split / tokens:.2f} per 10,000")


if __name__ == "__main__":
    main()
