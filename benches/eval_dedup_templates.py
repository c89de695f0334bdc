#!/usr/bin/env python3
"""Dedup under real templates: does one article published under two sites' templates cluster with
itself, and do different articles that share a site's template stay apart?

usage:
  python3 benches/eval_dedup_templates.py [--copies N] [--seed S] [--thresh BIN] [--command clean|dedup|both]

The corpus is the 853 real scraped pages of ../shared/dev-data/web-pages/text, with their real
navigation, footers and link lists, plus N copies of their articles moved into other sites'
templates: a copy is a page of another site (the "host") whose main text (its lines found in its
gold text) is replaced by the source page's gold text, and whose lines of more than 30 words
around it (readers' comments, not template) are left out. Half of the copies have 5% of their words
edited (a word replaced, dropped or doubled). Each copy goes in its host's site folder, so the
host's template is on two pages of that site.

Measured on `thresh clean` (default steps) and `thresh dedup`:
- found: the share of copies clustered with their source page;
- wrong merges: pairs of different articles in one cluster (the copy and its host are different
  articles that share a template; two original pages are different articles unless their gold
  texts are near-identical, which the dev set has a few of, counted apart).

The dev data is not part of the project: without ../shared/dev-data this says so and exits 0.
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.normpath(os.path.join(ROOT, "..", "shared", "dev-data", "web-pages"))
TOK = re.compile(r"\w+", re.U)


def toks(s):
    return [t.lower() for t in TOK.findall(s)]


def read(path):
    return open(path, "rb").read().decode("utf-8", "replace")


def content_span(lines, gold_trigrams):
    """Indexes of the first and last scraped line found in the gold text, or None."""
    found = []
    for i, line in enumerate(lines):
        t = toks(line)
        grams = [tuple(t[j:j + 3]) for j in range(len(t) - 2)]
        if grams and sum(g in gold_trigrams for g in grams) >= 0.5 * len(grams):
            found.append(i)
    return (found[0], found[-1]) if found else None


def edit(text, rng, share=0.05):
    words = text.split(" ")
    for _ in range(max(1, int(len(words) * share))):
        i = rng.randrange(len(words))
        kind = rng.randrange(3)
        if kind == 0:
            words[i] = rng.choice(words)
        elif kind == 1 and len(words) > 1:
            del words[i]
        else:
            words.insert(i, words[i])
    return " ".join(words)


def clusters_of(report):
    """doc id -> cluster id, from documents.jsonl."""
    out = {}
    for line in open(os.path.join(report, "documents.jsonl")):
        d = json.loads(line)
        if d.get("cluster") is not None:
            out[d["id"]] = d["cluster"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--thresh", default=os.path.join(ROOT, "target", "release", "thresh"))
    ap.add_argument("--command", default="both", choices=["clean", "dedup", "both"])
    ap.add_argument("--keep", help="keep the corpus, outputs and reports in this folder")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(DEV, "pages.jsonl")):
        print(f"no dev data at {DEV}: nothing to evaluate (it is not part of the project)")
        return 0
    if args.thresh == os.path.join(ROOT, "target", "release", "thresh"):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "thresh"], cwd=ROOT, check=True)
    rng = random.Random(args.seed)
    pages = [json.loads(line) for line in open(os.path.join(DEV, "pages.jsonl"))]
    gold = {p["id"]: read(os.path.join(DEV, p["gold"])) for p in pages}
    scraped = {p["id"]: read(os.path.join(DEV, p["text"])) for p in pages}
    # Hosts: pages whose main text is found, with a template of 5 lines or more around it.
    hosts = []
    for p in pages:
        lines = scraped[p["id"]].split("\n")
        g = toks(gold[p["id"]])
        span = content_span(lines, {tuple(g[j:j + 3]) for j in range(len(g) - 2)})
        if span and sum(1 for l in lines[:span[0]] + lines[span[1] + 1:] if l.strip()) >= 5:
            hosts.append((p, lines, span))
    sources = [p for p in pages if len(toks(gold[p["id"]])) >= 80]
    rng.shuffle(sources)
    tmp = args.keep or tempfile.mkdtemp()
    if args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
    try:
        corpus = os.path.join(tmp, "corpus")
        shutil.copytree(os.path.join(DEV, "text"), corpus)
        copies = []  # (copy doc id, source page, host page, edited)
        for n, source in enumerate(sources[:args.copies]):
            host, lines, (a, b) = rng.choice([h for h in hosts if h[0]["site"] != source["site"]])
            body = "\n\n".join(l.strip() for l in gold[source["id"]].split("\n") if l.strip())
            edited = n % 2 == 1
            if edited:
                body = edit(body, rng)
            # The host's template: its lines around its main text, but not its readers' comments
            # (lines of more than 30 words), which are no template.
            template = lambda part: [l for l in part if len(l.split()) <= 30]
            text = "\n".join(template(lines[:a]) + [body] + template(lines[b + 1:]))
            rel = os.path.join(os.path.dirname(host["text"][len("text/"):]), f"copy-{n:03}-{source['id']}.txt")
            with open(os.path.join(corpus, rel), "w") as f:
                f.write(text)
            copies.append((rel, source, host, edited))
        article = {p["text"][len("text/"):]: p["id"] for p in pages}
        article.update({rel: source["id"] for rel, source, _, _ in copies})
        gold_words = {k: set(toks(v)) for k, v in gold.items()}

        def same_article(x, y):
            if article[x] == article[y]:
                return True
            gx, gy = gold_words[article[x]], gold_words[article[y]]
            return len(gx & gy) >= 0.8 * max(1, min(len(gx), len(gy)))

        commands = ["clean", "dedup"] if args.command == "both" else [args.command]
        print(f"{len(copies)} copies of {len(copies)} articles moved into other real sites' templates "
              f"({sum(c[3] for c in copies)} with 5% of words edited), among {len(pages)} real pages")
        for command in commands:
            out, rep = os.path.join(tmp, command + "-out"), os.path.join(tmp, command + "-rep")
            subprocess.run([args.thresh, command, corpus, "--out", out, "--report", rep, "-q"], check=True)
            cluster = clusters_of(rep)
            found = [rel for rel, s, _, _ in copies
                     if rel in cluster and cluster.get(s["text"][len("text/"):]) == cluster[rel]]
            found_edited = sum(1 for rel, _, _, e in copies if e and rel in found)
            members = collections.defaultdict(list)
            for doc, c in cluster.items():
                members[c].append(doc)
            wrong, known_dups = [], 0
            for c, docs in members.items():
                for i, x in enumerate(docs):
                    for y in docs[i + 1:]:
                        if article[x] == article[y]:
                            continue
                        if same_article(x, y):
                            known_dups += 1
                        else:
                            wrong.append((x, y))
            n_edited = sum(c[3] for c in copies)
            print(f"thresh {command}: found {len(found)}/{len(copies)} = {len(found) / len(copies):.3f} "
                  f"(unedited {len(found) - found_edited}/{len(copies) - n_edited}, edited "
                  f"{found_edited}/{n_edited}); wrong merges {len(wrong)} pairs; "
                  f"pairs of dev pages whose gold texts are near-identical: {known_dups}")
            for x, y in wrong[:10]:
                print(f"  merged: {x}  +  {y}")
            missed = [rel for rel, _, _, _ in copies if rel not in found]
            for rel in missed[:5]:
                print(f"  not found: {rel}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
