#!/usr/bin/env python3
"""The machine-text stage on real leftovers and on real sentences that must survive.

    cargo build --release && python3 benches/machine_text_eval.py [--json FILE] [--show N]

- Real leftovers: data/machine-text/real.jsonl, paragraphs of public text (GitHub READMEs, docs
  and issues; each record names its source) holding chatbot or tool leftovers nobody on the
  project wrote, with the exact leftover strings. Each record is run through
  `thresh clean --steps normalize,machine-text` as one document. Recall: the share of leftovers
  no longer in the output (its text, with spacing folded, is gone). Damage: the share of the record's other sentences (split at . ! ? followed
  by a space) that are no longer in the output, with spacing folded.
- Look-alikes: data/machine-text/lookalikes.jsonl, real text that quotes or discusses the same
  phrases and must survive whole: the share changed at all.
- Gold: every sentence of the dev pages' gold main text (../shared/dev-data/web-pages/gold) run
  the same way: false removals per 10,000 sentences (every machine-text edit there is false).

Records and pages are split in two by a hash of their source or name ("tune", "check"), as
data/fit-machine-text.py splits them; both halves are reported. Needs ../shared/dev-data for the
gold figures (says so and skips them when it is absent).
"""
import argparse
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import thresh_jsonl  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "machine-text")
GOLD = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages", "gold")
STEPS = "normalize,machine-text"
RULES = {
    "tool_markup", "requester_talk", "chatbot_preamble", "ui_residue", "error_banner",
    "self_reference", "closer", "meta_prefix", "revision_splice", "quoted_fragment", "placeholder",
}


def half(key):
    return "tune" if hashlib.md5(key.encode()).digest()[0] % 2 == 0 else "check"


def fold(text):
    return re.sub(r"\s+", " ", text).strip()


def sentences(text):
    out = []
    for line in text.split("\n"):
        out += [s for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 3]
    return out


def load(name):
    path = os.path.join(DATA, name)
    return [json.loads(l) for l in open(path, encoding="utf-8")] if os.path.exists(path) else []


def without_leftovers(record):
    text = record["text"]
    for lo in sorted(record["leftovers"], key=len, reverse=True):
        text = text.replace(lo, "")
    return text


def leftovers_removed(record, output):
    out = fold(output)
    return [fold(lo) not in out for lo in record["leftovers"]]


def holds_leftover(sentence, leftovers):
    """Whether a sentence holds (part of) a leftover: the leftover's text, or a token of it that no
    prose holds (normalize may have rewritten the rest, as it turns a link into its label)."""
    s = fold(sentence)
    for lo in leftovers:
        f = fold(lo)
        if f in s or s in f:
            return True
        if any(len(t) >= 8 and t in s for t in re.split(r"[\s\[\](){}]+", f)):
            return True
    return False


def tidy(text):
    """Spacing folded, with no space before closing punctuation: how two spellings of a repaired
    sentence are compared."""
    return re.sub(r"\s+([.,;:!?)\]])", r"\1", fold(text))


def spliced(baseline, ideal, output):
    """The sentences that held an inline leftover, as they read with the leftover cut out
    (`ideal`: the record with its leftovers deleted, normalized), each with whether the output
    holds it so repaired."""
    base, out = tidy(baseline), tidy(output)
    return [
        (s, tidy(s) in out)
        for s in sentences(ideal)
        if tidy(s) not in base and len(s.split()) >= 3
    ]


