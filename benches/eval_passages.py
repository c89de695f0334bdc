#!/usr/bin/env python3
"""Shared spans between documents (issue 23): are copied passages found wherever they stand?

usage:
  python3 benches/eval_passages.py [--copies N] [--seed S] [--thresh BIN] [--keep DIR] [--show N]

The corpus is the gold main text of the 853 real dev pages (../shared/dev-data/web-pages/gold),
one JSON Lines record per page, and N planted copies: a span of one page's text (the source) is
copied into another page (the host), which replaces the host's original record. A span is one to
five whole sentences, or starts or ends mid-sentence, of 30 to 120 words, and is copied

- `exact`: word for word;
- `light`: with small edits, one word in about 25 replaced or dropped, commas dropped, a word's
  case changed;
- `rebroken`: word for word but with other line breaks (a line every 8 to 20 words);

and set either inside a paragraph of the host (`inline`, at a sentence boundary) or as a paragraph
of its own (`own_line`). Pages are split in two halves by a hash of their name ("tune", "check");
source and host are drawn from the same half. Every other page is a negative: pages of one site
and one topic are many in the set.

Measured on `thresh dedup` (its `passages.jsonl`):
- span recall: the share of planted copies linked to their source, that is, a passage cluster
  holds both the host and the source (in any place: a third page with the same text may come
  first), with member texts that share at least half of the span's word 5-grams;
- precision: the share of reported links between two documents (the first member and each later
  one) whose texts really share a span (a planted copy, or 30 words or more in common runs of
  three or more words: the set holds real wire stories printed twice, and lorem ipsum).

The dev data is not part of the project: without ../shared/dev-data this says so and exits 0.
"""
import argparse
import difflib
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLD = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages", "gold")
THRESH = os.path.join(ROOT, "target", "release", "thresh")
WORD = re.compile(r"\w+", re.UNICODE)


def half(name):
    return "tune" if hashlib.md5(name.encode()).digest()[0] % 2 == 0 else "check"


def words(text):
    return [w.lower() for w in WORD.findall(text)]


def grams(ws, n=5):
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def shares_span(a, b):
    """Whether two texts really share a passage: 30 words or more in runs of 3 or more common
    words in order (a wire story and its rewrite, "Mr" dropped, a word changed), or most of the
    shorter one."""
    wa, wb = words(a), words(b)
    blocks = difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks()
    common = sum(m.size for m in blocks if m.size >= 3)
    return common >= 30 or common >= 0.6 * min(len(wa), len(wb))


def sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if s.strip()]


