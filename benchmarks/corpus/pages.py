"""Full HTML pages around an article body: head, styles, scripts, menus, related links and footer.

A news page averages about 60 KB, most of it boilerplate, as on real news sites: an inline style
sheet, a large serialized application state, ad and analytics scripts, a mega menu, teaser cards and
a footer of links. Three layouts (skins) put the article body in different markup. Official notices
use a plainer government layout.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
from dataclasses import dataclass
from functools import cache

from benchmarks.corpus import prose
from benchmarks.corpus.vocab import Gazette, Outlet

MENU = (
    "World",
    "Business",
    "Markets",
    "Policy",
    "Technology",
    "Climate",
    "Opinion",
    "Life",
    "Sport",
    "Video",
)
FOOTER_COLUMNS = ("About us", "Products", "Help", "Legal", "Follow", "Regions")


@dataclass(frozen=True)
class Page:
    """What goes into one article page."""

    url: str
    title: str
    description: str
    paragraphs: list[str]
    published: dt.datetime
    author: str
    section: str


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


@cache
def _teasers(seed: int) -> tuple[str, ...]:
    """A pool of ordinary headlines for menus and teaser cards (no measure is ever named)."""
    rng = random.Random(f"{seed}:teasers")
    topics = sorted(prose.TITLES)
    return tuple(prose.topic_title(rng.choice(topics), rng) for _ in range(3000))


@cache
def _stylesheet(skin: str) -> str:
    rng = random.Random(f"css:{skin}")
    parts = ["*{box-sizing:border-box}body{margin:0;font-family:Georgia,serif;line-height:1.5}"]
    for i in range(140):
        parts.append(
            f".{skin}-c{i}{{margin:{rng.randint(0, 24)}px {rng.randint(0, 24)}px;"
            f"padding:{rng.randint(0, 16)}px;"
            f"color:#{rng.getrandbits(24):06x};font-size:{rng.randint(11, 28)}px;"
            f"border-bottom:1px solid #{rng.getrandbits(24):06x}}}"
        )
        if i % 10 == 0:
            parts.append(f"@media (max-width:{rng.randint(480, 1200)}px){{.{skin}-c{i}{{display:none}}}}")
    return "\n".join(parts)


@cache
def _menu(outlet: Outlet, seed: int) -> str:
    rng = random.Random(f"{seed}:menu:{outlet.id}")
    pool = _teasers(seed)
    p = outlet.skin
    items = []
    for label in MENU:
        slug = label.lower()
        links = "".join(
            f'<li class="{p}-menu__item"><a class="{p}-menu__link" '
            f'href="/{slug}/{i}-{rng.getrandbits(20):x}" '
            f'data-track="menu-{slug}-{i}">{_esc(rng.choice(pool))}</a></li>'
            for i in range(10)
        )
        items.append(
            f'<li class="{p}-nav__section"><a href="/{slug}" class="{p}-nav__link">{label}</a>'
            f'<div class="{p}-mega"><ul class="{p}-menu">{links}</ul></div></li>'
        )
    return (
        f'<header class="{p}-header"><div class="{p}-brand">'
        f'<a href="/" class="{p}-logo">{_esc(outlet.name)}</a>'
        f'<span class="{p}-date" id="{p}-today"></span></div>'
        f'<nav class="{p}-nav" aria-label="Sections"><ul class="{p}-nav__list">{"".join(items)}</ul></nav>'
        f'<form class="{p}-search" action="/search"><input type="search" name="q" placeholder="Search">'
        f'<button type="submit">Go</button></form></header>'
    )


@cache
def _footer(outlet: Outlet) -> str:
    rng = random.Random(f"footer:{outlet.id}")
    p = outlet.skin
    columns = []
    for name in FOOTER_COLUMNS:
        links = "".join(
            f'<li><a href="/{name.lower().replace(" ", "-")}/{rng.getrandbits(16):x}">'
            f"{name} link {i + 1}</a></li>"
            for i in range(12)
        )
        columns.append(f'<div class="{p}-footer__col"><h4>{name}</h4><ul>{links}</ul></div>')
    return (
        f'<footer class="{p}-footer"><div class="{p}-footer__cols">{"".join(columns)}</div>'
        f'<p class="{p}-legal">Copyright {_esc(outlet.name)}. All rights reserved. Reproduction of this '
        f"material in any form requires written permission. Market data delayed by at least 15 minutes.</p>"
        f"</footer>"
    )


def _state_blob(rng: random.Random, seed: int, page: Page) -> str:
    pool = _teasers(seed)
    items = [
        {
            "id": f"{rng.getrandbits(48):012x}",
            "headline": rng.choice(pool),
            "url": f"/{page.section}/{rng.getrandbits(32):08x}",
            "image": {"src": f"https://img.example/{rng.getrandbits(40):010x}.jpg", "w": 640, "h": 360},
            "published": (page.published - dt.timedelta(hours=rng.randint(1, 500))).isoformat(),
            "flags": {"premium": rng.random() < 0.2, "live": False},
        }
        for _ in range(rng.randint(25, 110))
    ]
    state = {
        "props": {
            "pageProps": {
                "article": {"id": f"{rng.getrandbits(64):016x}", "section": page.section, "wordCount": 0},
                "recirculation": items,
            }
        },
        "ads": [
            {"slot": f"div-gpt-{i}", "sizes": [[300, 250], [728, 90]]} for i in range(rng.randint(4, 12))
        ],
        "buildId": f"{rng.getrandbits(40):010x}",
    }
    return json.dumps(state, separators=(",", ":")).replace("</", "<\\/")


def _cards(rng: random.Random, seed: int, p: str, n: int) -> str:
    pool = _teasers(seed)
    return "".join(
        f'<div class="{p}-card"><a href="/story/{rng.getrandbits(32):08x}"><img src="https://img.example/'
        f'{rng.getrandbits(32):08x}.jpg" alt="" loading="lazy"><span class="{p}-card__title">'
        f"{_esc(rng.choice(pool))}</span></a></div>"
        for _ in range(n)
    )


def _article_markup(skin: str, page: Page) -> str:
    paras = "".join(f"<p>{_esc(t)}</p>" for t in page.paragraphs)
    when = page.published.isoformat()
    byline = (
        f'<span class="byline">By {_esc(page.author)}</span> '
        f'<time datetime="{when}">{page.published:%d %b %Y}</time>'
    )
    if skin in ("hl", "cp"):
        return (
            f'<article class="{skin}-story"><h1 class="{skin}-headline">{_esc(page.title)}</h1>'
            f'<p class="{skin}-standfirst">{_esc(page.description)}</p>'
            f'<div class="{skin}-meta">{byline}</div>'
            f'<div class="{skin}-body">{paras}</div></article>'
        )
    if skin in ("ml", "nb"):
        return (
            f'<main id="content"><div class="story"><h1>{_esc(page.title)}</h1>'
            f'<div class="story-meta">{byline}'
            f'</div><figure class="lead-image"><img src="https://img.example/lead.jpg" alt=""><figcaption>'
            f"File photo.</figcaption></figure>"
            f'<div class="story-body" itemprop="articleBody">{paras}</div></div></main>'
        )
    return (
        f'<div id="main"><section class="content"><header><h1 class="title">{_esc(page.title)}</h1>{byline}'
        f'</header><div id="article-text">{paras}</div>'
        f'<ul class="tags"><li><a href="/tag/{page.section}">{page.section}</a></li></ul></section></div>'
    )


def news_page(outlet: Outlet, page: Page, seed: int, rng: random.Random, charset: str = "utf-8") -> str:
    """A complete news page (an HTML string) for one article."""
    p = outlet.skin
    when = page.published.isoformat()
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.title,
            "datePublished": when,
            "author": [{"@type": "Person", "name": page.author}],
            "publisher": {"@type": "NewsMediaOrganization", "name": outlet.name},
        }
    )
    head = (
        f'<!doctype html><html lang="en"><head><meta charset="{charset}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(page.title)} | {_esc(outlet.name)}</title>"
        f'<meta name="description" content="{_esc(page.description)}">'
        f'<link rel="canonical" href="{page.url}">'
        f'<meta property="og:title" content="{_esc(page.title)}">'
        f'<meta property="og:site_name" content="{_esc(outlet.name)}">'
        f'<meta property="article:published_time" content="{when}">'
        f'<meta property="article:section" content="{page.section}">'
        f'<script type="application/ld+json">{ld}</script>'
        f"<style>{_stylesheet(p)}</style>"
        f"<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}"
        f"gtag('js',new Date());gtag('config','G-{rng.getrandbits(32):08X}',{{anonymize_ip:true}});</script>"
        f"</head>"
    )
    cookie = (
        f'<div class="{p}-cookie" role="dialog"><p>We use cookies to run this site, measure audiences and '
        f'show advertising. <a href="/privacy">Privacy policy</a></p><button>Accept</button>'
        f"<button>Manage</button></div>"
    )
    newsletter = (
        f'<aside class="{p}-newsletter"><h3>Morning briefing</h3><p>The day\'s essential stories in your '
        f'inbox.</p><form action="/newsletter"><input type="email" name="email"><button>Sign up</button>'
        f"</form></aside>"
    )
    related = (
        f'<section class="{p}-related"><h2>More on this topic</h2>'
        f"{_cards(rng, seed, p, rng.randint(6, 16))}</section>"
    )
    most_read = f'<aside class="{p}-mostread"><h2>Most read</h2>{_cards(rng, seed, p, 10)}</aside>'
    share = (
        f'<div class="{p}-share"><a href="https://social.example/share?u={page.url}">Share</a>'
        f'<a href="mailto:?subject={_esc(page.title)}">Email</a><button class="{p}-save">Save</button></div>'
    )
    scripts = (
        f'<script id="__APP_STATE__" type="application/json">{_state_blob(rng, seed, page)}</script>'
        f'<script src="https://static.example/{p}/app.{rng.getrandbits(32):08x}.js" defer></script>'
        f"<script>(function(){{var s=document.createElement('script');s.async=true;"
        f"s.src='https://ads.example/tag.js?site={outlet.id}&sec={page.section}';"
        f"document.head.appendChild(s)}})();</script>"
    )
    return (
        f'{head}<body class="{p}-page {p}-page--article">{cookie}<div class="{p}-wrap">{_menu(outlet, seed)}'
        f'<div class="{p}-grid"><div class="{p}-col-main">{_article_markup(p, page)}{share}{related}</div>'
        f'<div class="{p}-col-side">{newsletter}{most_read}</div></div>{_footer(outlet)}</div>{scripts}'
        f"</body></html>"
    )


def notice_page(gazette: Gazette, page: Page, rng: random.Random) -> str:
    """An official notice page of a government gazette."""
    paras = "".join(f"<p>{_esc(t)}</p>" for t in page.paragraphs)
    links = "".join(
        f'<li><a href="/notices/{rng.getrandbits(24):06x}">'
        f"Notice {rng.randint(1, 400)} on procedures</a></li>"
        for _ in range(40)
    )
    menu = "".join(
        f'<li><a href="/{s.lower()}">{s}</a></li>'
        for s in ("Home", "About", "Notices", "Laws", "Statistics", "Services", "Contact", "Open data")
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_esc(page.title)}</title>'
        f'<meta name="dc.date.issued" content="{page.published:%Y-%m-%d}">'
        f'<link rel="canonical" href="{page.url}"><style>{_stylesheet("gov")}</style></head>'
        f'<body><div class="gov-top"><a href="/">{_esc(gazette.name)}</a>'
        f'<ul class="gov-menu">{menu}</ul></div>'
        f'<div class="gov-crumbs"><a href="/">Home</a> / <a href="/notices">Notices</a></div>'
        f'<div class="gov-main"><div class="gov-article"><h1>{_esc(page.title)}</h1>'
        f'<div class="gov-info">Issued {page.published:%Y-%m-%d}</div>'
        f'<div class="gov-text">{paras}</div>'
        f'<div class="gov-attach"><a href="/files/{rng.getrandbits(32):08x}.pdf">Annex (PDF)</a></div></div>'
        f'<div class="gov-side"><h3>Recent notices</h3><ul>{links}</ul></div></div>'
        f'<div class="gov-footer"><p>{_esc(gazette.name)}. Site map. Accessibility. Privacy.</p></div>'
        f"</body></html>"
    )


def rss_feed(title: str, link: str, items: list[tuple[str, str, dt.datetime, str]]) -> str:
    """An RSS 2.0 feed; items are (title, link, published, description)."""
    body = "".join(
        f'<item><title>{_esc(t)}</title><link>{u}</link><guid isPermaLink="true">{u}</guid>'
        f"<pubDate>{when:%a, %d %b %Y %H:%M:%S %z}</pubDate><description>{_esc(d)}</description></item>"
        for t, u, when, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{_esc(title)}</title>'
        f"<link>{link}</link><description>{_esc(title)}</description>{body}</channel></rss>"
    )


def atom_feed(title: str, link: str, items: list[tuple[str, str, dt.datetime, str]]) -> str:
    """An Atom feed; items are (title, link, published, description)."""
    body = "".join(
        f'<entry><title>{_esc(t)}</title><link href="{u}"/><id>{u}</id>'
        f"<published>{when.isoformat()}</published><updated>{when.isoformat()}</updated>"
        f"<summary>{_esc(d)}</summary></entry>"
        for t, u, when, d in items
    )
    updated = max((w for _, _, w, _ in items), default=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).isoformat()
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{_esc(title)}</title><link href="{link}"/><id>{link}</id><updated>{updated}</updated>'
        f"{body}</feed>"
    )


def robots_txt(host: str) -> str:
    """A robots.txt that allows articles and feeds."""
    return (
        "User-agent: *\nDisallow: /search\nDisallow: /account/\nDisallow: /newsletter\nAllow: /\n\n"
        f"Sitemap: https://{host}/sitemap.xml\n"
    )