def damaged(record, baseline, output):
    """Whether each of the record's sentences that holds no leftover, as normalize alone leaves
    it (`baseline`), is still whole in the output."""
    out = fold(output)
    kept = []
    for s in sentences(baseline):
        if holds_leftover(s, record["leftovers"]):
            continue
        kept.append(fold(s) in out)
    return kept


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", help="write the figures here too")
    ap.add_argument("--show", type=int, default=0, help="print this many missed leftovers and damaged sentences")
    args = ap.parse_args()
    if not os.path.exists(thresh_jsonl.THRESH):
        sys.exit("build thresh first: cargo build --release")
    real, looks = load("real.jsonl"), load("lookalikes.jsonl")
    figures = {}
    if not real:
        sys.exit(f"{DATA}/real.jsonl is missing or empty")
    outputs, _ = thresh_jsonl.run([r["text"] for r in real], STEPS, RULES)
    baselines, _ = thresh_jsonl.run([r["text"] for r in real], "normalize", RULES)
    ideals, _ = thresh_jsonl.run([without_leftovers(r) for r in real], "normalize", RULES)
    for part in ("tune", "check", "all"):
        chosen = [
            (r, o, b, i)
            for r, o, b, i in zip(real, outputs, baselines, ideals)
            if part == "all" or half(r["source"]) == part
        ]
        by_family = {}
        removed, kept, repaired = [], [], []
        for r, o, b, i in chosen:
            got = leftovers_removed(r, o or "")
            removed += got
            by_family.setdefault(r["family"], []).extend(got)
            kept += damaged(r, b or "", o or "")
            if r["family"] == "markup":
                repaired += [ok for _, ok in spliced(b or "", i or "", o or "")]
        figures[f"real-{part}"] = {
            "records": len(chosen),
            "leftovers": len(removed),
            "recall": round(sum(removed) / max(1, len(removed)), 3),
            "by_family": {f: f"{sum(v)}/{len(v)}" for f, v in sorted(by_family.items())},
            "other_sentences": len(kept),
            "damaged": round(1 - sum(kept) / max(1, len(kept)), 4),
            "splices": len(repaired),
            "splices_repaired": round(sum(repaired) / max(1, len(repaired)), 3),
        }
    if args.show:
        shown = 0
        for r, o in zip(real, outputs):
            for lo, gone in zip(r["leftovers"], leftovers_removed(r, o or "")):
                if not gone and shown < args.show:
                    print(f"missed [{r['family']}]: {lo[:160]!r}")
                    shown += 1
        for r, o, b, i in zip(real, outputs, baselines, ideals):
            out = fold(o or "")
            for s in sentences(b or ""):
                if holds_leftover(s, r["leftovers"]):
                    continue
                if fold(s) not in out:
                    print(f"damaged: {s[:160]!r}")
            if r["family"] == "markup":
                for cut, ok in spliced(b or "", i or "", o or ""):
                    if not ok:
                        print(f"splice not repaired: {cut[:160]!r}")
    if looks:
        outs, edits = thresh_jsonl.run([r["text"] for r in looks], STEPS, RULES)
        changed = [i for i in range(len(looks)) if edits.get(i)]
        figures["lookalikes"] = {"records": len(looks), "changed": len(changed)}
        for part in ("tune", "check"):
            idx = [i for i, r in enumerate(looks) if half(r["source"]) == part]
            figures["lookalikes"][part] = f"{sum(1 for i in idx if edits.get(i))}/{len(idx)} changed"
        _, by_rule = thresh_jsonl.run([r["text"] for r in looks], STEPS, {"requester_talk"})
        figures["lookalikes"]["changed_by_requester_talk"] = len(by_rule)
        for i in changed[: args.show]:
            print(f"look-alike changed: {edits[i][:3]}")
    if os.path.isdir(GOLD):
        pages = []
        for dirpath, _, files in os.walk(GOLD):
            for f in sorted(files):
                if f.endswith(".txt"):
                    p = os.path.join(dirpath, f)
                    pages.append((os.path.relpath(p, GOLD), open(p, encoding="utf-8").read()))
        outs, edits = thresh_jsonl.run([t for _, t in pages], STEPS, RULES)
        for part in ("tune", "check", "all"):
            idx = [i for i, (n, _) in enumerate(pages) if part == "all" or half(n) == part]
            n_sent = sum(len(sentences(pages[i][1])) for i in idx)
            false = sum(len(edits.get(i, [])) for i in idx)
            figures[f"gold-{part}"] = {
                "pages": len(idx),
                "sentences": n_sent,
                "false_removals": false,
                "per_10k": round(false / max(1, n_sent) * 10_000, 2),
            }
        if args.show:
            for i in sorted(edits)[: args.show]:
                print(f"gold edit {pages[i][0]}: {[e[:120] for e in edits[i][:2]]}")
    else:
        print(f"{GOLD} is missing: the gold figures are skipped", file=sys.stderr)
    for k, v in figures.items():
        print(k, json.dumps(v, ensure_ascii=False))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
