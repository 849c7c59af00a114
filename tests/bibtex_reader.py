"""A strict reader of the BibTeX the site writes, for the citation tests: one entry, every field
value brace-balanced, and the escapes undone (written here independently of the site's table)."""

from __future__ import annotations

import re

BIBTEX_UNESCAPE = {r"\textbackslash{}": "\\", r"\textbraceleft{}": "{", r"\textbraceright{}": "}", r"\&": "&", r"\%": "%",
                   r"\$": "$", r"\#": "#", r"\_": "_", r"\textasciicircum{}": "^", r"\textasciitilde{}": "~"}


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A strict reader of one @type{key, name = {value}, ...} entry: every value brace-balanced."""
    head = re.match(r"@(\w+)\{([^,\s{}]+),\n", text)
    assert head, text
    fields, i = {}, head.end()
    while True:
        m = re.compile(r"\s*(\w+) = \{").match(text, i)
        if not m:
            break
        depth, j = 1, m.end()
        while depth:
            assert j < len(text), f"unbalanced braces in {m.group(1)}"
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        fields[m.group(1)] = text[m.end(): j - 1]
        i = j + 1 if text[j: j + 1] == "," else j
    assert text[i:].strip() == "}", text[i:]
    return head.group(1), head.group(2), fields


def unescape_bibtex(value: str) -> str:
    return re.sub("|".join(re.escape(k) for k in BIBTEX_UNESCAPE), lambda m: BIBTEX_UNESCAPE[m.group(0)], value)
