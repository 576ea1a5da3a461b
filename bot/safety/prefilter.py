"""A cheap first pass over many regexes: which of them could possibly match a text.

Each pattern is parsed once, with the standard library's own regex parser, into a set of
literal strings of which every match must contain at least one (a match of
``\\b(?:took|swallowed) (?:\\w+ )?pills\\b`` contains "pills"). One combined search then finds
which of those strings a text holds, and only the patterns with one of them present need to
run. A pattern whose strings cannot be worked out always runs, so the prefilter never changes
a result, only how much work the regexes do.
"""

from __future__ import annotations

import importlib
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# The parser behind `re.compile`; private, so anything unexpected means "no literals known".
try:
    _PARSER: Any = importlib.import_module("re._parser")
    _OPS: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - every supported Python has them
    _PARSER = _OPS = None

# Alternatives are spelled out up to this many strings ("can't|cannot" x "go on|keep going").
_CAP = 64
_FEW = 8
_MAX_RANGE = 16
_LONG = 6
_NOTHING: tuple[frozenset[str] | None, frozenset[str] | None] = (None, None)

Literals = frozenset[str]


def _minimal(strings: Iterable[str]) -> Literals:
    """Drop every string that contains another: it adds nothing to "one of these is present"."""
    kept: list[str] = []
    for s in sorted(set(strings), key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _better(a: Literals, b: Literals | None) -> bool:
    """Whether `a` is the more selective requirement: longer shortest string, then fewer.

    Past a few characters length hardly matters ("overdos" is as rare as "overdose"), while
    every extra string makes the combined search bigger.
    """
    if b is None:
        return True
    return (min(_LONG, *map(len, a)), -len(a)) > (min(_LONG, *map(len, b)), -len(b))


def _sequence(items: Iterable[tuple[Any, Any]]) -> tuple[Literals | None, Literals | None]:
    """(every string the sequence can match if few, else None; a required set, or None)."""
    required: Literals | None = None
    # The literal text just before this point, spelled out: in full while it stays within
    # _CAP strings, and restarted at _FEW, which finds short requirements inside long runs
    # ("thinking about " rather than 48 ways to go on).
    runs: dict[int, set[str]] = {_CAP: {""}, _FEW: {""}}
    exact = True

    def close(strings: set[str]) -> None:
        nonlocal required
        if strings and "" not in strings and _better(frozenset(strings), required):
            required = frozenset(strings)

    for op, av in getattr(items, "data", items):  # a parsed SubPattern keeps its list in .data
        if op in (_OPS.AT, _OPS.ASSERT, _OPS.ASSERT_NOT):
            continue  # zero-width: consumes nothing, so the literal run goes on
        if op is _OPS.LITERAL:  # the common case, made quick
            char = chr(av)
            for cap, run in runs.items():
                runs[cap] = {s + char for s in run}
            continue
        strings, needed = _item(op, av)
        if strings is not None:
            close(set(strings))  # the element alone may be the better requirement
            for cap, run in runs.items():
                if len(run) * len(strings) <= cap:
                    runs[cap] = {a + b for a in run for b in strings}
                else:
                    close(run)
                    runs[cap] = set(strings)
                    exact = exact and cap != _CAP
            continue
        exact = False
        for cap, run in runs.items():
            close(run)
            runs[cap] = {""}
        if needed is not None and _better(needed, required):
            required = needed
    whole = frozenset(runs[_CAP]) if exact else None
    for run in runs.values():
        close(run)
    return whole, required


def _item(op: Any, av: Any) -> tuple[Literals | None, Literals | None]:
    """(exact strings, required set) of one parsed element."""
    if op is _OPS.LITERAL:
        return frozenset({chr(av)}), None
    if op is _OPS.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _OPS.LITERAL:
                chars.add(chr(value))
            elif kind is _OPS.RANGE and value[1] - value[0] < _MAX_RANGE:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return _NOTHING  # negated sets, categories, wide ranges
        return frozenset(chars), None
    if op is _OPS.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return _NOTHING if add_flags or del_flags else _sequence(sub)
    if op is _OPS.ATOMIC_GROUP:
        return _sequence(av)
    if op is _OPS.BRANCH:
        return _branch(av[1])
    if op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT, _OPS.POSSESSIVE_REPEAT):
        return _repeat(*av)
    return _NOTHING


