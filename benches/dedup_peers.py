#!/usr/bin/env python3
"""Dedup compared with the peers a user would pick today, in one run on one JSONL corpus:
thresh dedup, a rensa pipeline (RMinHash + RMinHashLSH) and a datasketch pipeline (MinHash +
MinHashLSH), all single-threaded, at the same threshold, each peer with two shingle choices:
word 3-grams (what thresh indexes) and distinct words (what thresh's Jaccard is measured on).

Every pipeline is timed from the JSONL file on disk to its clusters: the peers' time includes
reading and parsing the corpus, as thresh's does (thresh also writes its report files; the peers
write nothing).

Prints documents per second per core (as a ratio to rensa) and, on the labelled set, pairwise
precision, recall and F1 against the labels.

Usage: python3 benches/dedup_peers.py [--scale N] [--repeat R] [--thresh BIN]
Needs: pip install rensa datasketch; a release build (cargo build --release).
"""
import argparse, itertools, json, os, re, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--scale", type=int, default=1, help="labelled-set multiples for the speed corpus")
ap.add_argument("--repeat", type=int, default=3, help="best of R runs for timings")
ap.add_argument("--threshold", type=float, default=0.8)
ap.add_argument("--thresh", default=os.path.join(root, "target/release/thresh"),
                help="the thresh binary (another build, to compare builds against the same peers)")
args = ap.parse_args()

WORD = re.compile(r"\w+")
def words(text):
    return WORD.findall(text.lower())
def trigrams(text):
    w = words(text)
    return [" ".join(w[i:i + 3]) for i in range(max(1, len(w) - 2))]
def unigrams(text):
    return sorted(set(words(text)))

def greedy(docs, make, lsh, jaccard, insert, query):
    """The usual peer recipe: a document whose LSH candidates include a kept document at or above
    the threshold joins it; otherwise it is kept and indexed."""
    cluster = {}
    for i, d in enumerate(docs):
        m = make(d["text"])
        hit = next((c for c in sorted(query(lsh, m)) if jaccard(m, c) >= args.threshold), None)
        if hit is None:
            insert(lsh, i, m)
            cluster[d["id"]] = i
        else:
            cluster[d["id"]] = cluster[docs[hit[0]]["id"]] if isinstance(hit, tuple) else cluster[docs[hit]["id"]]
    return cluster

def peer_run(docs, shingle, new_minhash, update, lsh):
    """A peer's MinHash and LSH classes in the greedy recipe (rensa and datasketch share the
    insert / query / jaccard interface)."""
    sigs = {}
    def make(text):
        m = new_minhash()
        update(m, shingle(text))
        return m
    def insert(lsh, i, m):
        sigs[i] = m
        lsh.insert(i, m)
    return greedy(docs, make, lsh, lambda m, c: m.jaccard(sigs[c]), insert, lambda lsh, m: lsh.query(m))

def rensa_run(docs, shingle):
    from rensa import RMinHash, RMinHashLSH
    return peer_run(docs, shingle, lambda: RMinHash(num_perm=128, seed=42), lambda m, s: m.update(s),
                    RMinHashLSH(threshold=args.threshold, num_perm=128, num_bands=16))

def datasketch_run(docs, shingle):
    from datasketch import MinHash, MinHashLSH
    return peer_run(docs, shingle, lambda: MinHash(num_perm=128, seed=42), lambda m, s: m.update_batch([x.encode() for x in s]),
                    MinHashLSH(threshold=args.threshold, num_perm=128))

def thresh_run(path, extra):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([args.thresh, "dedup", path, "--report", tmp, "-q", "-j", "1", *extra], check=True)
        return {r["id"]: r["cluster"] or r["id"] for r in map(json.loads, open(os.path.join(tmp, "documents.jsonl")))}

def score(docs, cluster):
    tp = fp = fn = 0
    for a, b in itertools.combinations(docs, 2):
        same, merged = a["label"] == b["label"], cluster[a["id"]] == cluster[b["id"]]
        tp += same and merged; fp += merged and not same; fn += same and not merged
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)

def make_set(scale, seed, path):
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(root, "tests/fixtures/dedup/make_labelled.py"), "--scale", str(scale), "--seed", str(seed)], stdout=f, check=True)
    return [json.loads(l) for l in open(path)]

def best_of(fn):
    best = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t)
    return best

def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f]

tools = [
    ("thresh dedup", lambda path: thresh_run(path, [])),
    ("thresh dedup --steps normalize,boilerplate,dedup", lambda path: thresh_run(path, ["--steps", "normalize,boilerplate,dedup"])),
    ("thresh dedup --steps normalize,dedup", lambda path: thresh_run(path, ["--steps", "normalize,dedup"])),
    ("thresh dedup --steps dedup", lambda path: thresh_run(path, ["--steps", "dedup"])),
    ("rensa, word 3-grams", lambda path: rensa_run(load(path), trigrams)),
    ("rensa, words", lambda path: rensa_run(load(path), unigrams)),
    ("datasketch, word 3-grams", lambda path: datasketch_run(load(path), trigrams)),
    ("datasketch, words", lambda path: datasketch_run(load(path), unigrams)),
]

with tempfile.TemporaryDirectory() as tmp:
    print("Quality on labelled sets (pairwise precision / recall / F1):")
    for seed in (20261121, 7, 99):
        path = os.path.join(tmp, f"labelled{seed}.jsonl")
        docs = make_set(1, seed, path)
        for name, run in tools:
            p, r, f = score(docs, run(path))
            print(f"  seed {seed:>8}  {name:<50} {p:.3f} / {r:.3f} / {f:.3f}")
    print(f"\nSpeed (one thread each, best of {args.repeat}):")
    sizes = [args.scale, 2 * args.scale, 4 * args.scale]
    for scale in sizes:
        path = os.path.join(tmp, f"speed{scale}.jsonl")
        docs = make_set(scale, 1, path)
        mb = os.path.getsize(path) / 1e6
        times = {name: best_of(lambda: run(path)) for name, run in tools}
        base = len(docs) / times["rensa, word 3-grams"]
        print(f"  {len(docs)} documents, {mb:.1f} MB:")
        for name, t in times.items():
            print(f"    {name:<50} {len(docs) / t:9.0f} docs/s  {len(docs) / t / base:5.2f}x rensa")
