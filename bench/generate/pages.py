"""The three input formats a story is written in: site text page, plain article, HTML page."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import timedelta, timezone
from random import Random

from bench.generate.body import Story
from bench.generate.vocabulary import COMMENTS, FIRST_F, FIRST_M, MENU, MONTHS, Site

_URL_RE = re.compile(r"https://[^\s<]+[^\s<.,;:)]")
_esc = html.escape


@dataclass(frozen=True, slots=True)
class HtmlFrame:
    """Where an HTML page sits: its publisher, canonical URL, charset and same-site links."""

    site: Site
    url: str
    charset: str  # "" when the page does not declare one
    related: tuple[tuple[str, str], ...]  # (url, headline) of nearby articles of the site


def render_text_page(site: Site, story: Story, nav: tuple[str, str], with_body: bool) -> str:
    """A saved site page: headline, chrome, paragraphs, chrome, previous/next navigation."""
    prev, nxt = nav
    chrome = "\n".join(site.chrome)
    body = "\n\n".join(story.paras) + "\n\n" if with_body else ""
    text = (
        f"{story.headline}\n\n{chrome}\n\n{body}{chrome}\n"
        f"Previous Article\n\n{prev}\n\nNext Article\n\n{nxt}"
    )
    return text.replace("\n", "\r\n") if site.crlf else text


def render_plain_text(site: Site, story: Story) -> str:
    """A corpus article: title line, blank line, paragraphs (a wire dateline where used)."""
    paras = list(story.paras)
    if site.dateline:
        when = story.ident.published
        paras[0] = (
            f"{story.ident.city.upper()}, {when.day} {MONTHS[when.month - 1]} "
            f"({site.name}) \u2014 {paras[0]}"
        )
    return story.headline + "\n\n" + "\n\n".join(paras) + "\n"


def render_html_page(story: Story, frame: HtmlFrame, rng: Random) -> str:
    """A saved news web page: metadata, menu, article, ads, related links, comments, footer."""
    offset = timezone(timedelta(hours=rng.choice((-5, 0, 1, 2, 3, 9))))
    published = story.ident.published.astimezone(offset).isoformat()
    head = _html_head(story, frame, published, rng)
    body = _html_article(story, frame, published, rng)
    body.append(_html_comments(story, rng))
    body.extend(_html_footer(story, frame.site))
    return "\n".join(line for line in (*head, *body) if line) + "\n"


def _html_head(story: Story, frame: HtmlFrame, published: str, rng: Random) -> list[str]:
    """The document head: charset, title, canonical URL, Open Graph, perhaps JSON-LD."""
    site, url, ident = frame.site, frame.url, story.ident
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        f'<meta charset="{frame.charset}">' if frame.charset else "",
        f"<title>{_esc(story.headline)} | {_esc(site.name)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<link rel="canonical" href="{_esc(url)}">',
        f'<meta property="og:site_name" content="{_esc(site.name)}">',
        f'<meta property="og:title" content="{_esc(story.headline)}">',
        f'<meta property="og:url" content="{_esc(url)}">',
        f'<meta name="author" content="{_esc(", ".join(ident.authors))}">',
        f'<meta property="article:published_time" content="{published}">',
        '<link rel="stylesheet" href="/static/css/main.css">',
        '<script src="/static/js/analytics.js" async></script>',
    ]
    if rng.random() < 0.5:
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.headline,
            "datePublished": published,
            "author": [{"@type": "Person", "name": a} for a in ident.authors],
            "publisher": {"@type": "Organization", "name": site.name},
            "mainEntityOfPage": url,
        }
        head.append(
            '<script type="application/ld+json">' + json.dumps(ld, ensure_ascii=False) + "</script>"
        )
    head.append("</head>")
    return head


def _html_article(story: Story, frame: HtmlFrame, published: str, rng: Random) -> list[str]:
    """Masthead, menu, the article with one in-text link and an ad, the related links."""
    site, ident = frame.site, story.ident
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in MENU)
    body = [
        "<body>",
        f'<header class="masthead"><a class="logo" href="/">{_esc(site.name)}</a>',
        f'<nav class="main-menu"><ul>{menu}</ul></nav></header>',
        '<main id="content">',
        '<article class="story">',
        f"<h1>{_esc(story.headline)}</h1>",
        f'<p class="byline">By <span class="author">{_esc(" and ".join(ident.authors))}'
        f'</span> \u00b7 <time datetime="{published}">{ident.published:%d %B %Y}</time></p>',
    ]
    link_at = rng.randrange(1, len(story.paras)) if len(story.paras) > 1 else 0
    for k, para in enumerate(story.paras):
        text = link_urls(_esc(para, quote=False), rng)
        if k == link_at and frame.related:
            city = _esc(ident.city, quote=False)
            anchor = f'<a href="{_esc(frame.related[0][0])}">{city}</a>'
            text = text.replace(city, anchor, 1)
        body.append(f"<p>{text}</p>")
        if k == 1:
            body.append('<div class="ad-slot" aria-hidden="true">Advertisement</div>')
    body.append("</article>")
    related = "".join(
        f'<li><a href="{_esc(url)}">{_esc(headline)}</a></li>'
        for url, headline in frame.related[1:5]
    )
    body.append(f'<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>')
    return body


def _html_comments(story: Story, rng: Random) -> str:
    """Zero to four reader comments."""
    ident = story.ident
    comments = []
    for _ in range(rng.randint(0, 4)):
        user = f"{rng.choice(FIRST_F + FIRST_M).lower()}{rng.randint(1, 999)}"
        words = rng.choice(COMMENTS).format(
            city=ident.city,
            capital=ident.country.capital,
            year=ident.published.year - 2,
            Sur=ident.people[0].last,
        )
        comments.append(
            f'<div class="comment"><span class="comment-author">{_esc(user)}'
            f"</span><p>{_esc(words)}</p></div>"
        )
    return (
        f'<section id="comments" class="comments"><h2>Comments ({len(comments)})'
        f"</h2>{''.join(comments)}</section>"
    )


def _html_footer(story: Story, site: Site) -> list[str]:
    """The end of the page: cookie banner, footer, closing tags."""
    return [
        "</main>",
        '<div id="cookie-consent" class="cookie-banner"><p>We use cookies to improve your '
        'experience and to show you relevant advertising. <a href="/privacy">Privacy '
        "policy</a></p><button>Accept all</button><button>Manage choices</button></div>",
        f'<footer class="site-footer"><p>\u00a9 {story.ident.published.year} '
        f"{_esc(site.name)}. All rights reserved.</p><ul>"
        '<li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
        '<li><a href="/terms">Terms of use</a></li></ul></footer>',
        "</body>",
        "</html>",
    ]


def link_urls(text: str, rng: Random) -> str:
    """Turn most URLs written in an escaped paragraph into anchors."""

    def repl(m: re.Match[str]) -> str:
        url = m.group(0)
        return f'<a href="{url}">{url}</a>' if rng.random() < 0.7 else url

    return _URL_RE.sub(repl, text)
