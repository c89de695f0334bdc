#!/usr/bin/env python3
"""The Spark job's equivalence test, run by .ci/run after the Rust tests: the labelled dedup
pages (tests/fixtures/dedup) as one JSON Lines file per site, signed in three shards by
`thresh sign`; the clusters of `contrib/spark/thresh_cluster.py` in local[2] mode must be those
of `thresh cluster` over the same files, record for record, and both those of one
`thresh dedup --passages off` run over the whole corpus (cluster by cluster).

usage: python3 contrib/spark/test_spark.py THRESH_BINARY   (with pyspark, pyarrow and pandas)
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def clusters_as_set(path):
    out = set()
    for line in open(path, encoding="utf-8"):
        c = json.loads(line)
        members = tuple(sorted((m["doc"], m["measure"], m["similarity"]) for m in c["members"]))
        out.add((c["kept"], members))
    return out


def main():
    thresh = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        pages = os.path.join(tmp, "pages")
        os.makedirs(pages)
        by_site = collections.defaultdict(list)
        for line in open(os.path.join(ROOT, "tests/fixtures/dedup/labelled.jsonl"), encoding="utf-8"):
            by_site[json.loads(line)["url"].split("/")[2]].append(line)
        for host, lines in by_site.items():
            with open(os.path.join(pages, f"{host}.jsonl"), "w", encoding="utf-8") as f:
                f.writelines(lines)
        run = lambda *args: subprocess.run([thresh, *args, "-q"], check=True, cwd=tmp)
        for i in range(3):
            run("sign", "pages", "--out", "sigs", "--shard", f"{i}/3")
        run("cluster", "sigs", "--out", "thresh.jsonl")
        run("dedup", "pages", "--report", "one", "--passages", "off")
        subprocess.run([sys.executable, os.path.join(HERE, "thresh_cluster.py"), "--master", "local[2]",
                        "--thresh", thresh, "--out", os.path.join(tmp, "spark.jsonl"),
                        os.path.join(tmp, "sigs")], check=True)
        ours = [json.loads(l) for l in open(os.path.join(tmp, "thresh.jsonl"), encoding="utf-8")]
        spark = [json.loads(l) for l in open(os.path.join(tmp, "spark.jsonl"), encoding="utf-8")]
        assert len(ours) >= 20, len(ours)
        assert spark == ours, "the Spark job's clusters are not thresh cluster's"
        one = clusters_as_set(os.path.join(tmp, "one", "clusters.jsonl"))
        assert clusters_as_set(os.path.join(tmp, "spark.jsonl")) == one, "not the clusters of one run"
        print(f"spark: {len(spark)} clusters, the same as thresh cluster's and one run's")


if __name__ == "__main__":
    main()
