"""One pass over the attributes of a parsed page, shared by every role finder.

Role finders (article body, bylines, dates, tag links) used to run one regex per element
per role: tens of thousands of small ``re.search`` calls on a news page. :class:`PageIndex`
instead reads every ``class``/``id``/``itemprop``/``rel`` value with one XPath, joins them
(NUL between two values) into one lowercased text, finds each role's words in it with
``str.find`` (in C; words that share a substring such as "content" share its scan) and maps
the match offsets back to elements. Results are cached per word set.

"Is this element inside a sidebar / nav / card?" walks ancestors; each element's verdict
is memoised for the page and each class/id string's verdict for the process (sites reuse
their class names on every page).
"""
from __future__ import annotations

import re

from lxml import etree

# Elements that never hold article text.
DROP_TAGS = frozenset(("script", "style", "noscript", "template", "svg", "form", "iframe", "button",
                       "select", "nav", "aside", "footer", "object", "embed", "canvas", "video",
                       "audio"))
# class/id/role words of boilerplate containers (sidebars, related posts, comments, share bars...).
# Matched against single class/id tokens, so "tag-shogun" on an <article> is not "tags".
BOILERPLATE = re.compile(
    r"^(?:[a-z0-9]+[-_])*?(?:sidebar|widgets?|related|yarpp|recirc|more-stories|read-more|"
    r"readmore|also-read|also_read|comments?|comment-list|respond|disqus|share|sharing|social|"
    r"newsletter|subscribe|promo|advert|ads?|ad-slot|breadcrumbs?|menu|nav|navigation|"
    r"footer|masthead|site-header|trending|popular|most-read|outbrain|taboola|recommended|"
    r"recommendations|author-box|author-bio|tags-links|tag-list|tags|faq|toc|cookie|modal|"
    r"pagination|pager|rail|byline|entry-meta|post-meta|article-meta|caption|credit|"
    r"wp-caption-text|figcaption|kicker|eyebrow|dateline|timestamp|next-episode|upnext|"
    r"up-next|skip-link|screen-reader-text|sr-only|hidden|logo|site-title|site-branding)"
    r"(?:[-_](?:area|list|box|wrap|wrapper|container|section|block|links?|widget|module|"
    r"items?|inner|content|text|title|bar|col|column|\d+))*$",
    re.I,
)
# Tokens that describe the page, not the element (WordPress body/article classes).
NEUTRAL_PREFIX = ("has-", "no-", "tag-", "category-", "page-", "single", "with-", "is-",
                  "postid-", "format-", "type-", "status-", "hentry")
# class/id words of containers whose dates and bylines are not the article's.
NOISE = re.compile(r"sidebar|related|comment|footer|widget|recirc|trending|popular|most-read|"
                   r"teaser|promo|newsletter|faq|rail|card|list-item|read-more|also-read|"
                   r"more-stories|outbrain|taboola|nav|menu|ticker", re.I)
_NOISE_TAGS = frozenset(("aside", "nav", "footer"))
_STOP_TAGS = frozenset(("body", "html"))
# Every attribute value the role finders look at, in document order.
# ("//*/@class" selects what "//@class" does, about 15% faster: libxml2 then looks for
# attributes on elements only, not on every text node too.)
_ATTRS = etree.XPath("//*/@class|//*/@id|//*/@itemprop|//*/@rel")
# Verdicts per class/id string, shared across pages; cleared when it grows past this.
_CACHE_LIMIT = 50_000
_BOILER_CACHE: dict[str, bool] = {}
_NOISE_CACHE: dict[str, bool] = {}


def _boiler_string(attrs: str) -> bool:
    hit = _BOILER_CACHE.get(attrs)
    if hit is None:
        hit = False
        for token in attrs.split():
            if token.lower().startswith(NEUTRAL_PREFIX):
                continue
            if BOILERPLATE.match(token):
                hit = True
                break
        if len(_BOILER_CACHE) > _CACHE_LIMIT:
            _BOILER_CACHE.clear()
        _BOILER_CACHE[attrs] = hit
    return hit


