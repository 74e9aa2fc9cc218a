"""Links found in text, and the normalised keys that resolve a link to an article."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

import tldextract

from transforms.records import LinkRef

_URL_IN_TEXT = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'“”‘’]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>'\"’”"
_TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|cmpid)$")
_NON_WORD = re.compile(r"[^\w]+")


def find_text_urls(text: str) -> tuple[LinkRef, ...]:
    """Every URL written in the text, as a `hyperlink`, in order of appearance."""
    links = []
    for match in _URL_IN_TEXT.finditer(text):
        url = match.group().rstrip(_TRAILING)
        if url.count("(") < url.count(")"):
            url = url.rstrip(")")
        if url.lower().startswith("www."):
            url = "http://" + url
        links.append(
            LinkRef(kind="hyperlink", target_url=url, anchor_text=match.group().rstrip(_TRAILING))
        )
    return tuple(links)


def url_key(url: str | None) -> str | None:
    """A URL reduced to what identifies the page: host without www, path, sorted non-tracking
    query; no scheme, port 80/443, fragment or trailing slash. Lowercase host."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAMS.match(k.lower())
        )
    )
    path = parts.path.rstrip("/") or ""
    return f"{netloc}{path}" + (f"?{query}" if query else "")


def title_key(title: str | None) -> str | None:
    """A headline reduced for matching: NFKC, casefolded, punctuation and spacing folded."""
    if not title:
        return None
    folded = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()
    return folded or None


# The bundled public-suffix snapshot only: these machines have no network.
_TLD_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str | None) -> str | None:
    """The registrable domain of a URL (`news.bbc.co.uk` → `bbc.co.uk`), or its bare host."""
    return _registered_domain(url.strip().lower()) if url else None


@lru_cache(maxsize=4096)
def _registered_domain(url: str) -> str | None:
    host = _host(url)
    if not host:
        return None
    result = _TLD_EXTRACT(host)
    # A host with no public suffix (an IP, localhost, a reserved name such as *.example)
    # is its own domain: two such sites must not share their last label.
    return result.top_domain_under_public_suffix or host.removeprefix("www.") or None


def _host(url: str) -> str | None:
    """The host of an absolute URL, or of a scheme-less one that starts with a domain name
    (`www.example.org/news`); None for a relative path or another scheme (`mailto:`)."""
    try:
        if "//" in url:
            return urlsplit(url).hostname
        if urlsplit(url).scheme:
            return None
    except ValueError:
        return None
    first = url.split("/", 1)[0]
    return first if "." in first and ":" not in first else None


def link_domain(target_url: str | None, own_domain: str | None) -> str | None:
    """The registered domain a link points to; a relative link points to the article's own."""
    if target_url and "//" not in target_url and target_url.startswith(("/", "?", ".", "#")):
        return own_domain
    return registered_domain(target_url)


def is_internal(link: LinkRef, target_domain: str | None, own_domain: str | None) -> bool | None:
    """Whether a link stays on the article's site (`links.is_internal`): a site's own
    previous/next navigation without a URL does; otherwise the registered domains decide
    (`link_domain`: a relative link is on the site), None when either is unknown."""
    if link.target_url is None and link.kind in ("previous_article", "next_article"):
        return True
    if target_domain is None or own_domain is None:
        return None
    return target_domain == own_domain
