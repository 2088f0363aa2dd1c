"""Bytes to text, text to tree, tree to article body.

Everything here is cheap: one lxml parse per page, XPath and regexes after that.
"""
from __future__ import annotations

import re
import unicodedata

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode, resolve_encoding

# Pages bigger than this are cut before parsing: no article needs more, and it bounds the cost.
MAX_CHARS = 6_000_000
# Characters libxml2 refuses in a text node (C0 controls except tab/newline/carriage return).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# An XML declaration with an encoding makes lxml reject str input.
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)

# Quotes and dashes folded for matching (the display text keeps the originals).
QUOTE_FOLD = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‹": "'", "›": "'", "「": '"', "」": '"', "『": '"', "』": '"',
    "–": "-", "—": "-", "―": "-", "‐": "-", "‑": "-", "\xa0": " ", "\u200b": "",
})
_WS = re.compile(r"\s+")


def clean_text(text: str | None) -> str:
    """NFC, no zero-width characters, whitespace collapsed, trimmed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """Quote- and dash-folded form of a text, same length-ish, for regex matching."""
    return unicodedata.normalize("NFKC", text).translate(QUOTE_FOLD)


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
        _, text = html_to_unicode(header, data)
        return text
    except Exception:  # noqa: BLE001 - unknown codec names and the like
        return data.decode("cp1252", "replace")


def parse_tree(text: str):
    """One lxml parse; None when there is nothing to parse."""
    if not text:
        return None
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    text = _XML_DECL.sub("", text, count=1)
    text = _CONTROL.sub("", text)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        try:
            return lxml.html.fromstring(text, parser=_PARSER)
        except Exception:  # noqa: BLE001
            return None


def node_text(node) -> str:
    """Visible text of an element, whitespace collapsed."""
    try:
        return clean_text(node.text_content())
    except (ValueError, AttributeError):
        return ""


# --- body extraction -------------------------------------------------------------

# Elements that never hold article text.
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "form", "iframe", "button",
              "select", "nav", "aside", "footer", "object", "embed", "canvas", "video", "audio")
# class/id words of boilerplate containers (sidebars, related posts, comments, share bars...).
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
_NEUTRAL_PREFIX = ("has-", "no-", "tag-", "category-", "page-", "single", "with-", "is-",
                   "postid-", "format-", "type-", "status-", "hentry")


def _boiler_attrs(el) -> bool:
    tokens = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}".split()
    for token in tokens:
        if token.lower().startswith(_NEUTRAL_PREFIX):
            continue
        if BOILERPLATE.match(token):
            return True
    return False


# Containers that usually hold the article text, best first (matched on class/id/itemprop).
_BODY_CLASSES = (
    re.compile(r"\barticleBody\b"),
    re.compile(r"(?:^|\s)entry-content(?:\s|$)"),
    re.compile(r"article-body|article__body|post-content|story-body|article-content|"
               r"c-entry-content|post-body|articleBody|article-text|body-text|story-content|"
               r"content-body|article__content|entry__content|rich-text|paywall", re.I),
)


def attr_index(root) -> list[tuple]:
    """(element, "class id itemprop rel") for every element that has one: one XPath per page.

    Role finders (body, bylines, dates) filter this list with a regex instead of running
    their own XPath with many contains() calls, which costs 10-20 ms on a 2 MB page.
    """
    try:
        found = root.xpath("//*[@class or @id or @itemprop or @rel]")
    except Exception:  # noqa: BLE001
        return []
    return [(el, f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')} "
                 f"{el.get('rel', '')}") for el in found]


_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"}


def is_boilerplate(el) -> bool:
    """True when the element or an ancestor is a sidebar, nav, comment block and so on."""
    while el is not None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("body", "html"):
            return False
        if tag in _DROP_TAGS or (tag not in ("article", "main") and _boiler_attrs(el)):
            return True
        el = el.getparent()
    return False


def _boiler_self(el) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP_TAGS:
        return True
    return tag not in ("article", "main", "body") and _boiler_attrs(el)


def _paragraphs(container) -> list[str]:
    """Text blocks of a container, skipping boilerplate sub-trees."""
    out: list[str] = []
    stack = [container]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if el is not container and _boiler_self(el):
            continue
        if el.tag in _BLOCKS and el.tag != "li" or (el.tag == "li" and not el.findall(".//p")):
            text = node_text(el)
            if text:
                out.append(text)
            continue
        children = list(el)
        stack.extend(reversed(children))
    # Loose text directly under a div (blogs without <p>).
    if not out:
        text = node_text(container)
        if text:
            out.append(text)
    return out


def _score_container(el) -> int:
    total = 0
    for p in el.iterfind(".//p"):
        text = p.text_content() if p is not None else ""
        if len(text) > 40:
            total += len(text)
    return total


def find_body(root, index: list[tuple] | None = None):
    """The element holding the article text, or None."""
    if root is None:
        return None
    index = attr_index(root) if index is None else index
    for pattern in _BODY_CLASSES:
        found = [el for el, attrs in index if pattern.search(attrs)
                 and not is_boilerplate(el.getparent())]
        if found:
            best = max(found, key=_score_container)
            if _score_container(best) > 0:
                return best
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
        text = p.text_content()
        if len(text) < 25:
            continue
        scores[parent] = scores.get(parent, 0) + len(text)
    candidates = [(score, el) for el, score in scores.items() if not is_boilerplate(el)]
    if not candidates:
        articles = root.xpath("//article|//main")
        return articles[0] if articles else root.find("body")
    return max(candidates, key=lambda pair: pair[0])[1]


def body_paragraphs(body) -> list[str]:
    if body is None:
        return []
    try:
        return _paragraphs(body)
    except RecursionError:
        return []
