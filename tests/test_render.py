"""Rendering: untrusted text can never become Markdown or HTML syntax."""
from __future__ import annotations

import html as htmllib

import markdown

from publisher.pages.escaping import escape_text, escape_url
from publisher.pages.markup import front_matter


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "toc"])


def test_markdown_and_html_syntax_is_shown_literally():
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) *b* _i_ `c` {{ x }} {% y %} # h | t"
    html = to_html(f"<p>{escape_text(hostile)}</p>")
    assert "<script>" not in html and "<a" not in html and "<em>" not in html and "<code>" not in html
    assert "&lt;script&gt;" in html.replace("&#60;", "&lt;").replace("&#62;", "&gt;")


def test_escaped_text_in_a_markdown_link_stays_the_link_text():
    html = to_html(f"[{escape_text('a](javascript:alert(1))[b')}](page.md)")
    assert html.count("<a ") == 1 and 'href="page.md"' in html
    assert htmllib.unescape(html) == '<p><a href="page.md">a](javascript:alert(1))[b</a></p>'


def test_line_breaks_cannot_end_a_block():
    html = to_html(f"<p>{escape_text('one' + chr(10) + chr(10) + '# not a heading')}</p>")
    assert "<h1" not in html


def test_urls_are_quoted_for_links():
    assert escape_url("https://e.org/a b)c\"d") == "https://e.org/a%20b%29c%22d"


def test_front_matter_escapes_titles_once_for_the_theme():
    assert front_matter({"title": "</title><script>"}) == "---\ntitle: '&lt;/title&gt;&lt;script&gt;'\n---\n"


def test_article_pages_keyed_in_worker_processes_are_the_serial_ones(monkeypatch, worker_pools):
    """Article pages (related coverage, keys, Markdown) are made across worker processes for a large
    corpus: forced here on the seeds, the pages and keys are those of one process."""
    import dataclasses

    from conftest import REPO

    from publisher.pipeline import check_corpus, prepare_corpus
    from publisher.pages.render import render_changed_pages
    from publisher.settings import read_settings

    corpus = prepare_corpus(check_corpus(REPO))
    serial = render_changed_pages(corpus, read_settings(REPO), {})
    monkeypatch.setattr("publisher.pages.render.worker_count", lambda workers, texts, articles: 2)
    parallel = render_changed_pages(corpus, read_settings(REPO), {})
    assert worker_pools == [2]
    assert parallel == serial
    assert render_changed_pages(corpus, read_settings(REPO), None) == dataclasses.replace(serial, keys={})
    title = next(path for path in serial.keys if path.startswith("articles/") and path != "articles/index.md")
    kept = render_changed_pages(corpus, read_settings(REPO), {title: serial.keys[title]})
    assert kept.pages[title] is None and kept.keys == serial.keys
    assert kept.pages == {**serial.pages, title: None}  # the workers rendered every other page
    assert worker_pools == [2, 2, 2]


def test_after_an_edit_of_what_one_article_shows_the_pages_that_do_not_show_it_are_not_keyed(monkeypatch):
    """The live preview's shortcut (ShownOnly): for each seed article in turn, a new title and summary
    give the pages and keys of a render that keys every page, and key fewer pages."""
    import dataclasses

    from conftest import REPO

    from publisher.pages.page_keys import PageKeys
    from publisher.pipeline import check_corpus, prepare_corpus
    from publisher.pages.render import render_changed_pages
    from publisher.pages.render_tasks import ShownOnly
    from publisher.settings import read_settings

    corpus, settings = prepare_corpus(check_corpus(REPO)), read_settings(REPO)
    last = render_changed_pages(corpus, settings, {})
    keyed: list[str] = []
    real_key = PageKeys.key
    monkeypatch.setattr(PageKeys, "key", lambda self, template, path, values: keyed.append(path) or real_key(self, template, path, values))
    for position, article in enumerate(corpus.articles):
        shown = dataclasses.replace(article, title=article.title + " (corrected)", summary="A corrected summary.")
        edited = dataclasses.replace(corpus, articles=corpus.articles[:position] + (shown,) + corpus.articles[position + 1:])
        keyed.clear()
        full = render_changed_pages(edited, settings, last.keys)
        every = set(keyed)
        keyed.clear()
        fast = render_changed_pages(edited, settings, last.keys, shown_only=ShownOnly(frozenset([article.id]), last.related))
        assert (fast.pages, fast.keys, fast.related) == (full.pages, full.keys, full.related), article.id
        assert set(keyed) < every, article.id


def test_one_article_more_or_less_changes_only_the_listing_page_it_is_on():
    """Pages end where the articles say, not every page_size articles: an edit does not shift every later page."""
    from types import SimpleNamespace

    from publisher.pages.listings import split_pages

    articles = [SimpleNamespace(id=f"article-{n:05d}") for n in range(3000)]
    pages = split_pages(articles, 200)
    assert all(100 <= len(page) <= 200 for page in pages[:-1]) and sum(map(len, pages)) == 3000
    for position in range(0, 3000, 97):
        added = split_pages(articles[:position] + [SimpleNamespace(id="added")] + articles[position:], 200)
        removed = split_pages(articles[:position] + articles[position + 1:], 200)
        for other in (added, removed):
            changed = [n for n in range(max(len(pages), len(other))) if pages[n:n + 1] != other[n:n + 1]]
            assert len(changed) <= 3, (position, changed)
    assert split_pages([], 200) == [[]]
    assert split_pages(articles[:3], 1) == [[a] for a in articles[:3]]


def test_a_changed_mention_renders_again_only_the_keyword_page_that_shows_it():
    """Each page of a keyword's listing is keyed with its own articles' mentions, not the keyword's all."""
    import dataclasses

    from conftest import REPO

    from publisher.pipeline import check_corpus, prepare_corpus
    from publisher.pages.render import render_changed_pages
    from publisher.pages.routes import keyword_path, page_path
    from publisher.settings import Limits, read_settings

    corpus = prepare_corpus(check_corpus(REPO))
    settings = dataclasses.replace(read_settings(REPO), limits=Limits(page_size=1))  # a page per article
    entry = max(corpus.keyword_index, key=lambda e: len(e.mentions))
    assert len(entry.mentions) >= 3
    last = render_changed_pages(corpus, settings, {})
    changed = entry.mentions[-1]
    mentions = entry.mentions[:-1] + (dataclasses.replace(changed, count=changed.count + 1),)
    index = tuple(dataclasses.replace(e, mentions=mentions) if e is entry else e for e in corpus.keyword_index)
    again = render_changed_pages(dataclasses.replace(corpus, keyword_index=index), settings, last.keys)
    pages = [page_path(keyword_path(entry.keyword.slug), n) for n in range(1, len(entry.mentions) + 1)]
    rendered = [path for path in pages if again.pages.get(path) is not None]
    assert len(rendered) == 1 and again.pages[rendered[0]] != last.pages[rendered[0]]
