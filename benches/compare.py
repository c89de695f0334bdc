#!/usr/bin/env python3
"""Benchmarks that compare thresh with peer tools, or with itself, in one run. Ratios, not timings.

usage:
  python3 benches/compare.py normalize   # thresh normalize vs ftfy and plsfix (pip), single thread
  python3 benches/compare.py threads     # `thresh clean` on 2 threads vs 1
  python3 benches/compare.py memory      # peak RSS of `thresh clean` on a 200 MB vs a 2 GB corpus
  python3 benches/compare.py stages      # cost of each stage vs normalize, same text
  python3 benches/compare.py huge        # peak RSS on one 200 MB single-line document, as a multiple
                                         # of its size (goal: at most 4x), beside ftfy on the same text

Peers: pip install ftfy plsfix. Corpora are built from samples/ in a temporary folder.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
THRESH = os.path.join(ROOT, "target", "release", "thresh")


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "thresh", "--example", "normalize_throughput"],
                   cwd=ROOT, check=True)


def sample_texts():
    return [open(os.path.join(SAMPLES, f), encoding="utf-8").read() for f in sorted(os.listdir(SAMPLES))]


def mojibake(text):
    """UTF-8 read as Windows-1252, the commonest mojibake, on every other paragraph."""
    paras = text.split("\n\n")
    out = []
    for i, p in enumerate(paras):
        if i % 2 == 0:
            p = p.replace("'", "\u2019").replace(" - ", " \u2014 ") + " Caf\u00e9 na\u00efve \u201cquoted\u201d"
            p = p.encode("utf-8").decode("windows-1252", errors="replace")
        out.append(p)
    return "\n\n".join(out)


def real_web_texts():
    """The gold main text of real web pages (../shared/dev-data), when it is here."""
    gold = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages", "gold")
    if not os.path.isdir(gold):
        print("(../shared/dev-data is not here: the real-web corpus is left out)")
        return []
    return [open(os.path.join(d, f), encoding="utf-8", errors="replace").read()
            for d, _, fs in sorted(os.walk(gold)) for f in sorted(fs)]


def corpora(tmp):
    """Corpora of about 4 MB each: web text (the samples), the same with mojibake, and real web
    pages' text with mojibake (when ../shared/dev-data is here)."""
    texts = sample_texts()
    real = real_web_texts()
    sets = {}
    plan = [("web", texts, lambda t: t), ("mojibake", texts, mojibake)]
    if real:
        plan.append(("real-moji", real, mojibake))
    for name, source, make in plan:
        folder = os.path.join(tmp, name)
        os.makedirs(folder)
        paths = []
        n = 48 if source is texts else len(source)
        for i in range(n):
            t = make(source[i % len(source)])
            p = os.path.join(folder, f"{i:03}.txt")
            open(p, "w", encoding="utf-8").write(t)
            paths.append(p)
        sets[name] = paths
    return sets


def time_python(fix, docs, repeat=3):
    fix(docs[0])
    start = time.perf_counter()
    for _ in range(repeat):
        for d in docs:
            fix(d)
    secs = time.perf_counter() - start
    return sum(len(d.encode("utf-8")) for d in docs) * repeat / secs / 1e6


def bench_normalize():
    import ftfy
    import plsfix
    build()
    tmp = tempfile.mkdtemp()
    try:
        rows = []
        for name, paths in corpora(tmp).items():
            docs = [open(p, encoding="utf-8").read() for p in paths]
            # Best of three, the tools taking turns, so a noisy moment hurts no one tool.
            thresh = pf = ft = 0.0
            for _ in range(3):
                out = subprocess.run([os.path.join(ROOT, "target", "release", "examples", "normalize_throughput"), *paths],
                                     capture_output=True, text=True, check=True, env={**os.environ, "THRESH_REPEAT": "3"})
                thresh = max(thresh, json.loads(out.stdout)["mb_per_s"])
                pf = max(pf, time_python(lambda s: plsfix.fix_text(s), docs))
                ft = max(ft, time_python(lambda s: ftfy.fix_text(s), docs, repeat=1))
            rows.append((name, thresh, pf, ft))
        print(f"{'corpus':10} {'thresh MB/s':>12} {'plsfix MB/s':>12} {'ftfy MB/s':>10} {'vs plsfix':>10} {'vs ftfy':>8}")
        for name, t, p, f in rows:
            print(f"{name:10} {t:12.1f} {p:12.1f} {f:10.2f} {t / p:9.2f}x {t / f:7.1f}x")
    finally:
        shutil.rmtree(tmp)


