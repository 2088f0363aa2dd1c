"""Canonical URLs and content fingerprints: two forms of one article are one recap.

``canonical_url`` folds the spellings of one address (case, ``www.``, default
ports, trailing slashes, fragments, tracking parameters, AMP variants) using
w3lib for the query handling. ``content_fingerprint`` hashes the normalised body
so a copy on another address is recognised.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that only track the visitor; never part of an article's identity.
TRACKING_PARAMS = (
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
    "igshid", "ref_src", "ref_url", "cmpid", "ncid", "sr_share", "smid", "amp", "outputtype",
    "_ga", "_gl", "spm", "__twitter_impression",
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# "/amp/", "/amp", "/amp.html" at the end of a path; "amp." hosts.
AMP_PATH_RE = re.compile(r"/amp(?:\.html?)?/?$")
# Words for fingerprints: letters and digits of any script.
WORD_RE = re.compile(r"\w+", re.UNICODE)
# Bodies shorter than this are not distinctive enough to identify an article alone.
MIN_FINGERPRINT_WORDS = 40


def site_of(url: str) -> str:
    """The host of ``url`` in lower case, without ``www.``/``amp.``/``m.`` prefixes."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for prefix in ("www.", "amp.", "m."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    return host


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=16384)  # a crawl asks for the same address's key several times
def canonical_url(url: str) -> str:
    """One spelling per address.

    >>> canonical_url("HTTPS://WWW.Example.com:443/a/b/amp/?utm_source=x&id=2#top")
    'https://example.com/a/b?id=2'
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return url
    scheme = parts.scheme.lower()
    host = site_of(url)
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = AMP_PATH_RE.sub("", parts.path) or "/"
    if path != "/" and path.endswith("/"):
        path = path.rstrip("/")
    query = urlsplit(strip_tracking(url)).query
    rebuilt = urlunsplit((scheme, netloc, path, query, ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


def same_site(a: str, b: str) -> bool:
    return bool(site_of(a)) and site_of(a) == site_of(b)


def choose_canonical(url: str, declared: str | None) -> str:
    """The key of a page: its declared canonical (any site) when valid, else its URL.

    A syndicated copy that declares the original as canonical is keyed on the
    original, so the two converge on one recap row whichever is crawled first.
    """
    if declared:
        parts = urlsplit(declared.strip())
        if parts.scheme in ("http", "https") and parts.hostname:
            return canonical_url(declared)
    return canonical_url(url)


# ASCII characters that are not word characters (``\\w``), mapped to spaces.
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128)
                                 if not (chr(c).isalnum() or chr(c) == "_")})


def body_words(body: str) -> list[str]:
    """The body's words, NFKC-normalised and case-folded (letters and digits of any
    script, as ``\\w+`` finds them). ASCII text takes a translate-and-split path, 6x
    faster than the regular expression and equal to it (tests/test_dedup.py)."""
    if body.isascii():  # NFKC and casefold are lower() on ASCII
        return body.lower().translate(_ASCII_NON_WORD).split()
    return WORD_RE.findall(unicodedata.normalize("NFKC", body).casefold())


def content_fingerprint(body: str, fallback: str = "") -> str:
    """SHA-256 of the normalised body; short bodies are salted with ``fallback``
    (the canonical URL) so that two different stubs never collide."""
    words = body_words(body)
    text = " ".join(words)
    if len(words) < MIN_FINGERPRINT_WORDS:
        text = f"{fallback}\n{text}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def strip_tracking(url: str) -> str:
    """``url`` without its fragment and tracking parameters, for requesting it."""
    parts = urlsplit(url)
    query = parts.query
    if query:
        names = {kv.split("=", 1)[0] for kv in query.split("&") if kv}
        tracking = [n for n in names if _is_tracking(n)]
        if tracking:
            query = urlsplit(url_query_cleaner(url, tracking, remove=True)).query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


# -- near-duplicates: MinHash signatures and LSH bands (datasketch) ------------
NUM_PERM = 64  # signature length: 64 uint32 values, 256 bytes
BANDS, ROWS = 21, 3  # LSH: 21 bands of 3 values; a copy at Jaccard 0.78 is missed
# with probability (1 - 0.78**3)**21 ~ 2e-6 (16 x 4 missed 3 in 5,000 in bench/store.py)
NEAR_DUPLICATE_JACCARD = 0.5  # estimated word-trigram Jaccard that makes a copy (64 values:
# the estimate has a standard error near 0.05, so a copy at 0.78 never falls below it)
SHINGLE = 3
MIN_NEAR_WORDS = 50  # shorter bodies are not compared
_TEMPLATE = None  # a datasketch MinHash holding the permutations, made on first use


def minhash_signature(body: str) -> bytes | None:
    """MinHash of the body's word trigrams, or None for bodies too short to compare.

    Words are hashed once (crc32) and each trigram's hash combines its three word
    hashes with numpy, so the cost is per word, not per trigram string; datasketch
    applies its permutations to those 32-bit hashes.
    """
    words = body_words(body)
    if len(words) < MIN_NEAR_WORDS:
        return None
    import numpy as np
    from datasketch import MinHash  # imports numpy: only where signatures are made

    ids = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    trigrams = (ids[:-2] * np.uint64(0x9E3779B1) + ids[1:-1] * np.uint64(0x85EBCA77)
                + ids[2:]) & np.uint64(0xFFFFFFFF)
    global _TEMPLATE
    if _TEMPLATE is None:  # drawing permutations costs more than hashing a page: once
        _TEMPLATE = MinHash(num_perm=NUM_PERM, seed=7)
    mh = MinHash(num_perm=NUM_PERM, seed=7, hashfunc=int, permutations=_TEMPLATE.permutations,
                 scheme=_TEMPLATE.scheme)
    mh.update_batch(trigrams.tolist())  # a repeated trigram changes no minimum: no unique()
    return mh.hashvalues.astype("<u4").tobytes()


def band_hashes(signature: bytes) -> list[int]:
    """One signed 64-bit hash per LSH band (the band number is part of the hash)."""
    size = ROWS * 4
    out = []
    for band in range(BANDS):
        chunk = signature[band * size:(band + 1) * size]
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values."""
    if not a or not b or len(a) != len(b):
        return 0.0
    n = len(a) // 4
    same = sum(a[i * 4:i * 4 + 4] == b[i * 4:i * 4 + 4] for i in range(n))
    return same / n
