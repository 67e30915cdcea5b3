#!/usr/bin/env python3
"""Copies each snippet region of docs/src/test into the code block that follows its marker.

The pages (docs/guide/*.md and README.md) show code as a fenced block after a line
`<!-- snippet: name -->`; the code itself lives in docs/src/test, between `// snippet: name` and
`// end snippet`, where it is compiled and run. PagesTest fails when a page and its region differ;
this rewrites the pages' blocks from the regions (a marker followed by an empty fence is filled).

    python3 docs/tools/sync_snippets.py
"""
import pathlib
import re

DOCS = pathlib.Path(__file__).resolve().parent.parent
START = re.compile(r"^\s*// snippet: ([\w-]+)\s*$")
END = re.compile(r"^\s*// end snippet\s*$")
MARKER = re.compile(r"^<!-- snippet: ([\w-]+) -->$")


def regions():
    found = {}
    for source in sorted(list(DOCS.glob("src/test/**/*.java")) + list(DOCS.glob("src/test/**/*.kt"))):
        lines = source.read_text().split("\n")
        i = 0
        while i < len(lines):
            m = START.match(lines[i])
            if m:
                j = i + 1
                while not END.match(lines[j]):
                    j += 1
                body = lines[i + 1:j]
                indent = min((len(l) - len(l.lstrip()) for l in body if l.strip()), default=0)
                found[m.group(1)] = ("kotlin" if source.suffix == ".kt" else "java",
                                     [l[indent:] if l.strip() else "" for l in body])
                i = j
            i += 1
    return found


def sync(page, found):
    lines = page.read_text().split("\n")
    out = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        m = MARKER.match(lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            lang, body = found[m.group(1)]
            j = i + 2
            while not lines[j].startswith("```"):
                j += 1
            out.append("```" + lang)
            out.extend(body)
            out.append("```")
            i = j
        i += 1
    page.write_text("\n".join(out))


if __name__ == "__main__":
    found = regions()
    for page in sorted(DOCS.glob("guide/*.md")) + [DOCS.parent / "README.md"]:
        sync(page, found)
