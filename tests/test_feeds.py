"""Atom feeds of the archive, each outlet and each topic: valid, deterministic, discoverable."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from htmlsite import links_from
from publisher.pages.feeds import render_feeds, xml_text
from publisher.model import Corpus, PartialDate
from publisher.pipeline import check_corpus
from publisher.settings import Limits, Settings
from untrusted import HOSTILE_OUTLET, HOSTILE_TITLE

FEED_LIMIT = Limits().feed_limit

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://owner.github.io/news-corpus-archive/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def feed_files(root) -> dict[str, ET.Element]:
    """Every feed in the built site, parsed: {path inside site/: root element} (the sitemaps beside them are not feeds)."""
    site = root / "site"
    return {p.relative_to(site).as_posix(): ET.parse(p).getroot() for p in sorted((site / "feeds").rglob("*.xml"))
            if p.name != "sitemap.xml"}


def check_atom(path: str, feed: ET.Element) -> list[ET.Element]:
    """Assert what RFC 4287 requires of a feed and its entries; return the entries."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, f"{path}: one {name}"
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}id").text == SITE + path
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == SITE + path
    assert links["alternate"].startswith(SITE)
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for name in ("id", "title", "updated", "published", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, f"{path}: entry needs one {name}"
        assert RFC3339.match(entry.find(f"{ATOM}updated").text)
        assert entry.findall(f"{ATOM}author/{ATOM}name")
        alternate = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert len(alternate) == 1 and alternate[0].get("href") == entry.find(f"{ATOM}id").text
        for element in entry.iter():
            for attribute in ("href", "scheme"):
                if element.get(attribute):
                    assert element.get(attribute).startswith(SITE), f"{path}: {element.get(attribute)} is not absolute"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)), f"{path}: entry ids repeat"
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True), f"{path}: newest first"
    updated = feed.find(f"{ATOM}updated").text
    assert RFC3339.match(updated)
    if dates:
        assert updated == dates[0], f"{path}: updated is the newest entry's date"
    return entries


def test_real_site_has_a_valid_feed_for_the_archive_each_outlet_and_each_topic(built_site):
    corpus = check_corpus(built_site)
    feeds = feed_files(built_site)
    expected = {"feeds/all.xml"} | {f"feeds/outlets/{o.id}.xml" for o in corpus.outlets} | {f"feeds/topics/{t.id}.xml" for t in corpus.topics}
    assert set(feeds) == expected
    for path, feed in feeds.items():
        check_atom(path, feed)
    entries = feeds["feeds/all.xml"].findall(f"{ATOM}entry")
    assert len(entries) == len(corpus.articles)
    assert feeds["feeds/all.xml"].find(f"{ATOM}updated").text == "2024-07-01T00:00:00Z"
    zerohedge = feeds["feeds/outlets/zerohedge.xml"].findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in zerohedge] == ["Belarus Cracks Down On Pro-Ukraine Guerrillas As War Threatens To Expand"]
    assert zerohedge[0].find(f"{ATOM}updated").text == "2023-03-19T00:00:00Z"
    feed_ids = [f.find(f"{ATOM}id").text for f in feeds.values()]
    assert len(feed_ids) == len(set(feed_ids))


def test_untrusted_values_survive_the_feed_intact(untrusted_site):
    feeds = feed_files(untrusted_site)
    for path, feed in feeds.items():
        check_atom(path, feed)
    titles = [e.find(f"{ATOM}title").text for e in feeds["feeds/all.xml"].findall(f"{ATOM}entry")]
    assert titles == [HOSTILE_TITLE, "Troops Gather at the Border", "Treaty Talks Resume"]
    source = (untrusted_site / "site" / "feeds" / "all.xml").read_text()
    assert "<script>" not in source and "</title><" not in source
    gamma = feeds["feeds/all.xml"].find(f"{ATOM}entry")
    assert [a.text for a in gamma.findall(f"{ATOM}author/{ATOM}name")] == ["Jane Reporter", "Ludwig van Beethoven"]
    assert gamma.find(f"{ATOM}summary").text == "@SUM(1+1) is what a spreadsheet would run."
    # The Gazette's article names no author: the entry names the outlet.
    beta = feeds["feeds/outlets/gazette.xml"].find(f"{ATOM}entry")
    assert [a.text for a in beta.findall(f"{ATOM}author/{ATOM}name")] == ["The Gazette"]