def boiler_attrs(el) -> bool:
    """The element's own class/id/role names a boilerplate container."""
    get = el.get
    cls, ident, role = get("class"), get("id"), get("role")
    if cls is None and ident is None and role is None:
        return False
    return _boiler_string(f"{cls or ''} {ident or ''} {role or ''}")


def noise_attrs(el) -> bool:
    """The element's own class/id names a sidebar, card, related list..."""
    cls, ident = el.get("class"), el.get("id")
    if cls is None and ident is None:
        return False
    key = f"{cls or ''} {ident or ''}"
    hit = _NOISE_CACHE.get(key)
    if hit is None:
        hit = bool(key.strip()) and bool(NOISE.search(key))
        if len(_NOISE_CACHE) > _CACHE_LIMIT:
            _NOISE_CACHE.clear()
        _NOISE_CACHE[key] = hit
    return hit


class PageIndex:
    """Attribute values of one page, and role lookups over them."""

    def __init__(self, root):
        try:
            values = _ATTRS(root) if root is not None else []
        except Exception:  # noqa: BLE001
            values = []
        self.root = root
        self._values = values
        # NUL separates the values (no attribute value holds one): a match's value is the
        # number of NULs before it, even where lower() lengthens a character ("İ" -> "i̇")
        self._text = "\0".join(values).lower()
        self._hits: dict[str, list[int]] = {}
        self._cache: dict = {}
        self._boiler_memo: dict = {}
        self._noisy_memo: dict = {}

    def matching(self, pattern: re.Pattern, bound: str | None = None,
                 names: tuple[str, ...] | None = None, limit: int = 100_000) -> list:
        """Elements, in document order, with a class/id/itemprop/rel value matching pattern.

        pattern runs over the lowercased values, joined by NUL ("\\0"): write it in
        lowercase, without re.I, and so that it cannot match across a NUL.
        bound "token": the match must be a whole whitespace-separated token; "word": it
        must not touch a letter, digit or "_". names: only these attributes count.
        limit: stop after this many elements.
        """
        key = (pattern, bound, names, limit)
        hit = self._cache.get(key)
        if hit is None:
            spans = (match.span() for match in pattern.finditer(self._text))
            hit = self._cache[key] = self._elements(spans, bound, names, limit)
        return hit

    def matching_words(self, words: tuple[str, ...], bound: str | None = None,
                       names: tuple[str, ...] | None = None, limit: int = 100_000) -> list:
        """matching(re.compile(word_trie(words)), ...) for lowercase literal words, found
        with str.find: a regex over the attribute text tries most positions (8 ns a
        character), find() skips to the next occurrence of each word. A word that holds
        one of GATES is found at the gate's occurrences (one scan per gate and page).

        finditer's rules are kept: at each position the longest word, and no match that
        starts inside the previous one (even one the bound rejected).
        """
        key = (words, bound, names, limit)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        startswith, found = self._text.startswith, []
        for word in words:
            if not word:
                continue
            gate, offset = _gate_of(word)
            hits = self._occurrences(gate)
            if gate == word:
                found.extend([(at, -len(word)) for at in hits])
            else:  # every occurrence of word holds one of gate, at offset
                found.extend([(at - offset, -len(word)) for at in hits
                              if at >= offset and startswith(word, at - offset)])
        found.sort()
        out = self._cache[key] = self._elements(_longest_first(found), bound, names, limit)
        return out

    def containing(self, *conditions: tuple[str, tuple[str, ...]]) -> list:
        """Elements, in document order, whose attribute contains one of the words of a
        condition (attribute name, words), case-sensitively: the XPath predicate
        ``contains(@attr, 'word') or ...``, without running it on every element of the page.
        The lowercase words found by matching_words() give the candidates."""
        key = ("containing", conditions)
        hit = self._cache.get(key)
        if hit is None:
            words = tuple(sorted({word.lower() for _, group in conditions for word in group}))
            names = tuple(sorted({name for name, _ in conditions}))
            hit = self._cache[key] = [
                el for el in self.matching_words(words, names=names)
                if any(word in (el.get(name) or "")
                       for name, group in conditions for word in group)]
        return hit

    def _occurrences(self, needle: str) -> list[int]:
        """Every offset of needle in the joined text (overlapping ones too), once per page:
        role words that share a gate share its scan."""
        hits = self._hits.get(needle)
        if hits is None:
            text, hits = self._text, []
            at = text.find(needle)
            while at >= 0:
                hits.append(at)
                at = text.find(needle, at + 1)
            self._hits[needle] = hits
        return hits

    def _elements(self, spans, bound: str | None, names: tuple[str, ...] | None,
                  limit: int) -> list:
        """The elements whose values hold the (start, end) spans (in increasing order) of
        the joined text."""
        text, values, out, last = self._text, self._values, [], None
        count = text.count
        index = counted = 0  # the value at offset counted
        for start, end in spans:
            if bound and not _bounded(text, start, end, bound):
                continue
            index += count("\0", counted, start)
            counted = start
            value = values[index]
            if names and value.attrname not in names:
                continue
            el = value.getparent()
            if el is not last:
                out.append(el)
                last = el
                if len(out) >= limit:
                    break
        return out

    def is_boilerplate(self, el) -> bool:
        """True when el or an ancestor below <body> is a sidebar, nav, comment block..."""
        memo = self._boiler_memo
        path = []
        result = False
        while el is not None:
            known = memo.get(el)
            if known is not None:
                result = known
                break
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag in _STOP_TAGS:
                break
            path.append(el)
            if tag in DROP_TAGS or (tag not in ("article", "main") and boiler_attrs(el)):
                result = True
                break
            el = el.getparent()
        for node in path:
            memo[node] = result
        return result

    def is_noisy(self, el) -> bool:
        """el sits in an aside/nav/footer or a container whose class/id says sidebar, card..."""
        memo = self._noisy_memo
        path = []
        result = False
        depth = 0
        while el is not None and depth < 25:
            known = memo.get(el)
            if known is not None:
                result = known
                break
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag in _STOP_TAGS:
                break
            path.append(el)
            if tag in _NOISE_TAGS or noise_attrs(el):
                result = True
                break
            el = el.getparent()
            depth += 1
        for node in path:
            memo[node] = result
        return result


