"""Bytes to text, text to tree, tree to article body.

Everything here is cheap: one lxml parse per page, XPath and regexes after that.
"""
from __future__ import annotations

import re
import threading
import unicodedata

from lxml import etree
from w3lib.encoding import html_to_unicode, resolve_encoding

from .index import BOILERPLATE, DROP_TAGS, PageIndex, boiler_attrs  # noqa: F401 - re-exported

# Pages bigger than this are cut before parsing: no article needs more, and it bounds the cost.
MAX_CHARS = 6_000_000
# Bytes libxml2 refuses in a text node (C0 controls except tab/newline/carriage return).
# An XML declaration with an encoding makes lxml reject str input.
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_PARSER_OPTIONS = {"remove_comments": True, "remove_pis": True, "collect_ids": False,
                   "encoding": "utf-8"}
# One parser per thread: parse_html() reads the parser's error log after each parse.
_LOCAL = threading.local()

# Quotes and dashes folded for matching (the display text keeps the originals).
QUOTE_FOLD = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‹": "'", "›": "'", "「": '"', "」": '"', "『": '"', "』": '"',
    "–": "-", "—": "-", "―": "-", "‐": "-", "‑": "-", "\xa0": " ", "\u200b": "",
})
# The same table as (character, replacement) pairs: str.translate with a dict costs a dict
# lookup per character (70 µs on a 1 KB lead); a replace per character that occurs is ~20x
# cheaper. No replacement is itself a key, so the order does not matter.
_FOLD_PAIRS = tuple((chr(code), repl) for code, repl in QUOTE_FOLD.items())


