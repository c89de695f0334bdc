#!/usr/bin/env python3
"""Does this build write what another build writes? For changes that must not change behaviour
(a refactor): both builds run the same commands on the same inputs, at -j 1 and -j 2, and every
output file, report file, standard output, standard error and exit status is compared byte for
byte. Only timings may differ (`stage_seconds` values, `wall_seconds`, `seconds`) and the output
folders' own paths.

usage:
  python3 scripts/same_output.py OTHER_BIN CORPUS...

CORPUS: folders or files, as `thresh clean` takes them; say a mixed folder of text files and
.jsonl.zst / .jsonl.gz shards, `samples/` and `tests/fixtures/`. The runs: clean (default, with
`--spun drop --passages drop`, `--skip dedup`, `--steps dedup`, `--steps normalize,dedup`), dedup
(default and `--steps normalize,dedup --passages drop`), a dry run, and diff of the first two
corpora. Prints the files that differ; exits 1 if any do.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THIS = os.path.join(ROOT, "target", "release", "thresh")


def runs(corpora):
    inputs = list(corpora)
    yield "clean", ["clean", *inputs], True
    yield "clean-drop", ["clean", *inputs, "--spun", "drop", "--passages", "drop"], True
    yield "clean-skip-dedup", ["clean", *inputs, "--skip", "dedup"], True
    yield "clean-steps-dedup", ["clean", *inputs, "--steps", "dedup"], True
    yield "clean-normalize-dedup", ["clean", *inputs, "--steps", "normalize,dedup"], True
    yield "dedup", ["dedup", *inputs], True
    yield "dedup-normalize-drop", ["dedup", *inputs, "--steps", "normalize,dedup", "--passages", "drop"], True
    yield "dry-run", ["clean", *inputs, "--dry-run"], False
    if len(inputs) >= 2:
        yield "diff", ["diff", inputs[0], inputs[1], "--json"], False


def run_all(binary, corpora, out):
    os.makedirs(out)
    for name, args, writes in runs(corpora):
        for threads in (1, 2):
            tag = f"{name}-j{threads}"
            extra = ["-j", str(threads)]
            if writes:
                extra += ["--out", os.path.join(out, tag + ".out"), "--report", os.path.join(out, tag + ".report")]
            done = subprocess.run([binary, *args, *extra], capture_output=True)
            for stream, data in (("stdout", done.stdout), ("stderr", done.stderr), ("status", str(done.returncode).encode())):
                with open(os.path.join(out, f"{tag}.{stream}"), "wb") as f:
                    f.write(data)


def normalized(path, data, roots):
    for root in roots:
        data = data.replace(root.encode(), b"ROOT")
    if os.path.basename(path) == "summary.json":
        summary = json.loads(data)
        summary["stage_seconds"] = sorted(summary.get("stage_seconds", {}))
        for key in ("wall_seconds", "seconds"):
            summary.pop(key, None)
        for side in ("old", "new"):
            if isinstance(summary.get(side), dict):
                summary[side].pop("seconds", None)
        return json.dumps(summary, sort_keys=True).encode()
    return data


def files(top):
    return {os.path.relpath(os.path.join(d, f), top) for d, _, fs in os.walk(top) for f in fs}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    other, corpora = os.path.abspath(sys.argv[1]), [os.path.abspath(c) for c in sys.argv[2:]]
    tmp = tempfile.mkdtemp()
    try:
        a, b = os.path.join(tmp, "this"), os.path.join(tmp, "other")
        run_all(THIS, corpora, a)
        run_all(other, corpora, b)
        names_a, names_b = files(a), files(b)
        differ = sorted(names_a ^ names_b)
        for rel in sorted(names_a & names_b):
            with open(os.path.join(a, rel), "rb") as fa, open(os.path.join(b, rel), "rb") as fb:
                if normalized(rel, fa.read(), [a, b]) != normalized(rel, fb.read(), [a, b]):
                    differ.append(rel)
        for rel in differ:
            print("differs:", rel)
        print(f"{len(names_a | names_b)} files compared, {len(differ)} differ")
        sys.exit(1 if differ else 0)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
