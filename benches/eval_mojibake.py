#!/usr/bin/env python3
"""Mojibake repair measured on text nobody on the project wrote.

    cargo build --release && python3 benches/eval_mojibake.py

1. ftfy's public test cases (tests/fixtures/ftfy, Apache-2.0), through `thresh clean --steps
   normalize`: a case is repaired when thresh makes the same text of the mojibake as of ftfy's
   repair of it (so the rules that thresh applies to all text, such as folding no-break spaces, count
   the same on both sides); a clean case (ftfy leaves it as it is) must get no encoding edit.
2. Held-out real multilingual lines: web text (the gold main text of ../shared/dev-data/web-pages,
   when present) and human translations (the gettext catalogues under /usr/share/locale, Debian's),
   each line with a non-ASCII character. Every line is turned into mojibake as UTF-8 read through
   Latin-1 or Windows-1252 (half each); restored when thresh makes the same text of the mojibake as
   of the line. The clean lines themselves must get no encoding edit (`mojibake`, `c1_controls`,
   `utf16_run`). Lines are split by a hash of their text into two halves, reported apart ("tune" and
   "check"; nothing was tuned on either, the repair is ftfy's heuristic).
   Also reported: the same lines misread through Windows-1250, Windows-1251 and MacRoman, where the
   line's characters exist in that table.
3. With `pip install ftfy plsfix`, the peers on the same lines.
"""
import gettext
import glob
import hashlib
import json
import os
import random
import sys

import thresh_jsonl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESH = os.path.join(ROOT, "target", "release", "thresh")
DEV = os.path.join(ROOT, "..", "shared", "dev-data", "web-pages")
ENCODING_RULES = {"mojibake", "c1_controls", "utf16_run"}


def sloppy_decode(data, codec):
    """Bytes read through a single-byte table; bytes it leaves undefined read as Latin-1."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def run_thresh(texts):
    """thresh's normalize step over each text; returns (outputs, set of indexes with encoding edits)."""
    outputs, edits = thresh_jsonl.run(texts, "normalize", ENCODING_RULES)
    return outputs, set(edits)


def ftfy_cases():
    cases = json.load(open(os.path.join(ROOT, "tests", "fixtures", "ftfy", "test_cases.json"), encoding="utf-8"))
    cases = [c for c in cases if c["expect"] == "pass"]
    originals = [c["original"] for c in cases]
    expected = [c.get("fixed-encoding", c["fixed"]) for c in cases]
    outs, edited = run_thresh(originals + expected)
    n = len(cases)
    repaired = sum(outs[i] == outs[n + i] for i in range(n))
    # Clean: ftfy changes nothing, neither its encoding repair nor its whole fix_text (which also
    # decodes entities: `10Î&frac14;s` is mojibake once `&frac14;` is read).
    clean = [i for i in range(n) if originals[i] == expected[i] == cases[i]["fixed"]]
    untouched = sum(i not in edited for i in clean)
    print(f"ftfy's public cases: {repaired}/{n} repaired as ftfy repairs them; clean cases untouched {untouched}/{len(clean)}")
    for i in range(n):
        if outs[i] != outs[n + i]:
            print(f"  miss: {originals[i][:60]!r} -> {outs[i][:60]!r}, ftfy {expected[i][:60]!r}")


def real_lines(limit_per_locale=40):
    lines = []
    gold = sorted(glob.glob(os.path.join(DEV, "gold", "*", "*.txt")))
    if gold:
        for path in gold:
            for line in open(path, encoding="utf-8", errors="replace"):
                line = line.strip()
                if len(line) >= 20 and not line.isascii() and "\ufffd" not in line:
                    lines.append(("web", line))
    else:
        print("(../shared/dev-data is not here: web text left out)")
    mos = sorted(glob.glob("/usr/share/locale/*/LC_MESSAGES/*.mo"))
    if not mos:
        print("(no gettext catalogues under /usr/share/locale: translations left out)")
    by_locale = {}
    for path in mos:
        locale = path.split("/")[4]
        if locale.startswith("en"):
            continue
        try:
            with open(path, "rb") as f:
                cat = gettext.GNUTranslations(f)._catalog
        except Exception:
            continue
        for v in cat.values():
            for line in str(v).split("\n"):
                line = line.strip()
                if len(line) >= 20 and not line.isascii() and "\ufffd" not in line:
                    by_locale.setdefault(locale, set()).add(line)
    rng = random.Random(19)
    for locale in sorted(by_locale):
        pool = sorted(by_locale[locale])
        rng.shuffle(pool)
        lines += [("gettext:" + locale, l) for l in pool[:limit_per_locale]]
    seen, out = set(), []
    for src, l in lines:
        if l not in seen:
            seen.add(l)
            out.append((src, l))
    return out


