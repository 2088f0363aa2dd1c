"""Structured metadata of a page: JSON-LD, OpenGraph and <meta> tags, bylines, tags.

The JSON-LD reader is lenient: Yoast ``@graph``, list-valued ``@type``, several blocks,
raw control characters, trailing commas, HTML entities and unescaped quotes are all
common in the wild. Nothing here raises.
"""
from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urljoin, urlsplit

from .text import clean_text, is_boilerplate, node_text

ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "review",
                 "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle",
                 "socialmediaposting", "webpage", "creativework", "techarticle", "liveblogposting",
                 "criticreview", "itempage"}
ARTICLE_TYPES_T = tuple(ARTICLE_TYPES)
_ARTICLE_SET = frozenset(ARTICLE_TYPES)
_PAGE_TYPES = frozenset(("webpage", "itempage"))
_TRAILING_COMMA = re.compile(r",\s*([\]}])")
_CTRL = re.compile(r"[\x00-\x1f]")
# One decoder for every page: json.loads(..., strict=False) builds a new one per call.
_JSON = json.JSONDecoder(strict=False)


@dataclass(slots=True)
class PageMeta:
    """What the page says about itself in machine-readable form."""

    meta: dict[str, list[str]] = field(default_factory=dict)  # lowercased name/property -> values
    jsonld: list[dict] = field(default_factory=list)  # every object node, flattened
    title: str = ""
    lang: str = ""
    canonical: str | None = None
    # Worked out once per page (set ``jsonld`` before the first call): dates, authors,
    # headlines and tags all ask for the article nodes; callers must not change them.
    _articles: list[dict] | None = field(default=None, repr=False, compare=False)
    _types: list[set[str]] | None = field(default=None, repr=False, compare=False)
    _headlines: list[str] | None = field(default=None, repr=False, compare=False)

    def first(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, ()):
                value = clean_text(value)
                if value:
                    return value
        return None

    def all(self, *names: str) -> list[str]:
        out = []
        for name in names:
            out.extend(clean_text(v) for v in self.meta.get(name, ()) if clean_text(v))
        return out

    def nodes(self, *types: str) -> list[dict]:
        """JSON-LD nodes whose @type (string or list) is one of ``types`` (lowercase)."""
        wanted = _ARTICLE_SET if types == ARTICLE_TYPES_T else set(types)
        if self._types is None:
            self._types = [node_types(n) for n in self.jsonld]
        return [n for n, kinds in zip(self.jsonld, self._types) if not wanted.isdisjoint(kinds)]

    def articles(self) -> list[dict]:
        """Article-like JSON-LD nodes, real articles before WebPage nodes.

        Computed once per page (set ``jsonld`` before the first call); callers must not
        change the list.
        """
        if self._articles is None:
            nodes = self.nodes(*ARTICLE_TYPES_T)
            self._articles = sorted(nodes, key=lambda n: bool(node_types(n) & _PAGE_TYPES))
        return self._articles


def node_types(node: dict) -> set[str]:
    kind = node.get("@type")
    if isinstance(kind, str):
        return {kind.lower().rsplit("/", 1)[-1]}
    if isinstance(kind, list):
        return {str(k).lower().rsplit("/", 1)[-1] for k in kind}
    return set()


# --- JSON-LD ----------------------------------------------------------------------

def _repair_quotes(text: str) -> str:
    """Escape bare quotes inside string values: "headline":"He said "hi"" -> valid."""
    out = []
    in_str = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and in_str:
            out.append(text[i:i + 2])
            i += 2
            continue
        if c == '"':
            if not in_str:
                in_str = True
            else:
                rest = text[i + 1:i + 40].lstrip()
                if not rest or rest[0] in ",:}]":
                    in_str = False
                else:
                    out.append('\\"')
                    i += 1
                    continue
        out.append(c)
        i += 1
    return "".join(out)


_CDATA_OPEN = ("//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[")
_CDATA_CLOSE = ("//]]>", "/*]]>*/", "]]>")


def load_json_lenient(raw: str):
    """json.loads with fall-backs for the usual CMS breakage; None when hopeless."""
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip().rstrip(";")
    for prefix in _CDATA_OPEN:  # "//<![CDATA[", "/*<![CDATA[*/" or a bare "<![CDATA["
        if raw.startswith(prefix):
            raw = raw[len(prefix):]
            break
    for suffix in _CDATA_CLOSE:
        if raw.endswith(suffix):
            raw = raw[:-len(suffix)]
            break
    if not raw or len(raw) > 2_000_000:
        return None
    attempts = (
        lambda s: s,
        lambda s: _CTRL.sub(" ", s),
        lambda s: _TRAILING_COMMA.sub(r"\1", _CTRL.sub(" ", s)),
        lambda s: _repair_quotes(_TRAILING_COMMA.sub(r"\1", _CTRL.sub(" ", s))),
    )
    for fix in attempts:
        try:
            return _JSON.decode(fix(raw))
        except (ValueError, RecursionError):
            continue
    return None


