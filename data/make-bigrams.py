#!/usr/bin/env python3
"""Regenerate data/bigrams-en.tsv from the wordsegment package (pip install wordsegment==1.3.1).

wordsegment ships the 286,358 most frequent word pairs of the Google Web Trillion Word Corpus as
Peter Norvig extracted them ("Natural Language Corpus Data", in Beautiful Data, 2009): each pair
seen at least 100,000 times in 1,024,908,267,229 words of English web text. Kept here: the pairs of
two lowercase words of letters, with their count (the list has some pairs twice, once for each
way the corpus capitalised them: their counts are added). The glue rule reads a count as how often the two
words stand side by side, against how often the glued string stands as a word of its own.
"""
import os
import re

import wordsegment

src = os.path.join(os.path.dirname(wordsegment.__file__), "bigrams.txt")
counts = {}
for line in open(src, encoding="utf-8"):
    pair, count = line.rstrip("\n").split("\t")
    if re.fullmatch(r"[a-z]+ [a-z]+", pair):
        counts[pair] = counts.get(pair, 0) + int(float(count))
out = [f"{pair}\t{count}" for pair, count in sorted(counts.items())]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bigrams-en.tsv")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
print(len(out), "pairs")