def half(line):
    return "tune" if hashlib.sha1(line.encode()).digest()[0] % 2 == 0 else "check"


def held_out():
    lines = real_lines()
    texts = [l for _, l in lines]
    kinds = {}
    for i, t in enumerate(texts):
        codec = "latin-1" if i % 2 == 0 else "cp1252"
        kinds.setdefault("latin-1/windows-1252", []).append((i, sloppy_decode(t.encode("utf-8"), codec)))
    for codec, name in [("cp1250", "windows-1250"), ("cp1251", "windows-1251"), ("mac_roman", "macroman")]:
        for i, t in enumerate(texts):
            try:
                t.encode(codec)  # the text could have been written in that table's world
            except UnicodeEncodeError:
                continue
            kinds.setdefault(name, []).append((i, sloppy_decode(t.encode("utf-8"), codec)))
    all_bad = [b for k in kinds.values() for _, b in k]
    outs, edited = run_thresh(texts + all_bad)
    clean_out = outs[: len(texts)]
    n_web = sum(1 for s, _ in lines if s == "web")
    print(f"\nheld-out real lines: {len(texts)} ({n_web} web, {len(texts) - n_web} translations in "
          f"{len({s for s, _ in lines if s != 'web'})} locales)")
    for part in ("tune", "check"):
        idx = [i for i, t in enumerate(texts) if half(t) == part]
        touched = sum(i in edited for i in idx)
        print(f"  {part}: clean lines with an encoding edit: {touched}/{len(idx)}")
    examples = [texts[i] for i in sorted(edited) if i < len(texts)][:10]
    for e in examples:
        print(f"    touched: {e[:80]!r}")
    at = len(texts)
    for name, pairs in kinds.items():
        res = {"tune": [0, 0], "check": [0, 0]}
        misses = []
        for k, (i, bad) in enumerate(pairs):
            ok = outs[at + k] == clean_out[i]
            r = res[half(texts[i])]
            r[0] += ok
            r[1] += 1
            if not ok and len(misses) < 5:
                misses.append((bad[:60], outs[at + k][:60]))
        at += len(pairs)
        figs = ", ".join(f"{p} {r[0]}/{r[1]} = {r[0] / max(r[1], 1):.4f}" for p, r in res.items())
        tot = sum(r[0] for r in res.values()) / max(sum(r[1] for r in res.values()), 1)
        print(f"  restored, {name}: {tot:.4f} ({figs})")
        for b, o in misses:
            print(f"    miss: {b!r} -> {o!r}")
    return texts, kinds


def peers(texts, kinds):
    try:
        import ftfy
        import plsfix
    except ImportError:
        print("\n(pip install ftfy plsfix to see the peers on the same lines)")
        return
    print("\npeers on the same lines (their fix_encoding / fix_text, compared with what each makes of the clean line):")
    for name, fix in [("ftfy", lambda s: ftfy.fix_encoding(s)), ("plsfix", lambda s: plsfix.fix_text(s))]:
        clean = [fix(t) for t in texts]
        changed = sum(c != t for c, t in zip(clean, texts))
        # plsfix's Python package takes no config: its fix_text also straightens quotes and the
        # like, so its count of changed lines says nothing about its encoding repair.
        row = [f"{name}: clean lines changed {changed}/{len(texts)}" if name == "ftfy" else name]
        for kind, pairs in kinds.items():
            ok = sum(fix(b) == clean[i] for i, b in pairs)
            row.append(f"{kind} {ok / len(pairs):.4f}")
        print("  " + "; ".join(row))


if __name__ == "__main__":
    if not os.path.exists(THRESH):
        sys.exit("build first: cargo build --release")
    ftfy_cases()
    texts, kinds = held_out()
    peers(texts, kinds)
