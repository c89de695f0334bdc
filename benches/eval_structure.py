#!/usr/bin/env python3
"""Does cleaning leave the structure of real Markdown alone? Over the README files of the crates in
the local cargo registry (~/.cargo/registry/src; real Markdown nobody on the project wrote), counts the
code-block lines (fenced, and indented after a blank line) and table lines (pipe rows) that come out
of `thresh clean` byte for byte, in order.

    cargo build --release && python3 benches/eval_structure.py [--min 200] [--show 5]

A handful of these READMEs, with their licences, are fixtures of `tests/structure.rs`, which runs
the same check in the default test run.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESH = os.path.join(ROOT, "target", "release", "thresh")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TABLE = re.compile(r"^\s*\|.*\|\s*$")


def structure_lines(text):
    """The lines of code blocks and tables, in order, as (kind, line)."""
    out = []
    lines = text.split("\n")
    fence = None
    prev_blank = True
    in_indented = False
    for line in lines:
        m = FENCE.match(line)
        if fence:
            out.append(("code", line))
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and line.strip() == m.group(1):
                fence = None
            prev_blank = False
            continue
        if m:
            fence = m.group(1)
            out.append(("code", line))
            prev_blank = False
            continue
        if line.strip() == "":
            prev_blank = True
            continue
        if line.startswith("    ") and (prev_blank or in_indented) and not re.match(r"^\s*([-*+]|\d+[.)])\s", line):
            in_indented = True
            out.append(("code", line))
            continue
        in_indented = False
        if TABLE.match(line):
            out.append(("table", line))
        prev_blank = False
    return out


def in_order(wanted, text):
    """How many of the wanted lines appear as whole lines of text, in order (greedy)."""
    lines = text.split("\n")
    found, at = 0, 0
    missing = []
    for kind, w in wanted:
        try:
            at = lines.index(w, at) + 1
            found += 1
        except ValueError:
            missing.append((kind, w))
    return found, missing


def readmes():
    by_crate = {}
    for path in sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/*/README.md"))):
        crate_dir = os.path.basename(os.path.dirname(path))
        name = re.sub(r"-\d+\.\d+\.\d+.*$", "", crate_dir)
        by_crate[name] = path  # sorted: the last is the highest version
    return by_crate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min", type=int, default=200, help="fail unless at least this many READMEs are found")
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args()
    if not os.path.exists(THRESH):
        sys.exit("build first: cargo build --release")
    found = readmes()
    if len(found) < args.min:
        print(f"only {len(found)} crate READMEs under ~/.cargo/registry/src (run `cargo fetch` or a build first)")
    tmp = tempfile.mkdtemp()
    try:
        src = os.path.join(tmp, "in")
        os.makedirs(src)
        for name, path in found.items():
            shutil.copy(path, os.path.join(src, name + ".md"))
        out, rep = os.path.join(tmp, "out"), os.path.join(tmp, "rep")
        subprocess.run([THRESH, "clean", src, "--out", out, "--report", rep, "-q"], check=False)
        # A README that is a near-copy of another (one crate's README shipped by its sibling) is
        # left out as a duplicate: its cluster keeps the other copy, so it is not checked here.
        duplicates = set()
        with open(os.path.join(rep, "documents.jsonl"), encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d["status"] == "duplicate":
                    duplicates.add(d["id"][: -len(".md")])
        total = kept = intact = with_structure = 0
        by_kind = {"code": [0, 0], "table": [0, 0]}
        failures = []
        for name in found:
            if name in duplicates:
                continue
            text = open(os.path.join(src, name + ".md"), encoding="utf-8", errors="replace").read()
            wanted = structure_lines(text.replace("\r\n", "\n"))
            if not wanted:
                continue
            with_structure += 1
            outp = os.path.join(out, name + ".md")
            cleaned = open(outp, encoding="utf-8").read() if os.path.exists(outp) else ""
            n, missing = in_order(wanted, cleaned)
            total += len(wanted)
            kept += n
            for kind, _ in wanted:
                by_kind[kind][1] += 1
            for kind, _ in missing:
                by_kind[kind][0] += 1
            if missing:
                failures.append((name, missing))
            else:
                intact += 1
        print(f"crate READMEs: {len(found)} ({len(duplicates)} left out as duplicates of another),"
              f" with code blocks or tables: {with_structure}")
        print(f"structure lines kept byte for byte: {kept}/{total}"
              f" (code {by_kind['code'][1] - by_kind['code'][0]}/{by_kind['code'][1]},"
              f" tables {by_kind['table'][1] - by_kind['table'][0]}/{by_kind['table'][1]});"
              f" READMEs intact: {intact}/{with_structure}")
        for name, missing in failures[: args.show]:
            print(f"  {name}: {len(missing)} lines changed or lost, e.g. {missing[0][0]} {missing[0][1][:90]!r}")
        return 0 if not failures else 1
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    sys.exit(main())