def test_a_topic_without_articles_still_has_a_valid_feed_dated_by_the_archive(untrusted_site):
    feed = feed_files(untrusted_site)["feeds/topics/quiet.xml"]
    assert check_atom("feeds/topics/quiet.xml", feed) == []
    assert feed.find(f"{ATOM}updated").text == "2023-04-01T00:00:00Z"


def head_feeds(page) -> list[str]:
    text = page.read_text()
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', text)


def test_every_page_announces_the_archive_feed_and_its_own_in_the_head(untrusted_site):
    site = untrusted_site / "site"
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html" and page.parent == site:
            continue
        hrefs = head_feeds(page)
        assert hrefs, f"{page}: no feed in the head"
        assert (page.parent / hrefs[0]).resolve() == (site / "feeds" / "all.xml").resolve()
    for kind, item in (("outlets", "daily-planet"), ("outlets", "gazette"), ("topics", "border"), ("topics", "quiet")):
        page = site / kind / item / "index.html"
        hrefs = head_feeds(page)
        assert [(page.parent / h).resolve() for h in hrefs] == [(site / "feeds/all.xml").resolve(),
                                                               (site / f"feeds/{kind}/{item}.xml").resolve()]
        # and a visible link in the page, for readers who do not know about the head
        assert f"feeds/{kind}/{item}.xml" in links_from(site, f"{kind}/{item}/index.html")
    assert "feeds/all.xml" in links_from(site, "index.html")
    assert "feeds/all.xml" in links_from(site, "articles/index.html")
    title = re.search(r'type="application/atom\+xml" title="([^"]*)" href="../../feeds/outlets/daily-planet.xml"',
                      (site / "outlets/daily-planet/index.html").read_text()).group(1)
    assert title == "Daily Planet – News Corpus Archive"


def test_feeds_hold_the_newest_articles_up_to_the_limit_and_never_the_build_time(make_project):
    corpus = check_corpus(make_project())
    alpha = corpus.articles[-1]
    many = tuple(replace(alpha, id=f"{n:03d}_copy", slug=f"copy-{n:03d}", date=PartialDate(2000 + n // 12, n % 12 + 1, 1))
                 for n in range(FEED_LIMIT + 10))
    big = Corpus(many, corpus.outlets, corpus.topics)
    first = render_feeds(big, Settings(Path(), "News Corpus Archive", SITE))
    assert first == render_feeds(big, Settings(Path(), "News Corpus Archive", SITE))
    feed = ET.fromstring(first["feeds/all.xml"])
    entries = check_atom("feeds/all.xml", feed)
    assert len(entries) == FEED_LIMIT
    assert entries[0].find(f"{ATOM}id").text == SITE + f"articles/copy-{FEED_LIMIT + 9:03d}/"
    assert feed.find(f"{ATOM}updated").text == "2004-12-01T00:00:00Z"


def test_characters_xml_cannot_carry_are_dropped():
    assert xml_text("a\x0bb\ufffe\x00c\tok") == "abc\tok"
    assert xml_text(3) == 3


def test_an_untrusted_outlet_name_stays_inside_the_head_link_and_the_feed(untrusted_site):
    import html.parser

    class Heads(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.links = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "link" and attrs.get("type") == "application/atom+xml":
                self.links.append(attrs)

    site = untrusted_site / "site"
    heads = Heads()
    heads.feed((site / "outlets" / "quoted" / "index.html").read_text())
    assert [link["title"] for link in heads.links] == ["News Corpus Archive: all articles", f"{HOSTILE_OUTLET} – News Corpus Archive"]
    assert all(set(link) == {"rel", "type", "title", "href"} for link in heads.links)
    assert "<script>alert" not in (site / "outlets" / "quoted" / "index.html").read_text()
    feed = feed_files(untrusted_site)["feeds/outlets/quoted.xml"]
    assert check_atom("feeds/outlets/quoted.xml", feed) == []
    assert feed.find(f"{ATOM}title").text == f"{HOSTILE_OUTLET} – News Corpus Archive"