def _flatten(data, out: list[dict], depth: int = 0) -> None:
    if depth > 12 or len(out) > 500:
        return
    if isinstance(data, list):
        for item in data:
            if isinstance(item, (dict, list)):  # strings and numbers hold no nodes
                _flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data or "@id" in data:
            out.append(data)
        for key, value in data.items():
            if key == "@graph" or isinstance(value, (dict, list)):
                _flatten(value, out, depth + 1)


def read_jsonld(root, scripts=None) -> list[dict]:
    """Every JSON-LD object node of the page. scripts: the page's <script> elements, if known."""
    nodes: list[dict] = []
    for script in root.iter("script") if scripts is None else scripts:
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = load_json_lenient(script.text or "")
        if data is not None:
            _flatten(data, nodes)
    return nodes


def resolve(node, nodes: list[dict]):
    """Follow an {"@id": ...} reference into the flattened graph."""
    if isinstance(node, dict) and set(node) <= {"@id"} and node.get("@id"):
        for other in nodes:
            if other.get("@id") == node["@id"] and len(other) > 1:
                return other
    return node


def text_value(value) -> str | None:
    """A JSON-LD value as display text: entities decoded, whitespace collapsed."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if value is None or isinstance(value, (dict, list)):
        return None
    text = clean_text(htmllib.unescape(str(value)))
    return text or None


# --- meta tags --------------------------------------------------------------------

def read_meta(root, url: str) -> PageMeta:
    page = PageMeta()
    scripts, links, title = [], [], None
    for el in root.iter("meta", "script", "link", "title"):  # one walk over the tree
        tag = el.tag
        if tag == "script":
            scripts.append(el)
            continue
        if tag == "link":
            links.append(el)
            continue
        if tag == "title":
            title = el if title is None else title
            continue
        get = el.get
        key = (get("property") or get("name") or get("itemprop") or get("http-equiv") or "").strip().lower()
        value = get("content")
        if value is None:
            value = get("value")  # some pre-processed pages
        if key and value is not None:
            page.meta.setdefault(key, []).append(value)
    for raw in page.meta.get("parsely-page", ())[:1]:
        data = load_json_lenient(raw)
        if isinstance(data, dict):  # {"author": ..., "pub_date": ...} in one meta tag
            for src, dst in (("author", "parsely-author"), ("pub_date", "parsely-pub-date")):
                if isinstance(data.get(src), str):
                    page.meta.setdefault(dst, []).append(data[src])
    page.title = node_text(title) if title is not None else ""
    html_el = root if root.tag == "html" else root.find(".//html")
    page.lang = ((html_el.get("lang") or html_el.get("xml:lang") or "") if html_el is not None
                 else "").strip()
    page.jsonld = read_jsonld(root, scripts)
    page.canonical = canonical_url(root, page, url, links)
    return page


def _absolute(base: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "#", "data:")):
        return None
    try:
        out = urljoin(base, href)
    except ValueError:
        return None
    return out if urlsplit(out).scheme in ("http", "https") else None


def canonical_url(root, page: PageMeta, url: str, links=None) -> str | None:
    for link in root.iter("link") if links is None else links:
        if (link.get("rel") or "").lower() != "canonical":
            continue
        absolute = _absolute(url, link.get("href"))
        if absolute:
            return absolute
    return _absolute(url, page.first("og:url")) or url


def site_of(url: str | None) -> str | None:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


# --- headline text candidates -----------------------------------------------------

def jsonld_headlines(page: PageMeta) -> list[str]:
    """Headlines of the page's article nodes (worked out once per page; a new list each call)."""
    if page._headlines is None:
        out: list[str] = []
        for node in page.articles():
            for key in ("headline", "name", "alternativeHeadline"):
                text = text_value(node.get(key))
                if text and text not in out:
                    out.append(text)
        page._headlines = out
    return list(page._headlines)


def title_without_site(page: PageMeta, site_name: str | None) -> str:
    """<title> minus a trailing " | Site" / " - Site" part."""
    title = clean_text(htmllib.unescape(page.title))
    parts = re.split(r"\s+[|\-–—·•»:]\s+", title)
    if len(parts) > 1:
        last = parts[-1].lower()
        names = {n.lower() for n in (site_name, page.first("og:site_name"),
                                     page.first("application-name")) if n}
        if last in names or len(parts[-1]) < 30 and len(parts[0]) > len(parts[-1]):
            title = title[: title.rfind(parts[-1])].rstrip(" |-–—·•»:")
    return title