def _branch(branches: Sequence[Any]) -> tuple[Literals | None, Literals | None]:
    parts = [_sequence(b) for b in branches]
    exacts = [e for e, _ in parts]
    if all(e is not None for e in exacts) and sum(len(e or ()) for e in exacts) <= _CAP:
        return frozenset().union(*(e or () for e in exacts)), None
    needed: list[Literals] = []
    for strings, required in parts:
        best = required
        if strings is not None and "" not in strings and _better(strings, best):
            best = strings
        if best is None:
            return _NOTHING  # one alternative needs nothing, so the whole needs nothing
        needed.append(best)
    return None, frozenset(itertools.chain.from_iterable(needed))


def _repeat(low: int, high: int, sub: Any) -> tuple[Literals | None, Literals | None]:
    strings, required = _sequence(sub)
    if strings is not None and high <= 2:  # noqa: PLR2004 - "?", "{0,2}": spell them out
        out: set[str] = set()
        for n in range(low, high + 1):
            out.update("".join(p) for p in itertools.product(sorted(strings), repeat=n))
        if len(out) <= _CAP:
            return frozenset(out), None
    if low < 1:
        return _NOTHING
    if strings is not None and "" not in strings:
        return None, strings
    return None, required


def required_literals(pattern: str) -> Literals | None:
    """Strings of which every match of `pattern` contains one, or None when unknown.

    Only patterns compiled without flags are understood (the texts are lower-cased first).
    """
    if _PARSER is None:
        return None
    try:
        parsed = _PARSER.parse(pattern)
        if parsed.state.flags & ~(re.UNICODE | re.NOFLAG):
            return None  # an inline (?i) or (?x) changes what a literal means
        return _literals(parsed)
    except Exception:  # the private parser changed: fall back to "always run"
        return None


def _literals(parsed: Any) -> Literals | None:
    strings, required = _sequence(parsed)
    if strings is not None and "" not in strings and _better(strings, required):
        required = strings
    return None if required is None else _minimal(required)


