#!/usr/bin/env python3
"""Regenerate data/stopwords.tsv from the wordfreq package (pip install wordfreq).

Stop words, as jusText uses them, are a language's most frequent words: prose is dense with them,
navigation, link lists and captions are not. For each language written with spaces between words,
the 150 most frequent words of wordfreq's list (Wikipedia, subtitles, news, books, web text), each
line `language<TAB>word`. The boilerplate stage picks a document's language as the list that covers
most of its words.
"""
import os
import re

from wordfreq import top_n_list

LANGUAGES = ["bg", "ca", "cs", "da", "de", "el", "en", "es", "fi", "fr", "hr", "hu", "id", "it",
             "lt", "lv", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "uk"]
TOP = 150
out = []
for lang in LANGUAGES:
    words = [w for w in top_n_list(lang, TOP * 2) if re.fullmatch(r"\w+(?:'\w+)?", w) and not w.isdigit()]
    out.extend(f"{lang}\t{w}" for w in words[:TOP])
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stopwords.tsv")
open(path, "w").write("# language\tword: the 150 most frequent words of each language in wordfreq 3.1\n" + "\n".join(out) + "\n")
print(len(out), "words,", len(LANGUAGES), "languages")