# --- authors ----------------------------------------------------------------------

# Words that mark an organisation, desk or brand rather than a person.
_ORG_WORDS = re.compile(
    r"\b(?:staff|team|desk|redaktion|redacci[oó]n|r[ée]daction|editors?|editorial|newsroom|"
    r"news|magazine|media|press|agency|wire|online|digital|group|inc|ltd|llc|gmbh|"
    r"contributors?|writers?|admin|administrator|webmaster|correspondent|service|"
    r"reuters|associated|afp|dpa|ap|tv|radio|daily|weekly|times|post|tribune|report)\b",
    re.I,
)
_TITLE_SUFFIX = re.compile(
    r"(?:\s*(?:기자|특파원|인턴기자|PD|논설위원)\s*$)|(?:,\s*(?:dpa|AP|AFP|Reuters|Executive Editor|"
    r"Senior Editor|Editor|Contributor|Staff Writer|TV Editor|Critic|TV Critic)\b.*$)",
    re.I,
)
_JOB_SUFFIX = re.compile(r"(?:\s+(?:senior|chief|staff|associate|deputy|executive|tv|entertainment|"
                         r"showbiz|news|features?)?\s*(?:reporter|editor|writer|critic|correspondent|"
                         r"contributor|columnist|journalist|producer))+$", re.I)
_BY_PREFIX = re.compile(r"^\s*(?:written\s+by|posted\s+by|reviewed\s+by|by|von|por|par|di|door|"
                        r"text:?|autor(?:in)?:?|author:?)\s+", re.I)
# Lowercase words inside a person's name ("Lisa de Moraes", "Rafael van der Vaart").
NAME_PARTICLES = frozenset(("de", "van", "der", "von", "da", "la", "le", "del", "di", "du", "bin", "al"))
_NAME_CHARS = re.compile(r"^[^\W\d_][\w.'’\- ]*[\w.]$", re.U)
_HANGUL_NAME = re.compile(r"^[\uac00-\ud7a3]{2,4}$")


def clean_author(raw, site_name: str | None = None) -> str | None:
    """A person's name, or None for organisations, handles, URLs and empty values."""
    name = text_value(raw) if not isinstance(raw, str) else clean_text(htmllib.unescape(raw))
    if not name or "://" in name or name.startswith(("@", "www.")) or "@" in name:
        return None
    name = _BY_PREFIX.sub("", name)
    name = re.split(r"\s+(?:and|und|y|et|e|&)\s+|\s*[,;|/]\s*(?=[A-ZÀ-Ý][a-zà-ÿ]+\s)|\s*\|\s*|"
                    r"\s+[-–—]\s+|\n", name)[0]
    name = _TITLE_SUFFIX.sub("", name).strip(" ,;:-–—")
    name = _JOB_SUFFIX.sub("", name)
    if not re.search(r"\b\w\.$", name):  # keep "Juan Carlos Muñoz C."
        name = name.rstrip(".")
    name = re.sub(r"\s+(?:for|für|para|pour)\s+.*$", "", name)
    if not name or len(name) > 60:
        return None
    if _HANGUL_NAME.match(name):
        return name
    if _ORG_WORDS.search(name) or any(ch.isdigit() for ch in name):
        return None
    if site_name and name.lower().replace(" ", "") == site_name.lower().replace(" ", ""):
        return None
    words = name.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half >= 2 and words[:half] == words[half:]:
        words = words[:half]  # "Jane Doe Jane Doe": a byline that repeats the name
        name = " ".join(words)
    if len(words) < 2 or len(words) > 5 or not _NAME_CHARS.match(name):
        return None
    if name.isupper() or name.islower():
        name = " ".join(w.capitalize() if len(w) > 1 else w for w in words)
    if not all(w[0].isupper() or w.lower() in NAME_PARTICLES for w in name.split()):
        return None
    return name


def jsonld_authors(page: PageMeta) -> list:
    out = []
    for node in page.articles():
        author = node.get("author") or node.get("creator")
        if author is None:
            continue
        items = author if isinstance(author, list) else [author]
        for item in items:
            item = resolve(item, page.jsonld)
            if isinstance(item, dict) and node_types(item) & {"organization", "newsmediaorganization",
                                                                "corporation", "brand"}:
                continue
            out.append(item)
    return out


# Words in the class/id/itemprop/rel of elements that hold the author's name (lowercase: see
# PageIndex.matching_words).
_BYLINE_WORDS = ("byline", "author", "writer", "contributor", "autor")