def clean_text(text: str | None) -> str:
    """NFC, no zero-width characters, whitespace collapsed, trimmed."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())


def fold(text: str) -> str:
    """Quote- and dash-folded form of a text, same length-ish, for regex matching."""
    if text.isascii():  # NFKC leaves ASCII alone; the backtick is the one ASCII key
        return text.replace("`", "'") if "`" in text else text
    text = unicodedata.normalize("NFKC", text)
    for char, repl in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, repl)
    return text


_WORD = re.compile(r"\w+")
# Non-ASCII characters that are never word characters and are common in article text:
# replaced by a space, they let most texts take the ASCII path of word_count().
_NON_WORD_PUNCT = ("\u2019", "\u2018", "\u201c", "\u201d", "\u2014", "\u2013", "\u2026", "\xa0",
                   "\u2022", "\u00b7", "\u00ab", "\u00bb")
# Every ASCII byte that is not a word character (\w: letters, digits, "_") -> space.
_ASCII_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_ASCII_SPACES = bytes(b if b in _ASCII_WORD_BYTES else 32 for b in range(256))


def word_count(text: str) -> int:
    """len(_WORD.findall(text)), without building the list on ASCII-ish text."""
    if not text.isascii():
        for char in _NON_WORD_PUNCT:
            if char in text:
                text = text.replace(char, " ")
        if not text.isascii():
            return len(_WORD.findall(text))
    return len(text.encode("ascii").translate(_ASCII_SPACES).split())


def words(text: str) -> list[str]:
    """_WORD.findall(text): on ASCII text, a byte translation and a split (4x faster)."""
    if not text.isascii():
        return _WORD.findall(text)
    return text.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split()


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return match.group(1) if match else None


def decode_html(html: str | bytes | None, content_type: str | None = None) -> str:
    """Page bytes to text: BOM, then valid UTF-8, then HTTP charset, then <meta charset>.

    Valid UTF-8 wins over a declared single-byte charset: a page declaring windows-1252
    whose bytes are valid multi-byte UTF-8 was written as UTF-8 (mislabelled CMS templates).
    """
    if html is None:
        return ""
    if isinstance(html, str):
        return html
    data = bytes(html)
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", "replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    declared = _charset_of(content_type)
    declared_enc = resolve_encoding(declared) if declared else None
    if declared_enc not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    header = f"text/html; charset={declared}" if declared else None
    try:
        # not UTF-8 and nothing declared: windows-1252, the web's legacy default
        _, text = html_to_unicode(header, data, default_encoding="cp1252")
        return text
    except Exception:  # noqa: BLE001 - unknown codec names and the like
        return data.decode("cp1252", "replace")


def parse_tree(text: str):
    """One lxml parse; None when there is nothing to parse.

    The text is parsed as UTF-8 bytes by a plain ``etree.HTMLParser``: libxml2 reads
    bytes much faster than a Python str, and plain elements skip lxml.html's per-element
    Python class lookup. Elements are ``lxml.etree._Element``: use :func:`node_text`, not
    ``text_content()``.
    """
    if not text:
        return None
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    if text.lstrip()[:5].lower() == "<?xml":
        text = _XML_DECL.sub("", text, count=1)
    return _parse_utf8(text.encode("utf-8", "replace"), "\ufffe" in text or "\uffff" in text)


def parse_html(html: str | bytes | None, content_type: str | None = None):
    """decode_html + parse_tree, without the str round trip for UTF-8 bytes.

    Bytes that are valid UTF-8 (and declare no UTF-16/32) go to libxml2 as they are.
    Whether they are valid is learnt from the parse itself when it can be: libxml2 logs an
    error for every byte sequence that is not UTF-8, so a parse that logged nothing read
    valid UTF-8 (a decode to check costs up to a fifth of the parse). Bytes that may hold
    U+FFFE/U+FFFF, and parses that logged anything, are checked with a decode as before.
    """
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = html if type(html) is bytes else bytes(html)
        if (data[:3] != b"\xef\xbb\xbf" and data[:2] not in (b"\xff\xfe", b"\xfe\xff")
                and len(data) <= MAX_CHARS and _opening(data).lower() != b"<?xml"):
            declared = _charset_of(content_type)
            if not (declared and resolve_encoding(declared) in ("utf-16", "utf-16-le", "utf-16-be",
                                                                  "utf-32")):
                if data.isascii():  # valid UTF-8, and no U+FFFE/U+FFFF
                    return _parse_utf8(data, False)
                nonchars = b"\xef" in data  # may hold U+FFFE/U+FFFF (EF BF BE, EF BF BF)
                if not nonchars:
                    root, logged = _parse_logged(data)
                    if not logged:
                        return root
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    pass
                else:
                    if not nonchars:  # parsed above: the same bytes, the same tree
                        return root
                    return _parse_utf8(data, "\ufffe" in text or "\uffff" in text)
    return parse_tree(decode_html(html, content_type))


def _opening(data: bytes) -> bytes:
    """data.lstrip()[:5] without copying the whole page when it starts with white space."""
    head = data[:1024].lstrip()
    return head[:5] if len(head) >= 5 or len(data) <= 1024 else data.lstrip()[:5]


def _parser() -> etree.HTMLParser:
    try:
        return _LOCAL.parser
    except AttributeError:
        _LOCAL.parser = parser = etree.HTMLParser(**_PARSER_OPTIONS)
        return parser


def _parse_utf8(data: bytes, nonchars: bool = True):
    """Parse UTF-8 bytes. nonchars: the bytes may hold U+FFFE/U+FFFF (callers that decoded
    the text know; searching the str is 20x cheaper than searching the bytes)."""
    return _parse_logged(data, nonchars)[0]


def _parse_logged(data: bytes, nonchars: bool = False):
    """_parse_utf8(), and whether libxml2 logged an error (or the parse failed)."""
    if data.translate(None, _NOT_CONTROL_BYTES):  # keeping only those is cheaper than a copy
        data = data.translate(None, _CONTROL_BYTES)
    if nonchars and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data):  # U+FFFE / U+FFFF
        data = data.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    if not data.strip():
        return None, False
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except Exception:  # noqa: BLE001 - ParserError, XMLSyntaxError, ValueError and the like
        return None, True
    if root is None or not isinstance(root.tag, str):
        root = None
    return root, len(parser.error_log) > 0


def node_text(node) -> str:
    """Visible text of an element (its descendants' text, not its tail), whitespace collapsed."""
    try:
        return clean_text(etree.tostring(node, method="text", encoding=str, with_tail=False))
    except (ValueError, TypeError, AttributeError):
        return ""


def more_words_than(node, count: int) -> bool:
    """node_text(node) has more than count words, learnt without collapsing (or normalising)
    all of a long text: the first count + 1 words are split off, the rest is left alone.
    (NFC keeps every word boundary; of what clean_text() removes, only zero-width
    characters can make a word vanish.)"""
    raw = raw_text(node)
    if not raw.isascii():
        raw = raw.replace("\u200b", "").replace("\ufeff", "")
    return len(raw.split(None, count)) > count


def raw_text(node) -> str:
    """Text of an element as it stands (``text_content()`` of lxml.html)."""
    try:
        return etree.tostring(node, method="text", encoding=str, with_tail=False)
    except (ValueError, TypeError, AttributeError):
        return ""


# --- body extraction -------------------------------------------------------------

# Containers that usually hold the article text, best first (matched on class/id/itemprop).
# (lowercase words in the attribute values, bound): see PageIndex.matching_words.
_BODY_CLASSES = (
    (("articlebody",), "word"),
    (("entry-content",), "token"),
    (("article-body", "article__body", "post-content", "story-body", "article-content",
      "c-entry-content", "post-body", "articlebody", "article-text", "body-text", "story-content",
      "content-body", "article__content", "entry__content", "rich-text", "paywall"), None),
)


def attr_index(root) -> PageIndex:
    """The page's :class:`PageIndex`: one XPath and one join per page.

    Role finders (body, bylines, dates) filter it with one regex scan each instead of
    running their own XPath with many contains() calls, or one regex per element.
    """
    return PageIndex(root)


_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"}


def is_boilerplate(el, index: PageIndex | None = None) -> bool:
    """True when the element or an ancestor is a sidebar, nav, comment block and so on."""
    if index is not None:
        return index.is_boilerplate(el)
    while el is not None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("body", "html"):
            return False
        if tag in DROP_TAGS or (tag not in ("article", "main") and boiler_attrs(el)):
            return True
        el = el.getparent()
    return False


def _boiler_self(el, index: PageIndex | None = None) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in DROP_TAGS:
        return True
    return tag not in ("article", "main", "body") and boiler_attrs(el)


def _paragraphs(container, index: PageIndex | None = None) -> list[str]:
    """Text blocks of a container, skipping boilerplate sub-trees."""
    out: list[str] = []
    stack = [container]
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if el is not container and _boiler_self(el, index):
            continue
        if tag in _BLOCKS and (tag != "li" or el.find(".//p") is None):
            text = node_text(el)
            if text:
                out.append(text)
            continue
        children = list(el)
        children.reverse()
        stack.extend(children)
    # Loose text directly under a div (blogs without <p>).
    if not out:
        text = node_text(container)
        if text:
            out.append(text)
    return out


def _score_container(el) -> int:
    total = 0
    for p in el.iterfind(".//p"):
        size = len(raw_text(p))
        if size > 40:
            total += size
    return total


def find_body(root, index: PageIndex | None = None):
    """The element holding the article text, or None."""
    if root is None:
        return None
    index = attr_index(root) if index is None else index
    for words, bound in _BODY_CLASSES:
        found = [el for el in index.matching_words(words, bound)
                 if not is_boilerplate(el.getparent(), index)]
        if found:
            scored = [(_score_container(el), el) for el in found]
            best_score = max(score for score, _ in scored)
            if best_score > 0:
                return next(el for score, el in scored if score == best_score)
    # Readability-style: the parent of the most paragraph text.
    scores: dict = {}
    count = 0
    for p in root.iter("p"):
        count += 1
        if count > 5000:
            break
        parent = p.getparent()
        if parent is None:
            continue
        size = len(raw_text(p))
        if size < 25:
            continue
        scores[parent] = scores.get(parent, 0) + size
    # The best-scored parent outside boilerplate (the first of equals, as max() would pick):
    # parents are checked best first, so most are never walked up to <body>.
    ranked = sorted(scores.items(), key=_minus_score)  # stable: document order among equals
    for el, _score in ranked:
        if not is_boilerplate(el, index):
            return el
    articles = root.xpath("//article|//main")
    return articles[0] if articles else root.find("body")


def _minus_score(pair) -> int:
    return -pair[1]


def body_paragraphs(body, index: PageIndex | None = None) -> list[str]:
    if body is None:
        return []
    try:
        return _paragraphs(body, index)
    except RecursionError:
        return []
