"""The real corpus, built with real MkDocs: every page there, cross-linked both ways, no broken link."""
from __future__ import annotations

import hashlib
import re

from htmlsite import broken_links, links_from
from publisher.pipeline import prepare_corpus, check_corpus

SEED_IDS = ["000_ece0d557dbdc8653", "001_4411e158f26d3872", "002_a83c688eb481b20a",
            "003_f5749907f425ad4f", "004_b81497d0bf113f54"]


def real_corpus(root):
    return prepare_corpus(check_corpus(root))


def test_every_article_has_a_page_with_its_title_outlet_and_date(built_site):
    corpus = real_corpus(built_site)
    assert sorted(a.id for a in corpus.articles) == SEED_IDS
    for article in corpus.articles:
        page = built_site / "site" / "articles" / article.slug / "index.html"
        html = page.read_text()
        assert f"<title>{article.title.replace('&', '&amp;').replace(chr(39), '&#x27;')} - News Corpus Archive</title>" in html
        assert article.date.label in html


def test_raw_text_is_published_byte_for_byte(built_site):
    for seed_id in SEED_IDS:
        original = (built_site / "seeds" / f"{seed_id}.txt").read_bytes()
        published = (built_site / "site" / "raw" / f"{seed_id}.txt").read_bytes()
        assert published == original
        assert hashlib.sha256(original).hexdigest() in (built_site / "site_src" / "articles").joinpath(
            next(p.name for p in (built_site / "site_src" / "articles").glob("*.md") if seed_id in p.read_text())).read_text()


def test_no_internal_link_is_broken(built_site):
    assert broken_links(built_site / "site") == []


def test_article_links_outlet_topics_keywords_and_back(built_site):
    site = built_site / "site"
    corpus = real_corpus(built_site)
    for article in corpus.articles:
        page = f"articles/{article.slug}/index.html"
        out = links_from(site, page)
        assert f"outlets/{article.outlet}/index.html" in out
        assert f"raw/{article.id}.txt" in out
        for topic in article.topics:
            assert f"topics/{topic}/index.html" in out
            assert page in links_from(site, f"topics/{topic}/index.html")
        for keyword in article.keywords:
            assert f"keywords/{keyword.slug}/index.html" in out
            assert page in links_from(site, f"keywords/{keyword.slug}/index.html")
        assert page in links_from(site, f"outlets/{article.outlet}/index.html")
        assert page in links_from(site, "timeline/index.html")
        assert page in links_from(site, "articles/index.html")


def test_listing_pages_exist_for_every_outlet_topic_and_keyword(built_site):
    site = built_site / "site"
    corpus = real_corpus(built_site)
    for outlet in corpus.outlets:
        assert (site / "outlets" / outlet.id / "index.html").exists()
    for topic in corpus.topics:
        assert (site / "topics" / topic.id / "index.html").exists()
    keywords = {k.slug for a in corpus.articles for k in a.keywords}
    assert len(keywords) >= 30
    for slug in keywords:
        assert (site / "keywords" / slug / "index.html").exists()
    assert set(links_from(site, "keywords/index.html")) >= {f"keywords/{s}/index.html" for s in keywords}


def test_reading_view_hides_furniture_but_keeps_the_words(built_site):
    html = (built_site / "site" / "articles" / "lukashenko-zelensky-forging-ukrainian-belarusian-front-against-russia" / "index.html").read_text()
    text = html.split('class="archive-text"', 1)[1].split("</div>", 1)[0]
    assert "PayPal" not in text and "BTC" not in text and "Support SouthFront" not in text
    assert "Negative tendencies have been ramping up in Eastern Europe" in text
    assert text.count("<li>") == 3  # the SMM citations stay a list


def test_timeline_groups_by_year_and_month(built_site):
    html = (built_site / "site" / "timeline" / "index.html").read_text()
    headings = re.findall(r"<h[23][^>]*>([^<]+)", html)
    assert headings[:3] == ["2024", "July 2024", "2023"]


def test_related_articles_show_the_shared_terms(built_site):
    html = (built_site / "site" / "articles" / "belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand" / "index.html").read_text()
    related = html.split('id="related-coverage"', 1)[1].split("<h2", 1)[0]
    assert "Shared: " in related
    assert related.count("<li>") >= 3


def test_site_src_is_deterministic(built_site, tmp_path):
    from publisher.pipeline import build_site
    from conftest import repo_inputs, write_project
    again = write_project(tmp_path / "again", repo_inputs())
    build_site(again, run_mkdocs=False)
    first = {p.relative_to(built_site / "site_src"): p.read_bytes() for p in (built_site / "site_src").rglob("*") if p.is_file()}
    second = {p.relative_to(again / "site_src"): p.read_bytes() for p in (again / "site_src").rglob("*") if p.is_file()}
    assert first == second


def test_pages_cut_to_what_pagefind_reads_index_to_the_same_files(built_site, tmp_path):
    import shutil

    from publisher.pages.routes import SEARCH_SCOPE
    from publisher.search.index import run_pagefind
    from publisher.search.cut_pages import cut_page, cut_search_pages

    def files(folder):  # Pagefind names its filter and meta files differently run to run (docs/performance.md): the rest
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and p.relative_to(folder).parts[0] in ("fragment", "index")}

    whole, cut, pages = tmp_path / "whole", tmp_path / "cut", tmp_path / "pages"
    for site in (whole, cut):
        shutil.copytree(built_site / "site", site)
        shutil.rmtree(site / "pagefind")
    assert all(cut_page(p.read_text(encoding="utf-8")) for p in whole.glob("articles/*/index.html"))
    assert cut_search_pages(cut, pages) == len(list(whole.glob(SEARCH_SCOPE)))  # listings in the scope go whole
    assert sum(p.stat().st_size for p in pages.rglob("*.html")) < sum(p.stat().st_size for p in whole.glob("articles/*/index.html")) / 2

    run_pagefind(whole, whole / "pagefind")
    run_pagefind(pages, cut / "pagefind")

    assert files(cut / "pagefind") == files(whole / "pagefind")
    assert not (pages / "pagefind").exists()