def byline_authors(index: list[tuple], limit: int = 20) -> list[str]:
    """Texts of byline-looking elements in document order (first is usually the article's).

    index: text.attr_index(root).
    """
    return list(iter_byline_authors(index, limit))


def iter_byline_authors(index, limit: int = 20):
    """byline_authors(), one text at a time: a caller that takes the first good name stops
    reading elements there (the same texts, in the same order, up to the same limit)."""
    count = 0
    for el in index.matching_words(_BYLINE_WORDS, limit=200):
        cls = (el.get("class") or "").lower()
        if any(w in cls for w in ("author-box", "author-bio", "authorbio", "comment", "avatar",
                                  "about-author", "author-info")):
            continue
        anc = el.getparent()
        if anc is not None and is_boilerplate(anc, index) and not _in_byline(anc):
            continue
        text = clean_text(" ".join(el.itertext()))  # " ": spans of a byline are words
        if text and len(text) < 160:
            for child in el.iterdescendants("a", "span", "strong", "b"):
                inner = node_text(child)
                if inner and len(inner) < 50 and len(child) <= 1:
                    count += 1
                    yield inner
            by = _BY_TEXT.search(text)
            if by:
                count += 1
                yield _STOP_WORDS.split(by.group(1))[0]
            count += 1
            yield text
            for part in _BYLINE_PARTS.split(text):
                if part and part != text:
                    count += 1
                    yield part
        if count >= limit:
            break


_BYLINE_PARTS = re.compile(r"\s*(?:\||·|•)\s*|\s{2,}")


def _in_byline(el) -> bool:
    while el is not None and el.tag not in ("body", "html"):
        tokens = f"{el.get('class', '')} {el.get('id', '')}".lower()
        if any(w in tokens for w in ("sidebar", "related", "comment", "footer", "widget")):
            return False
        if any(w in tokens for w in ("byline", "meta", "author", "header")):
            return True
        el = el.getparent()
    return False


# Words that end a name captured after "By" ("By Oli Coleman View Author Archive").
_STOP_WORDS = re.compile(r"\s+(?:Updated|Published|Posted|View|Share|Follow|More|Comments?|Email|"
                         r"Twitter|Read|Reporter|Editor|Writer|Senior|Contributor|Photo|Video|"
                         r"Last|On|At|In)\b.*$")
_KO_BYLINE = re.compile(r"(?<![가-힣])([가-힣]{2,4})\s*(?:기자|특파원)(?![가-힣])")
# "By First Last", name particles allowed between the capitalised words ("By Lisa de Moraes").
_BY_TEXT = re.compile(r"(?:^|\s)(?:By|BY|by|Von|von|Por|por|Par|par)\s+"
                      r"([A-ZÀ-ÝĀ-ž][\w'’.\-]+(?:(?:\s+(?:" + "|".join(sorted(NAME_PARTICLES))
                      + r"))*\s+[A-ZÀ-ÝĀ-ž][\w'’.\-]+){1,3})")


def text_byline(texts) -> str | None:
    """A "By First Last" near the top of the article text (texts: a list or an iterable)."""
    for text in islice(texts, 8):
        if len(text) > 500:
            continue
        korean = _KO_BYLINE.search(text)
        if korean:
            return korean.group(1)
        match = _BY_TEXT.search(text)
        if match:
            name = clean_author(_STOP_WORDS.split(match.group(1))[0])
            if name:
                return name
    return None


# --- tags -------------------------------------------------------------------------

_REL_TAG = ("tag",)  # in a rel value (PageIndex.matching_words)


def page_tags(root, page: PageMeta, index=None) -> list[str]:
    tags: list[str] = []
    tags.extend(page.all("article:tag"))
    for node in page.articles():
        keywords = node.get("keywords")
        if isinstance(keywords, str):
            tags.extend(k.strip() for k in keywords.split(","))
        elif isinstance(keywords, list):
            tags.extend(str(k).strip() for k in keywords if isinstance(k, (str, int)))
    for value in page.all("keywords", "news_keywords", "parsely-tags", "sailthru.tags"):
        tags.extend(k.strip() for k in value.split(","))
    links = ([el for el in index.matching_words(_REL_TAG, names=("rel",)) if el.tag == "a"
              and "tag" in (el.get("rel") or "")]
             if index is not None else root.xpath("//a[contains(@rel, 'tag')]"))
    for el in links[:50]:
        tags.append(node_text(el))
    out: list[str] = []
    seen = set()
    for tag in tags:
        tag = clean_text(htmllib.unescape(tag))
        if tag and len(tag) < 80 and tag.lower() not in seen:
            seen.add(tag.lower())
            out.append(tag)
    return out[:60]