def make_jsonl_corpus(folder, megabytes, seed=1):
    """A folder of JSONL shards, samples with random edits so no two documents are the same."""
    rng = random.Random(seed)
    texts = sample_texts()
    os.makedirs(folder, exist_ok=True)
    total, shard, n = 0, 0, 0
    target = megabytes * 1_000_000
    while total < target:
        with open(os.path.join(folder, f"shard{shard:04}.jsonl"), "w", encoding="utf-8") as f:
            for _ in range(2000):
                t = texts[rng.randrange(len(texts))]
                words = t.split(" ")
                for _ in range(20):
                    words[rng.randrange(len(words))] = rng.choice(["&amp;", "caf\u00c3\u00a9", "word", "\u00a0x"])
                line = json.dumps({"id": f"d{n}", "text": " ".join(words)}) + "\n"
                f.write(line)
                total += len(line)
                n += 1
                if total >= target:
                    break
        shard += 1
    return total


def run_clean(inp, threads, tmp):
    out, rep = os.path.join(tmp, f"out{threads}"), os.path.join(tmp, f"rep{threads}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(rep, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([THRESH, "clean", inp, "--out", out, "--report", rep, "-q", "-j", str(threads)], check=True)
    return time.perf_counter() - start


def bench_threads():
    build()
    tmp = tempfile.mkdtemp()
    try:
        inp = os.path.join(tmp, "in")
        make_jsonl_corpus(inp, 150)
        one = min(run_clean(inp, 1, tmp) for _ in range(2))
        two = min(run_clean(inp, 2, tmp) for _ in range(2))
        print(f"clean on 150 MB of JSONL: 2 threads are {one / two:.2f}x faster than 1")
    finally:
        shutil.rmtree(tmp)


def peak_rss_kb(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=True)
    return int(out.stderr.strip().splitlines()[-1])


def bench_memory():
    """Peak RSS as the corpus grows tenfold: documents stream, so it should level off."""
    build()
    tmp = tempfile.mkdtemp()
    try:
        results = {}
        for mb in (200, 1000, 2000):
            inp = os.path.join(tmp, f"in{mb}")
            make_jsonl_corpus(inp, mb)
            out, rep = os.path.join(tmp, f"out{mb}"), os.path.join(tmp, f"rep{mb}")
            results[mb] = peak_rss_kb([THRESH, "clean", inp, "--out", out, "--report", rep, "-q"])
            shutil.rmtree(inp)
            shutil.rmtree(out)
            shutil.rmtree(rep)
        sizes = ", ".join(f"{mb} MB corpus {kb / 1024:.0f} MiB" for mb, kb in results.items())
        print(f"peak RSS: {sizes}; 2 GB / 200 MB ratio {results[2000] / results[200]:.2f}")
    finally:
        shutil.rmtree(tmp)


def huge_line(path, megabytes, seed=7):
    """One line of `megabytes` MB of random common English words in sentences, with a few
    entities and no-break spaces for the rules to act on: almost every word 3-gram distinct, the
    worst case for dedup's sets."""
    rng = random.Random(seed)
    words = [l.split("\t")[0] for l in open(os.path.join(ROOT, "data", "wordfreq-en.tsv"), encoding="utf-8").read().split("\n")[1:5001] if l]
    target = megabytes * 1_000_000
    total = 0
    with open(path, "w", encoding="utf-8") as f:
        while total < target:
            parts = []
            for _ in range(1000):
                sentence = " ".join(rng.choice(words) for _ in range(12)).capitalize() + ". "
                if rng.random() < 0.01:
                    sentence = sentence.replace(" ", " &amp; ", 1).replace(" ", "\u00a0", 1)
                parts.append(sentence)
            chunk = "".join(parts)
            f.write(chunk)
            total += len(chunk.encode("utf-8"))
    return total


def bench_huge():
    """Peak RSS of each kind of run on one 200 MB line, as a multiple of the document's size."""
    build()
    tmp = tempfile.mkdtemp()
    try:
        folder = os.path.join(tmp, "in")
        os.makedirs(folder)
        path = os.path.join(folder, "one.txt")
        size = huge_line(path, 200)
        jsonl = os.path.join(tmp, "jin")
        os.makedirs(jsonl)
        with open(path, encoding="utf-8") as src, open(os.path.join(jsonl, "one.jsonl"), "w", encoding="utf-8") as dst:
            dst.write(json.dumps({"id": "one", "text": src.read()}) + "\n")
        runs = [
            ("clean (every step)", ["clean", folder]),
            ("clean --skip dedup", ["clean", folder, "--skip", "dedup"]),
            ("clean --steps normalize,dedup (no corpus pass)", ["clean", folder, "--steps", "normalize,dedup"]),
            ("dedup", ["dedup", folder]),
            ("clean, the same text as one JSONL record", ["clean", jsonl]),
        ]
        print(f"one line of {size / 1e6:.0f} MB ({size / 2**20:.0f} MiB)")
        for name, args in runs:
            out, rep = os.path.join(tmp, "out"), os.path.join(tmp, "rep")
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(rep, ignore_errors=True)
            flags = ["--report", rep] + (["--out", out] if args[0] == "clean" else [])
            kb = peak_rss_kb([THRESH, *args, *flags, "-q"])
            print(f"{name:48} peak {kb / 1024:6.0f} MiB = {kb * 1024 / size:.2f}x the document")
        try:
            import ftfy  # noqa: F401
            code = "import ftfy,sys; ftfy.fix_text(open(sys.argv[1], encoding='utf-8').read())"
            kb = peak_rss_kb([sys.executable, "-c", code, path])
            print(f"{'peer: ftfy.fix_text on the same text':48} peak {kb / 1024:6.0f} MiB = {kb * 1024 / size:.2f}x the document")
        except ImportError:
            print("(pip install ftfy to see a peer's figure on the same text)")
    finally:
        shutil.rmtree(tmp)


def bench_stages():
    """Seconds per stage from summary.json, on a folder corpus of four made-up sites built from the
    samples. The corpus pass (counting lines across the corpus) is charged to boilerplate."""
    build()
    tmp = tempfile.mkdtemp()
    try:
        rng = random.Random(3)
        texts = sample_texts()
        for site in range(4):
            for page in range(150):
                t = texts[rng.randrange(len(texts))]
                words = t.split(" ")
                for _ in range(30):
                    words[rng.randrange(len(words))] = rng.choice(["boat", "river", "caf\u00e9", "garden"])
                folder = os.path.join(tmp, "in", f"site{site}")
                os.makedirs(folder, exist_ok=True)
                header = f"Site {site} Home\n\nAbout\n\nContact\n\n"
                footer = f"\n\n\u00a9 2024 Site {site}. All rights reserved.\n"
                open(os.path.join(folder, f"p{page}.txt"), "w", encoding="utf-8").write(header + " ".join(words) + footer)
        best = best_stages = best_repair = best_spin = None
        for _ in range(3):
            rep = os.path.join(tmp, "rep")
            shutil.rmtree(rep, ignore_errors=True)
            shutil.rmtree(os.path.join(tmp, "out"), ignore_errors=True)
            subprocess.run([THRESH, "clean", os.path.join(tmp, "in"), "--out", os.path.join(tmp, "out"), "--report", rep,
                            "-q", "-j", "1", "--steps", "normalize,boilerplate,machine-text,repair,spin"], check=True)
            secs = json.load(open(os.path.join(rep, "summary.json")))["stage_seconds"]
            stages = (secs["boilerplate"] + secs["machine-text"]) / secs["normalize"]
            ratio = stages + secs["corpus-pass"] / secs["normalize"]
            low = lambda old, new: new if old is None else min(old, new)
            best, best_stages = low(best, ratio), low(best_stages, stages)
            best_repair = low(best_repair, secs["repair"] / secs["normalize"])
            best_spin = low(best_spin, secs["spin"] / secs["normalize"])
            print(" ".join(f"{k} {v:.3f}s" for k, v in sorted(secs.items())))
        print(f"boilerplate + machine-text cost {best_stages:.2f}x the normalize stage; {best:.2f}x with the corpus pass")
        print(f"repair costs {best_repair:.2f}x the normalize stage, spin {best_spin:.2f}x "
              "(the corpus pass, shared with boilerplate, is counted above)")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "normalize"
    {"normalize": bench_normalize, "threads": bench_threads, "memory": bench_memory, "stages": bench_stages, "huge": bench_huge}[which]()