def _longest_first(found: list[tuple[int, int]]):
    """(start, end) of sorted (start, -length) hits, as finditer would report them: the
    longest word at a position, none starting inside the previous one."""
    taken = 0
    for start, negative in found:
        if start < taken:
            continue  # inside the previous match, or a shorter word at its start
        taken = start - negative
        yield start, taken


# Substrings searched for in place of the longer role words that hold them (one scan of
# the page's attribute text for "content" serves "entry-content", "post-content"...).
GATES = ("body", "content", "text", "date", "time")
_GATES_OF: dict[str, tuple[str, int]] = {}


def _gate_of(word: str) -> tuple[str, int]:
    """(the substring to search for, its offset in word): the first of GATES that word
    holds, or word itself."""
    hit = _GATES_OF.get(word)
    if hit is None:
        hit = next(((gate, word.index(gate)) for gate in GATES if gate in word), (word, 0))
        if len(_GATES_OF) < 10_000:
            _GATES_OF[word] = hit
    return hit


def _bounded(text: str, start: int, end: int, bound: str) -> bool:
    """The span is a whole token ("token") or word ("word"); the NUL between two values
    counts as white space."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before == "\0":
        before = " "
    if after == "\0":
        after = " "
    if bound == "token":
        return before.isspace() and after.isspace()
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")