def _trie_pattern(strings: Iterable[str]) -> str:
    """One regex matching, at a position, the longest of `strings` that starts there."""
    trie: dict[str, Any] = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        kids = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not kids:
            return ""
        body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class Prefilter:
    """Which of `patterns` can match a text: those that need nothing, or whose literal is there."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.size = len(patterns)
        by_string: dict[str, set[int]] = {}
        always: set[int] = set()
        for index, pattern in enumerate(patterns):
            found = required_literals(pattern)
            if found is None:
                always.add(index)
                continue
            for s in found:
                by_string.setdefault(s, set()).add(index)
        self.always = frozenset(always)
        # The search reports the longest string starting at each position; the shorter ones
        # starting there are its prefixes, so each string stands for its prefixes too.
        self._reach: dict[str, frozenset[int]] = {}
        for s in by_string:
            indices = set(always)
            for end in range(1, len(s) + 1):
                indices |= by_string.get(s[:end], set())
            self._reach[s] = frozenset(indices)
        trie = _trie_pattern(by_string)
        self._search = re.compile(f"(?=({trie}))") if trie else None

    def candidates(self, text: str) -> list[int]:
        """Indices, in order, of the patterns that may match `text`; the others cannot."""
        if self._search is None:
            return sorted(self.always)
        found = {m.group(1) for m in self._search.finditer(text)}
        if not found:
            return sorted(self.always)
        indices = set(self.always)
        for s in found:
            indices |= self._reach[s]
        return sorted(indices)


def top_level_parts(pattern: str) -> list[str]:
    """`pattern` cut at each ``|`` outside groups and character sets ("a|(b|c)" -> a, (b|c))."""
    parts: list[str] = []
    depth = start = 0
    set_start = -1  # where the character set we are in begins, or -1
    escaped = False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif set_start >= 0:
            # "]" right after "[" or "[^" is a literal, not the end of the set.
            first = set_start + 1 + (pattern[set_start + 1 : set_start + 2] == "^")
            if ch == "]" and i > first:
                set_start = -1
        elif ch == "[":
            set_start = i
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


class Alternation:
    """The matches of one big ``a|b|c`` regex, found by running only the parts that can match.

    `spans` gives exactly what ``[m.span() for m in re.compile(pattern).finditer(text)]``
    gives: at each position the first part (in order) that matches there wins, and the search
    goes on after its match. A part none of whose literals is in the text cannot match
    anywhere, so leaving it out changes nothing.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)
        parts = top_level_parts(pattern)
        self._parts = [re.compile(part) for part in parts]
        self._prefilter = Prefilter(parts)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) of every match, left to right, as `finditer` would give them."""
        indices = self._prefilter.candidates(text)
        if len(indices) == 1:
            return [m.span() for m in self._parts[indices[0]].finditer(text)]
        pending = {i: self._parts[i].search(text) for i in indices}
        out: list[tuple[int, int]] = []
        while True:
            live = [(m.start(), i) for i, m in pending.items() if m is not None]
            if not live:
                return out
            _, first = min(live)
            match = pending[first]
            assert match is not None  # noqa: S101 - it is in `live`
            if match.end() == match.start():
                # Empty matches follow finditer's own stepping rules: let it do the work.
                return [m.span() for m in self.pattern.finditer(text)]
            out.append(match.span())
            end = match.end()
            for i, m in pending.items():
                if m is not None and m.start() < end:
                    pending[i] = self._parts[i].search(text, end)


def any_of(strings: Iterable[str]) -> re.Pattern[str]:
    """A search for whether a text holds any of `strings`: one pass of a trie of them, where
    ``any(s in text for s in strings)`` makes a pass per string."""
    return re.compile(_trie_pattern(_minimal(strings)))


class Gated:
    """A compiled regex that first makes sure the text holds one of the strings every match
    contains (one quick search of a trie of them), and otherwise answers "no match" at once.
    Results are the regex's own; only the work differs. A regex whose strings cannot be
    worked out simply runs.
    """

    __slots__ = ("_folded", "_probe", "regex")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self._probe, self._folded = _probe(self.regex)

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def _absent(self, text: str, pos: int, endpos: int) -> bool:
        probe = self._probe
        if probe is None:
            return False
        if not self._folded:
            return probe.search(text, pos, endpos) is None
        if pos or endpos < len(text):
            return probe.search(fold(text[pos:endpos])) is None
        return probe.search(_folded(text)) is None

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._absent(text, pos, endpos) else self.regex.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._absent(text, pos, endpos) else self.regex.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._absent(text, pos, endpos):
            return None
        return self.regex.fullmatch(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if self._absent(text, pos, endpos):
            return iter(())
        return self.regex.finditer(text, pos, endpos)


def fold(text: str) -> str:
    """`text` case-folded so that whatever a case-insensitive regex's literal matches holds
    the literal's own fold: `casefold`, with the Turkish dotless and dotted i made plain
    ("i" matches U+0131 and U+0130 case-insensitively, but folds to neither)."""
    return text.casefold().replace("\u0131", "i").replace("i\u0307", "i")


# The last text folded, and its fold: the case-insensitive regexes of one message share it.
_last_fold: tuple[str, str] = ("", "")


def _folded(text: str) -> str:
    global _last_fold  # noqa: PLW0603 - a one-entry cache, swapped whole (thread-safe)
    last = _last_fold
    if last[0] is text:
        return last[1]
    folded = fold(text)
    _last_fold = (text, folded)
    return folded


def _drop_scoped_flags(items: Any) -> bool:
    """Clear, in place, the flags of every group of a parsed regex that has its own; whether
    any had."""
    found = False
    data = getattr(items, "data", items)  # a parsed SubPattern keeps its list in .data
    for index, (op, av) in enumerate(data):
        if op is _OPS.SUBPATTERN:
            group, add_flags, del_flags, sub = av
            found = found or bool(add_flags or del_flags)
            data[index] = (op, (group, 0, 0, sub))
            found = _drop_scoped_flags(sub) or found
        elif op is _OPS.BRANCH:
            for branch in av[1]:
                found = _drop_scoped_flags(branch) or found
        elif op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT, _OPS.POSSESSIVE_REPEAT):
            found = _drop_scoped_flags(av[2]) or found
        elif op is _OPS.ATOMIC_GROUP:
            found = _drop_scoped_flags(av) or found
    return found


def _probe(regex: re.Pattern[str]) -> tuple[re.Pattern[str] | None, bool]:
    """A search for the strings every match of `regex` contains (None when unknown), and
    whether it searches the folded text: a case-insensitive regex's literals are looked for,
    folded, in the folded text, which a plain search does several times faster than a
    case-insensitive one.

    Lookarounds consume nothing, so the strings lie inside the match: searching between the
    same `pos` and `endpos` is enough.
    """
    if _PARSER is None:
        return None, False
    try:
        parsed = _PARSER.parse(regex.pattern, regex.flags)
        # A group with its own flags ("(?i:regards)", "(?-i:[A-Z])") is read as if it had none,
        # and then every string is looked for folded in the folded text: whatever case a
        # match has, the folded text holds the fold of each string it contains.
        scoped = _drop_scoped_flags(parsed)
        found = _literals(parsed)
        folded = scoped or bool(parsed.state.flags & re.IGNORECASE)
    except Exception:  # the private parser changed: fall back to "always run"
        return None, False
    if found is None:
        return None, False
    if folded:
        found = _minimal(fold(s) for s in found)
    return re.compile(_trie_pattern(found), parsed.state.flags & re.ASCII), folded
