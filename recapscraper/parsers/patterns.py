"""Regex fast paths shared by the grammars: gated case-insensitive patterns.

Python's ``re`` spends most of a search on positions where nothing can match. A
:class:`Gated` pattern first checks, with one C-level scan, that the text holds a word every
match must contain, then runs a lowercase, case-sensitive form of the pattern whose
``\\b``-led branches are grouped (:func:`factor_boundaries`). tests/test_parsers_speed.py
checks every gated pattern against its plain regex.
"""
from __future__ import annotations

import re

from .dates import word_trie


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex source (| outside groups and classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[i + 1:i + 2] == "^":
                i += 1
            if source[i + 1:i + 2] == "]":  # "[]...]": a literal "]" first
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts


def factor_boundaries(source: str) -> str:
    """r"\bA|\bB|X" -> r"\b(?:A|B)|X": the same matches, in the same order of preference.

    An alternation of \b-led branches makes the regex engine test the boundary and then
    one branch after the other at every position; one \b in front of a group of branches
    fails once where there is no boundary and then tries the group (3-4x faster here).
    Only neighbouring branches are grouped, so no branch is tried before another that
    came first.
    """
    out: list[str] = []
    run: list[str] = []
    for part in _alternatives(source) + [""]:
        if part.startswith("\\b") and part != "":
            run.append(part[2:])
            continue
        if len(run) > 1:
            out.append("\\b(?:" + "|".join(run) + ")")
        elif run:
            out.append("\\b" + run[0])
        run = []
        out.append(part)
    return "|".join(out[:-1])


class Gated:
    """A case-insensitive regex, run fast: behind a substring gate, on lowercased text.

    Python's ``re`` cannot skip ahead on a case-insensitive pattern that opens with ``\b``
    and an alternation: it tries every position, 10-20 µs per headline. So each marker
    (1) checks the lowercased text for a word that every match must contain (``keys``: a
    gate may let a non-matching text through, never stop a matching one) and (2) runs the
    pattern compiled without re.I over the lowercased text; its literals are lowercase, so
    this matches what re.I would. Match offsets are those of the original text (the rare
    text whose length changes when lowercased uses the re.I pattern); group texts come
    back lowercased. tests/test_parsers_speed.py checks both against the plain regexes.
    """

    __slots__ = ("pattern", "keys", "_gate", "_lower")  # _last is a class attribute

    def __init__(self, pattern: re.Pattern, keys: str, gate: str | None = None):
        self.pattern = pattern
        self.keys = tuple(keys.split("|"))
        # one C-level scan for any key; or a pattern that every match contains (lowercase)
        self._gate = re.compile(gate or word_trie(self.keys))
        self._lower = re.compile(factor_boundaries(pattern.pattern), pattern.flags & ~re.I)

    # The last text lowercased, shared by every instance: a headline is run through some
    # twenty of them in a row.
    _last: tuple[str, str] = ("", "")

    def _pick(self, text: str):
        last = Gated._last
        if last[0] is text:
            low = last[1]
        else:
            low = text.lower()
            Gated._last = (text, low)
        if self._gate.search(low) is None:
            return None, text
        return (self._lower, low) if len(low) == len(text) else (self.pattern, text)

    def may_match(self, text: str) -> bool:
        return self._gate.search(text.lower()) is not None

    def search(self, text: str):  # _pick() inlined: the hottest call of the headline grammar
        last = Gated._last
        if last[0] is text:
            low = last[1]
        else:
            low = text.lower()
            Gated._last = (text, low)
        if self._gate.search(low) is None:
            return None
        return self._lower.search(low) if len(low) == len(text) else self.pattern.search(text)

    def finditer(self, text: str):
        pattern, subject = self._pick(text)
        return pattern.finditer(subject) if pattern is not None else iter(())

    def findall(self, text: str):
        pattern, subject = self._pick(text)
        return pattern.findall(subject) if pattern is not None else []
