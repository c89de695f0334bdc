#!/usr/bin/env python3
"""The global step of thresh's dedup on Spark: what `thresh cluster` does in one process, for
corpora whose signatures do not fit one machine.

usage:
  spark-submit contrib/spark/thresh_cluster.py --thresh /path/to/thresh --out clusters.jsonl SIGNATURES...

SIGNATURES are `thresh sign` files (`signatures.parquet`, one per shard) or folders of them,
walked for *.parquet in name order, as `thresh cluster` takes them. The result is the clusters
file `thresh cluster` writes for the same files, record for record.

How (PySpark DataFrames only, no extra jar):
1. Each document gets a key from its file's place in the list and its `row`: the input order.
2. Its LSH band hashes are exploded; every bucket (band, hash) of two or more documents links each
   member to the bucket's smallest key (star edges).
3. Connected components of those edges, by the large-star / small-star iteration (Kiveris et
   al., "Connected Components in MapReduce and Beyond", 2014), until nothing changes.
4. Every candidate pair thresh would verify lies inside one component (a pair shares a bucket),
   so each component of two or more documents is clustered on an executor by `thresh cluster`
   itself, over just its documents, in key order: the same candidates, the same verification and
   the same kept copy as in one process. `--thresh` must be on every executor (a shared path, or
   shipped with `--files`).
5. Clusters are numbered by their kept document's key, as `thresh cluster` numbers them.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def signature_files(paths):
    out = []
    for path in paths:
        if os.path.isdir(path):
            for entry in sorted(os.listdir(path)):
                out.extend(signature_files([os.path.join(path, entry)]) if os.path.isdir(os.path.join(path, entry))
                           else ([os.path.join(path, entry)] if entry.endswith(".parquet") else []))
        else:
            out.append(path)
    return out


def components(edges):
    """Connected components of an undirected graph given as a DataFrame of edges (a, b) of
    longs: a DataFrame (node, component), the component being its smallest node."""
    from pyspark.sql import functions as F

    def normal(e):
        return (e.select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b"))
                .where("a != b").distinct())

    def neighbours(e):
        return e.select(F.col("a").alias("u"), F.col("b").alias("v")).union(
            e.select(F.col("b").alias("u"), F.col("a").alias("v")))

    def large_star(e):
        # Each node's larger neighbours are linked to the smallest of it and its neighbours.
        n = neighbours(e)
        m = n.groupBy("u").agg(F.least(F.min("v"), F.first("u")).alias("m"))
        return normal(n.join(m, "u").where("v > u").select(F.col("v").alias("a"), F.col("m").alias("b")))

    def small_star(e):
        # Each node and its smaller neighbours are linked to the smallest of them.
        n = neighbours(e).where("v < u")
        m = n.groupBy("u").agg(F.min("v").alias("m"))
        linked = n.join(m, "u").select(F.col("v").alias("a"), F.col("m").alias("b"))
        return normal(linked.union(m.select(F.col("u").alias("a"), F.col("m").alias("b"))))

    edges = normal(edges).localCheckpoint()
    while True:
        new = small_star(large_star(edges)).localCheckpoint()
        if new.exceptAll(edges).isEmpty() and edges.exceptAll(new).isEmpty():
            break
        edges = new
    # Converged: every component is a star around its smallest node.
    n = neighbours(edges)
    return n.groupBy("u").agg(F.least(F.min("v"), F.first("u")).alias("component")).select(
        F.col("u").alias("node"), "component")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("signatures", nargs="+")
    ap.add_argument("--out", required=True, help="the clusters file to write")
    ap.add_argument("--thresh", required=True, help="the thresh binary, on every executor")
    ap.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[2])")
    args = ap.parse_args()

    import pyarrow.parquet as pq
    from pyspark.sql import SparkSession, functions as F, types as T

    files = signature_files(args.signatures)
    if not files:
        sys.exit("no signature files (*.parquet) in the paths given")
    metadata = None
    for f in files:
        meta = {k.decode(): v.decode() for k, v in (pq.read_metadata(f).metadata or {}).items() if k.startswith(b"thresh.")}
        if "thresh.signature_format" not in meta:
            sys.exit(f"{f}: not a thresh signature file")
        params = {k: meta.get(k) for k in ("thresh.signature_format", "thresh.threshold", "thresh.bands", "thresh.rows")}
        if metadata is None:
            metadata = meta
        elif params != {k: metadata.get(k) for k in params}:
            sys.exit(f"{f}: made with {params}, the files before with other parameters")

    # Executors run this Python unless told otherwise: it has pyarrow and pandas.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("thresh cluster")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()

    # 1. Documents with their key: the file's place in the list, then the row.
    docs = None
    for n, f in enumerate(files):
        d = spark.read.parquet(f).withColumn("key", F.lit(n).cast("long") * F.lit(1 << 32) + F.col("row"))
        docs = d if docs is None else docs.unionByName(d)
    docs = docs.localCheckpoint()

    # 2. Star edges from every bucket to its smallest key.
    buckets = docs.select("key", F.posexplode("bands").alias("band", "hash"))
    smallest = buckets.groupBy("band", "hash").agg(F.min("key").alias("root"), F.count("*").alias("n")).where("n > 1")
    edges = buckets.join(smallest, ["band", "hash"]).select(F.col("root").alias("a"), F.col("key").alias("b")).where("a != b")

    # 3. Components.
    comp = components(edges)

    # 4. Each component of two or more documents clustered by thresh itself.
    members = docs.join(comp, docs.key == comp.node).drop("node")
    schema = T.StructType([T.StructField("kept_key", T.LongType()), T.StructField("record", T.StringType())])
    thresh, file_meta = args.thresh, {k.encode(): v.encode() for k, v in metadata.items()}

    def cluster_component(pdf):
        import pandas as pd
        import pyarrow as pa
        pdf = pdf.sort_values("key")
        table = pa.Table.from_pandas(
            pdf[["id", "row", "words", "exact", "signature", "bands", "sets"]], preserve_index=False)
        table = table.cast(pa.schema([
            pa.field("id", pa.string(), False), pa.field("row", pa.int64(), False),
            pa.field("words", pa.int64(), False), pa.field("exact", pa.binary(16), False),
            pa.field("signature", pa.binary(), False), pa.field("bands", pa.list_(pa.int64()), False),
            pa.field("sets", pa.binary(), False)])).replace_schema_metadata(file_meta)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "component.parquet")
            pq.write_table(table, path)
            out = os.path.join(tmp, "clusters.jsonl")
            subprocess.run([thresh, "cluster", path, "--out", out, "-q"], check=True)
            key_of = dict(zip(pdf["id"], pdf["key"]))
            rows = []
            for line in open(out, encoding="utf-8"):
                record = json.loads(line)
                rows.append((int(key_of[record["kept"]]), line.rstrip("\n")))
        return pd.DataFrame(rows, columns=["kept_key", "record"])

    counts = members.groupBy("component").count().where("count > 1")
    clustered = members.join(counts.select("component"), "component").groupBy("component").applyInPandas(
        cluster_component, schema)

    # 5. Numbered by the kept document's key, written by the driver as they stream in.
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for n, row in enumerate(clustered.orderBy("kept_key").toLocalIterator()):
            record = json.loads(row["record"])
            record["id"] = f"d{n + 1}"
            out.write(json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n")
    os.replace(tmp, args.out)
    spark.stop()


if __name__ == "__main__":
    main()
