#!/usr/bin/env python3
"""Fit the boilerplate stage's block model on real scraped pages; write data/boilerplate-model.tsv.

usage:
  python3 data/fit-boilerplate-model.py [--dev DIR] [--all] [--html]

--html fits the model of pages read from HTML (data/boilerplate-html-model.tsv) on the pages'
HTML instead: the same text features, and the markup's (link density, the elements a block is
inside of, class and id words, the page's main column, the title), as `thresh clean` reads a page.
Its block model is gradient-boosted trees (scikit-learn), not a logistic regression: the markup's
signals act together (a short line inside the main column is a heading, the same line in a
sidebar a link), which trees learn and a linear model cannot; on the check half they gave a line
F1 of 0.909 where the logistic regression gave 0.891. Needs scikit-learn as well.

Data: ../shared/dev-data/web-pages (real pages of four public cleaning sets, each as the text a
naive scraper leaves, one block per line, and as its gold main text; not part of the project).
Without it this says so and exits 0, leaving the shipped weights as they are.

How the model is made:
1. `examples/boilerplate_features.rs` prints the features of every nonblank line of the scraped
   pages, exactly as the stage computes them (normalized, the corpus's repetition counted).
2. Each line is labelled content when most of its word trigrams occur in the page's gold text
   (a line of one or two words: when it occurs there as a phrase).
3. Only the `tune` half of the sites is used (the half `benches/eval_boilerplate.py` tunes on; the
   `check` half stays unseen, so its figures are honest). Each line is weighted by its share of
   its page's words, so every page counts the same, as the per-page F1 does.
   Every set weighs the same, news articles must not drown the mixed pages.
4. Block model: L2-regularized logistic regression on the standardized features. Context model:
   a second logistic regression on the block model's log-odds of the line and of two neighbours
   each side, the page's mean and the line's length, fit on out-of-fold log-odds (5 folds by
   site) so that it learns how much to trust the neighbours, not the training fit.
5. The threshold is the one that maximizes the mean of the sets' per-page F1 of the kept lines
   on the tune half, raised while F1 stays within 0.002 of that best (precision first: a removal must be
   confident).

--all fits on every page instead (the figures on `check` are then no longer held out).
Needs numpy.
"""
import argparse
import collections
import hashlib
import json
import os
import re
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOK = re.compile(r"\w+", re.U)
CONTEXT = ["bias", "z", "z_prev", "z_next", "z_prev2", "z_next2", "doc_mean_z", "ln_words"]


def half(site):
    return "tune" if hashlib.sha1(site.encode()).digest()[0] % 2 == 0 else "check"


def toks(s):
    return [t.lower() for t in TOK.findall(s)]


def label(line_toks, gold_grams):
    n = len(line_toks)
    if n == 0:
        return 0
    if n < 3:
        return int(tuple(line_toks) in gold_grams[n])
    grams = [tuple(line_toks[i:i + 3]) for i in range(n - 2)]
    return int(sum(g in gold_grams[3] for g in grams) >= 0.5 * len(grams))


def fit_logistic(x, y, w, l2=1e-3, iters=60):
    """Weighted logistic regression by Newton's method; x has a bias column first."""
    beta = np.zeros(x.shape[1])
    reg = l2 * np.eye(x.shape[1])
    reg[0, 0] = 0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(x @ beta, -30, 30)))
        grad = x.T @ (w * (p - y)) + reg @ beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + reg
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta


def context_inputs(z, doc_of, ln_words):
    """The context model's inputs, in the order of CONTEXT (as model.rs builds them)."""
    n = len(z)
    out = np.zeros((n, len(CONTEXT)))
    out[:, 0] = 1
    out[:, 1] = z
    starts = {}
    for i, d in enumerate(doc_of):
        starts.setdefault(d, [i, i])[1] = i
    for d, (a, b) in starts.items():
        zz = z[a:b + 1]
        m = len(zz)
        for off, col in ((-1, 2), (1, 3), (-2, 4), (2, 5)):
            shifted = np.zeros(m)
            if off < 0:
                shifted[-off:] = zz[:m + off] if m + off > 0 else []
            else:
                shifted[:m - off] = zz[off:] if m - off > 0 else []
            out[a:b + 1, col] = shifted
        out[a:b + 1, 6] = zz.mean()
    out[:, 7] = ln_words
    return out