def pick_span(rng, text):
    """A span of 30-120 words from the text's sentences, whole or cut mid-sentence; None if the
    text has too few words."""
    sents = sentences(text)
    if sum(len(s.split()) for s in sents) < 60:
        return None
    target = rng.choice([30, 40, 60, 90, 120])
    for _ in range(20):
        i = rng.randrange(len(sents))
        span, n = [], 0
        for s in sents[i:]:
            span.append(s)
            n += len(s.split())
            if n >= target:
                break
        if n < 30:
            continue
        toks = " ".join(span).split()
        if rng.random() < 0.3:  # start or end mid-sentence
            cut = rng.randrange(1, max(2, len(toks) // 5))
            toks = toks[cut:] if rng.random() < 0.5 else toks[:-cut]
        if len(toks) >= 30:
            return " ".join(toks[:160])
    return None


def edit(rng, span, kind, vocabulary):
    toks = span.split()
    if kind == "light":
        out = []
        for t in toks:
            r = rng.random()
            if r < 0.02:
                out.append(rng.choice(vocabulary))  # replaced
            elif r < 0.04:
                continue  # dropped
            elif r < 0.06:
                out.append(t.upper() if t.islower() else t.lower())
            else:
                out.append(t.replace(",", "") if rng.random() < 0.5 else t)
        return " ".join(out)
    if kind == "rebroken":
        out, line = [], []
        limit = rng.randint(8, 20)
        for t in toks:
            line.append(t)
            if len(line) >= limit:
                out.append(" ".join(line))
                line, limit = [], rng.randint(8, 20)
        if line:
            out.append(" ".join(line))
        return "\n".join(out)
    return span


def plant(rng, host, copy, mode):
    lines = host.split("\n")
    long = [i for i, l in enumerate(lines) if len(l.split()) >= 20]
    if mode == "inline" and long and "\n" not in copy:
        i = rng.choice(long)
        sents = re.split(r"(?<=[.!?])\s+", lines[i])
        at = rng.randrange(len(sents) + 1)
        lines[i] = " ".join(sents[:at] + [copy] + sents[at:])
    else:
        i = rng.randrange(len(lines) + 1)
        lines[i:i] = ["", copy, ""]
    return "\n".join(lines)


def build(pages, copies, seed):
    rng = random.Random(seed)
    names = sorted(pages)
    vocabulary = [w for n in names[:50] for w in pages[n].split()[:40] if w.isalpha()]
    hosts_used, planted = set(), []
    texts = dict(pages)
    tries = 0
    while len(planted) < copies and tries < copies * 20:
        tries += 1
        source, host = rng.choice(names), rng.choice(names)
        if source == host or host in hosts_used or half(source) != half(host):
            continue
        span = pick_span(rng, pages[source])
        if span is None:
            continue
        kind = rng.choice(["exact", "light", "rebroken"])
        mode = rng.choice(["inline", "own_line"]) if kind != "rebroken" else "own_line"
        copy = edit(rng, span, kind, vocabulary)
        texts[host] = plant(rng, pages[host], copy, mode)
        hosts_used.add(host)
        planted.append(
            {"source": source, "host": host, "span": span, "kind": kind, "mode": mode,
             "words": len(span.split()), "half": half(source)}
        )
    return texts, planted


def run_dedup(thresh, texts, tmp):
    src = os.path.join(tmp, "corpus.jsonl")
    with open(src, "w", encoding="utf-8") as f:
        for name in sorted(texts):
            f.write(json.dumps({"id": name, "text": texts[name]}, ensure_ascii=False) + "\n")
    rep = os.path.join(tmp, "rep")
    subprocess.run([thresh, "dedup", src, "--report", rep, "-q"], check=True)
    clusters = [json.loads(l) for l in open(os.path.join(rep, "passages.jsonl"), encoding="utf-8")]
    docs = {}
    for l in open(os.path.join(rep, "documents.jsonl"), encoding="utf-8"):
        d = json.loads(l)
        docs[d["id"].rsplit(":", 1)[-1]] = d
    return clusters, docs


def doc_name(member_doc):
    return member_doc.rsplit(":", 1)[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=300)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--thresh", default=THRESH)
    ap.add_argument("--keep", help="keep the corpus and report here")
    ap.add_argument("--show", type=int, default=0, help="print this many misses and false links")
    args = ap.parse_args()
    if not os.path.isdir(GOLD):
        print(f"{GOLD} is missing: nothing to measure")
        return 0
    if not os.path.exists(args.thresh):
        sys.exit("build thresh first: cargo build --release")
    pages = {}
    for dirpath, _, files in os.walk(GOLD):
        for f in sorted(files):
            if f.endswith(".txt"):
                p = os.path.join(dirpath, f)
                pages[os.path.relpath(p, GOLD)] = open(p, encoding="utf-8").read()
    texts, planted = build(pages, args.copies, args.seed)
    tmp = args.keep or tempfile.mkdtemp()
    os.makedirs(tmp, exist_ok=True)
    try:
        clusters, docs = run_dedup(args.thresh, texts, tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    # Links: (first member, later member) of each cluster.
    links = []
    for c in clusters:
        first = c["members"][0]
        for m in c["members"][1:]:
            links.append((doc_name(first["doc"]), first["text"], doc_name(m["doc"]), m["text"]))
    # A plant is found when its source and host are in one cluster, whichever came first: a
    # third page holding the same text may be the cluster's first occurrence.
    by_pair = {}
    for c in clusters:
        ms = c["members"]
        for i, x in enumerate(ms):
            for y in ms[i + 1 :]:
                key = frozenset((doc_name(x["doc"]), doc_name(y["doc"])))
                by_pair.setdefault(key, []).append((x["text"], y["text"]))

    figures, misses = {}, []
    # A plant whose source or host is a duplicate document (the set holds a few pages twice) has
    # no passages reported for it: it is left out, and counted.
    dup = {n for n, d in docs.items() if d.get("status") == "duplicate"}
    judged = [p for p in planted if p["source"] not in dup and p["host"] not in dup]
    for part in ("tune", "check", "all"):
        chosen = [p for p in judged if part == "all" or p["half"] == part]
        found = []
        for p in chosen:
            need = grams(words(p["span"]))
            ok = False
            for ta, tb in by_pair.get(frozenset((p["source"], p["host"])), []):
                shared = need & grams(words(ta)) & grams(words(tb))
                if len(shared) * 2 >= len(need):
                    ok = True
            found.append(ok)
            if not ok and part == "all":
                misses.append(p)
        by_kind = {}
        for p, ok in zip(chosen, found):
            by_kind.setdefault(f"{p['kind']}/{p['mode']}", []).append(ok)
        figures[f"spans-{part}"] = {
            "planted": len(chosen),
            "recall": round(sum(found) / max(1, len(found)), 3),
            "by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_kind.items())},
        }
    planted_pairs = {frozenset((p["source"], p["host"])) for p in planted}
    true_links, false_links = 0, []
    for a, ta, b, tb in links:
        if frozenset((a, b)) in planted_pairs or shares_span(ta, tb):
            true_links += 1
        else:
            false_links.append((a, b, ta[:120], tb[:120]))
    figures["links"] = {
        "reported": len(links),
        "precision": round(true_links / max(1, len(links)), 4),
        "false": len(false_links),
        "duplicate_documents": len(dup),
        "plants_left_out": len(planted) - len(judged),
    }
    for k, v in figures.items():
        print(k, json.dumps(v))
    for p in misses[: args.show]:
        print(f"missed {p['kind']}/{p['mode']} {p['words']}w {p['source']} -> {p['host']}: {p['span'][:100]!r}")
    for f in false_links[: args.show]:
        print(f"false link {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
