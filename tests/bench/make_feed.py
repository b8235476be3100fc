#!/usr/bin/env python3
"""Write an RSS 2.0 feed of N Vietnamese items for benchmarks: make_feed.py N OUT.xml.
Bodies are built from the provincial sample article in tests/data, so page counts and glyph
mixes are realistic."""
import os
import sys
from email.utils import formatdate
from xml.sax.saxutils import escape

n = int(sys.argv[1])
out = sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "data", "seed-article.txt"), encoding="utf-8") as f:
    paras = [p.strip() for p in f.read().split("\n") if p.strip()]
with open(os.path.join(here, "..", "data", "vi_samples.txt"), encoding="utf-8") as f:
    titles = [t.strip() for t in f if t.strip()]

base = 1795742100  # 2026-11-27 08:15 +07
items = []
for i in range(n):
    body = "".join("<p>%s</p>" % escape(paras[(i + k) % len(paras)]) for k in range(2 + i % 5))
    items.append(
        "<item><title>%s (số %d)</title><link>https://example.gov.vn/tin/%d/</link>"
        "<guid isPermaLink=\"false\">bench-%d</guid><pubDate>%s</pubDate>"
        "<content:encoded><![CDATA[%s]]></content:encoded></item>"
        % (escape(titles[i % len(titles)]), i + 1, i, i,
           formatdate(base - i * 3600, usegmt=True), body))
with open(out, "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<title>Bench</title><link>https://example.gov.vn/</link>%s</channel></rss>\n"
            % "".join(items))