def page_f1(rows, keep, gold_counts, set_of=None):
    """Mean per-page F1 (bag of words) of the kept lines; with `set_of`, the mean of the sets'."""
    pages = collections.defaultdict(collections.Counter)
    for i, (doc, line_toks) in enumerate(rows):
        if keep[i]:
            pages[doc].update(line_toks)
    scores = []
    for doc, gold in gold_counts.items():
        pred = pages.get(doc, collections.Counter())
        ov = sum((pred & gold).values())
        p = ov / sum(pred.values()) if pred else 0
        r = ov / sum(gold.values()) if gold else 0
        scores.append((set_of(doc) if set_of else "", 2 * p * r / (p + r) if p + r else 0))
    per_set = collections.defaultdict(list)
    for name, f in scores:
        per_set[name].append(f)
    return float(np.mean([np.mean(v) for v in per_set.values()]))


TREES, DEPTH, RATE = 200, 3, 0.1


def fit_trees(x, y, w, fold):
    """Gradient-boosted trees. With `fold`: their out-of-fold log-odds (for the context model).
    Without: the trees of all the rows, as (model, log-odds)."""
    from sklearn.ensemble import GradientBoostingClassifier

    def fit(rows):
        gb = GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE,
                                        subsample=0.8, random_state=0)
        gb.fit(x[rows], y[rows], sample_weight=w[rows] / w[rows].mean())
        return gb

    if fold is not None:
        z = np.zeros(len(x))
        for f in range(5):
            z[fold == f] = fit(fold != f).decision_function(x[fold == f])
        return z
    gb = fit(np.ones(len(x), bool))
    trees = []
    for est in gb.estimators_[:, 0]:
        t = est.tree_
        trees.append([(int(t.feature[n]), float(t.threshold[n]), int(t.children_left[n]),
                       int(t.children_right[n]), RATE * float(t.value[n][0][0])) for n in range(t.node_count)])
    z = gb.decision_function(x)
    init = float(z[0] - sum(RATE * e.predict(x[:1])[0] for e in gb.estimators_[:, 0]))
    return {"init": init, "trees": trees}, z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", default=os.path.join(ROOT, "..", "shared", "dev-data", "web-pages"))
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--html", action="store_true")
    args = ap.parse_args()
    kind = "html" if args.html else "text"
    if not os.path.exists(os.path.join(args.dev, "pages.jsonl")):
        print(f"no dev data at {args.dev}: the shipped weights stay as they are")
        return 0
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "boilerplate_features"],
                   cwd=ROOT, check=True)
    feats = subprocess.run([os.path.join(ROOT, "target", "release", "examples", "boilerplate_features")]
                           + (["--html"] if args.html else []) + [os.path.join(args.dev, kind)],
                           check=True, capture_output=True, text=True).stdout
    lines = feats.splitlines()
    names = json.loads(lines[0])["features"]
    pages = {p[kind][len(kind) + 1:]: p for p in map(json.loads, open(os.path.join(args.dev, "pages.jsonl")))}
    gold_grams, gold_counts = {}, {}
    rows, xs, ys, ws, docs, sites = [], [], [], [], [], []
    page_words = collections.Counter()
    blocks = [json.loads(l) for l in lines[1:]]
    # Every set weighs the same (news articles must not drown the mixed pages), and within a set
    # every page.
    set_pages = collections.Counter(p["set"] for p in pages.values() if args.all or half(p["site"]) == "tune")
    for b in blocks:
        page_words[b["doc"]] += len(toks(b["text"]))
    for b in blocks:
        page = pages.get(b["doc"])
        if page is None or not (args.all or half(page["site"]) == "tune"):
            continue
        if b["doc"] not in gold_grams:
            g = toks(open(os.path.join(args.dev, page["gold"]), encoding="utf-8", errors="replace").read())
            gold_grams[b["doc"]] = {n: {tuple(g[i:i + n]) for i in range(len(g) - n + 1)} for n in (1, 2, 3)}
            gold_counts[b["doc"]] = collections.Counter(g)
        t = toks(b["text"])
        rows.append((b["doc"], t))
        xs.append(b["x"])
        ys.append(label(t, gold_grams[b["doc"]]))
        ws.append(len(t) / max(1, page_words[b["doc"]]) / set_pages[page["set"]])
        docs.append(b["doc"])
        sites.append(page["site"])
    x, y, w = np.array(xs), np.array(ys, float), np.array(ws)
    mu, sd = x.mean(0), x.std(0)
    sd[sd == 0] = 1
    xb = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    # Out-of-fold block log-odds, folds by site.
    fold = np.array([int(hashlib.sha1(s.encode()).hexdigest(), 16) % 5 for s in sites])
    trees, beta = None, None
    if args.html:
        z_oof = fit_trees(x, y, w, fold)
        trees, z_final = fit_trees(x, y, w, None)
    else:
        z_oof = np.zeros(len(x))
        for f in range(5):
            beta = fit_logistic(xb[fold != f], y[fold != f], w[fold != f])
            z_oof[fold == f] = xb[fold == f] @ beta
        beta = fit_logistic(xb, y, w)
        z_final = xb @ beta
    ln_words = x[:, names.index("ln_words")]
    gamma = fit_logistic(context_inputs(z_oof, docs, ln_words), y, w, l2=1e-4)
    # Probabilities as the stage will compute them: the final block model, then the context model.
    p = 1 / (1 + np.exp(-(context_inputs(z_final, docs, ln_words) @ gamma)))
    grid = np.arange(0.05, 0.80, 0.01)
    set_of = lambda doc: pages[doc]["set"]
    f1s = [page_f1(rows, p >= t, gold_counts, set_of) for t in grid]
    best = max(f1s)
    threshold = max(t for t, f in zip(grid, f1s) if f >= best - 0.002)
    keep_all = page_f1(rows, np.ones(len(p), bool), gold_counts, set_of)
    labels_f1 = page_f1(rows, y > 0, gold_counts, set_of)
    print(f"{len(x)} lines of {len(gold_counts)} pages; content {y.mean():.2f} of lines")
    print(f"mean of the sets' per-page F1 on the fitted pages (lines only, before the stage's guards): keep-all {keep_all:.3f}, "
          f"the labels themselves {labels_f1:.3f}, the model {page_f1(rows, p >= threshold, gold_counts, set_of):.3f} "
          f"at threshold {threshold:.2f} (best {best:.3f})")
    out = [
        "# The boilerplate stage's block model " + ("of pages read from HTML " if args.html else "")
        + "(src/stages/boilerplate/model.rs), made by",
        "# data/fit-boilerplate-model.py " + ("--html " if args.html else "") + "from ../shared/dev-data/web-pages "
        + ("(all pages)." if args.all else "(the tune half of the sites)."),
        f"# {len(x)} lines of {len(gold_counts)} pages; mean of the sets' per-page F1 of the kept lines there {page_f1(rows, p >= threshold, gold_counts, set_of):.3f}.",
        f"threshold\t{threshold:.2f}",
    ]
    if trees is not None:
        # tree<TAB>tree<TAB>node<TAB>feature<TAB>threshold<TAB>left<TAB>right<TAB>value: a node
        # with feature `leaf` gives its value (already scaled by the learning rate); another goes
        # left when the feature's value is <= the threshold.
        out.append(f"trees\tinit\t{trees['init']:.6g}")
        for t, tree in enumerate(trees["trees"]):
            for node, (f, thr, left, right, value) in enumerate(tree):
                out.append(f"tree\t{t}\t{node}\t{'leaf' if f < 0 else names[f]}\t{thr:.6g}\t{left}\t{right}\t{value:.6g}")
    else:
        # Unstandardize: w·(x-mu)/sd + b = (w/sd)·x + (b - Σ w·mu/sd).
        weights = beta[1:] / sd
        bias = beta[0] - float(np.sum(beta[1:] * mu / sd))
        out.append(f"block\tbias\t{bias:.6g}")
        out += [f"block\t{n}\t{v:.6g}" for n, v in zip(names, weights)]
    out += [f"context\t{n}\t{v:.6g}" for n, v in zip(CONTEXT, gamma)]
    path = os.path.join(ROOT, "data", "boilerplate-html-model.tsv" if args.html else "boilerplate-model.tsv")
    open(path, "w").write("\n".join(out) + "\n")
    if beta is not None:
        print("block weights (standardized):")
        for n, v in sorted(zip(names, beta[1:]), key=lambda kv: -abs(kv[1])):
            print(f"  {n:24} {v:+.3f}")
    print("context weights:", " ".join(f"{n} {v:+.3f}" for n, v in zip(CONTEXT, gamma)))
    print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
