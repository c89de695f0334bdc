#!/usr/bin/env python3
"""Regenerate data/wordfreq-en.tsv from the wordfreq package (pip install wordfreq)."""
import os
import re

from wordfreq import top_n_list, zipf_frequency

out, seen = [], set()
for w in top_n_list("en", 400000, wordlist="large"):
    if re.fullmatch(r"[a-z]+(?:'[a-z]+)?", w) and w not in seen:
        seen.add(w)
        out.append(f"{w}\t{int(round(zipf_frequency(w, 'en', wordlist='large') * 100))}")
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wordfreq-en.tsv")
open(path, "w").write("\n".join(out) + "\n")
print(len(out), "words")
