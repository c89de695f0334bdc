"""Run the built thresh over a list of texts, one JSON Lines record each, for the evaluation
scripts: what it made of each text, and the edits of the rules asked for, by text."""
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THRESH = os.path.join(ROOT, "target", "release", "thresh")


def _clean(texts, steps, tmp):
    """Run `thresh clean` over the texts in `tmp`; returns (outputs, report folder): outputs[i] is
    thresh's text for texts[i]."""
    src = os.path.join(tmp, "in.jsonl")
    with open(src, "w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n")
    out, rep = os.path.join(tmp, "out"), os.path.join(tmp, "rep")
    subprocess.run([THRESH, "clean", src, "--out", out, "--report", rep, "--steps", steps, "-q"], check=True)
    outputs = [None] * len(texts)
    with open(os.path.join(out, "in.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            outputs[int(r["id"])] = r["text"]
    return outputs, rep


def run(texts, steps, rules):
    """(outputs, edits): outputs[i] is thresh's text for texts[i]; edits maps i to the `before`
    of each edit made to it by one of `rules`."""
    with tempfile.TemporaryDirectory() as tmp:
        outputs, rep = _clean(texts, steps, tmp)
        edits = {}
        with open(os.path.join(rep, "edits.jsonl"), encoding="utf-8") as f:
            for line in f:
                e = json.loads(line)
                if e["rule"] in rules:
                    edits.setdefault(int(e["doc"]), []).append(e["before"])
        return outputs, edits


def run_documents(texts, steps):
    """(outputs, documents): documents[i] is the `documents.jsonl` record of texts[i]."""
    with tempfile.TemporaryDirectory() as tmp:
        outputs, rep = _clean(texts, steps, tmp)
        documents = [None] * len(texts)
        with open(os.path.join(rep, "documents.jsonl"), encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                documents[int(d["id"].rsplit(":", 1)[-1])] = d
        return outputs, documents
