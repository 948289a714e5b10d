"""Every article page says where its text came from and how to cite the original publication."""
from __future__ import annotations

import hashlib
import html.parser
import subprocess
import sys

import pytest

from publisher.model import InputError, PartialDate
from publisher.pipeline import check_corpus
from publisher.pages.provenance import apa_authors, apa_date, cite_apa, cite_article, cite_bibtex, escape_bibtex, split_name
from publisher.settings import read_site_settings
from publisher.pages.routes import page_url
from untrusted import ARCHIVE_URL, HOSTILE_PUBLISHER, HOSTILE_SOURCE, HOSTILE_TITLE, UNTRUSTED_FILES

SITE = "https://owner.github.io/news-corpus-archive/"
NAME = "News Corpus Archive"


class _Text(html.parser.HTMLParser):
    """The text inside the element with a given id, entities decoded, as a reader sees it."""

    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.parts = element_id, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(page_html: str, element_id: str) -> str:
    parser = _Text(element_id)
    parser.feed(page_html)
    return "".join(parser.parts)


def articles_of(root) -> dict:
    corpus = check_corpus(root)
    return {a.id: (a, {o.id: o for o in corpus.outlets}[a.outlet]) for a in corpus.articles}


def permalink(article) -> str:
    return page_url(f"articles/{article.slug}.md", SITE)


def is_balanced(bibtex: str) -> bool:
    depth = 0
    for char in bibtex:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_names_become_family_name_and_initials():
    assert split_name("Tyler Durden") == ("Durden", "Tyler")
    assert split_name("Ludwig van Beethoven") == ("van Beethoven", "Ludwig")
    assert split_name("Durden, Tyler") == ("Durden", "Tyler")
    assert split_name("Reuters") == ("Reuters", "")
    assert apa_authors(("Tyler Durden",)) == "Durden, T."
    assert apa_authors(("Tyler Durden", "Jean-Claude Paul Martin")) == "Durden, T., & Martin, J.-C. P."
    assert apa_authors(("A One", "B Two", "Reuters")) == "One, A., Two, B., & Reuters"


def test_apa_date_says_no_more_than_the_text_supports():
    assert apa_date(PartialDate(2023, 3, 19)) == "2023, March 19"
    assert apa_date(PartialDate(2022, 10)) == "2022, October"
    assert apa_date(PartialDate(2020)) == "2020"


def test_bibtex_escapes_every_latex_special_and_keeps_braces_balanced():
    assert escape_bibtex("{a}\\b%c&d#e_f$g~h^i") == (
        r"\textbraceleft{}a\textbraceright{}\textbackslash{}b\%c\&d\#e\_f\$g\textasciitilde{}h\textasciicircum{}i")
    assert is_balanced(escape_bibtex("}}} {{ \\"))


def test_citations_of_an_article_with_an_author_and_a_day(make_project):
    article, outlet = articles_of(make_project())["001_alpha"]
    link = SITE + "articles/troops-gather-at-the-border/"
    citation = cite_article(article, outlet, NAME, link)
    assert citation.apa_text == (
        "Reporter, J. (2023, March 19). Troops Gather at the Border. Daily Planet. "
        f"https://dailyplanet.example/troops Archived in {NAME}: {link}")
    assert ("Troops Gather at the Border", True) in citation.apa  # the title is set in italics
    assert citation.bibtex == (
        "@misc{reporter2023troops,\n"
        "  author       = {Reporter, Jane},\n"
        "  title        = {{Troops Gather at the Border}},\n"
        "  howpublished = {Daily Planet},\n"
        "  year         = {2023},\n"
        "  month        = mar,\n"
        "  date         = {2023-03-19},\n"
        "  url          = {https://dailyplanet.example/troops},\n"
        r"  note         = {Archived in News Corpus Archive, \url{" + link + "}}\n"
        "}\n")


def test_citations_of_an_article_without_author_known_to_the_month(make_project):
    article, outlet = articles_of(make_project())["002_beta"]
    link = SITE + "articles/treaty-talks-resume/"
    assert "".join(t for t, _ in cite_apa(article, outlet, NAME, link)) == (
        f"Treaty Talks Resume. (2022, October). The Gazette. Archived in {NAME}: {link}")
    bibtex = cite_bibtex(article, outlet, NAME, link)
    assert bibtex.startswith("@misc{thegazette2022treaty,\n")
    assert "author" not in bibtex and "url " not in bibtex
    assert "  month        = oct,\n  date         = {2022-10},\n" in bibtex


def test_citation_of_a_republished_article_names_the_original_publisher(make_project):
    article, outlet = articles_of(make_project(UNTRUSTED_FILES))["003_gamma"]
    link = permalink(article)
    citation = cite_article(article, outlet, NAME, link)
    assert citation.apa_text == (
        f"Reporter, J., & van Beethoven, L. (2023, April). {HOSTILE_TITLE}. {HOSTILE_PUBLISHER}. "
        f"Republished by Daily Planet. {HOSTILE_SOURCE} Archived in {NAME}: {link}")
    bibtex = citation.bibtex
    assert is_balanced(bibtex)
    assert "  author       = {Reporter, Jane and van Beethoven, Ludwig},\n" in bibtex
    assert ("  title        = {{=HYPERLINK(\"https://evil.example\") </title><script>alert(1)</script> "
            r"\textbraceleft{}Braces\textbraceright{} 100\% \& co\_op \#1 \textbackslash{} "
            r"\textasciitilde{} \textasciicircum{} \$}}," "\n") in bibtex
    assert r"  howpublished = {+Wire \& Co\_\textbraceleft{}Ltd\textbraceright{} 100\%}," "\n" in bibtex
    assert "  url          = {https://dailyplanet.example/news?id=1&x=50%25#top_1},\n  urldate      = {2024-01-02},\n" in bibtex
    assert r"  note         = {Republished by Daily Planet. Archived in News Corpus Archive, \url{" + link + "}}\n" in bibtex


def test_untrusted_article_page_shows_provenance_and_citations_escaped(untrusted_site):
    article, outlet = articles_of(untrusted_site)["003_gamma"]
    page = (untrusted_site / "site" / "articles" / article.slug / "index.html").read_text()
    assert "<script>alert" not in page
    provenance = page.split('id="provenance"', 1)[1].split('id="cite-this-article"', 1)[0]
    assert f'<a href="{HOSTILE_SOURCE.replace("&", "&amp;")}">' in provenance
    assert f'<a href="{ARCHIVE_URL}">' in provenance
    assert "<strong>Collected:</strong> 2 January 2024" in provenance
    assert '<a download="" href="../../raw/003_gamma.txt">download</a>' in provenance
    raw = (untrusted_site / "site" / "raw" / "003_gamma.txt").read_bytes()
    assert f'<code class="archive-sha256">{hashlib.sha256(raw).hexdigest()}</code>' in provenance
    assert "First published by:" in provenance
    citation = cite_article(article, outlet, NAME, permalink(article))
    assert text_of(page, "cite-apa") == citation.apa_text
    assert text_of(page, "cite-bibtex") == citation.bibtex
    assert '<div class="archive-bibtex" id="cite-bibtex" data-search-exclude><pre><code>@misc' in page


def test_every_real_article_shows_its_provenance_and_citation(built_site):
    corpus = articles_of(built_site)
    for article, outlet in corpus.values():
        page = (built_site / "site" / "articles" / article.slug / "index.html").read_text()
        raw = (built_site / "seeds" / f"{article.id}.txt").read_bytes()
        provenance = page.split('id="provenance"', 1)[1].split('id="cite-this-article"', 1)[0]
        assert f'<code class="archive-sha256">{hashlib.sha256(raw).hexdigest()}</code>' in provenance
        assert f'href="../../raw/{article.id}.txt"' in provenance
        for label in ("Outlet:", "Source:", "Archived copy:", "Collected:", "Original text:"):
            assert f"<strong>{label}</strong>" in provenance
        citation = cite_article(article, outlet, NAME, permalink(article))
        assert text_of(page, "cite-apa") == citation.apa_text
        assert text_of(page, "cite-bibtex") == citation.bibtex
    kiev, _ = corpus["001_4411e158f26d3872"]
    page = (built_site / "site" / "articles" / kiev.slug / "index.html").read_text()
    assert text_of(page, "cite-apa").startswith(
        "Leiroz, L. (2024, July). Kiev Regime Worsening Tensions by Sending Troops to Belarussian Border. "
        "InfoBrics. Republished by Global Research. Archived in News Corpus Archive: "
        "https://owner.github.io/news-corpus-archive/articles/kiev-regime-worsening-tensions-by-sending-troops-to-belarussian-border/")


def write_config(root, old: str, new: str):
    config = root / "mkdocs.yml"
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new))
    return config


SITE_URL_LINE = 'site_url: !ENV [SITE_URL, "https://owner.github.io/news-corpus-archive/"]\n'
EXPECTED = "expected the site's public http(s) address, like 'https://owner.github.io/news-corpus-archive/'"


def line_of(root, prefix: str) -> int:
    return next(n for n, line in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1) if line.startswith(prefix))


def test_site_url_is_read_from_mkdocs_yml_and_ends_in_a_slash(make_project):
    root = make_project()
    config = write_config(root, SITE_URL_LINE, "site_url: https://archive.example.org/news\n")
    settings = read_site_settings(config)
    assert (settings.name, settings.url) == ("News Corpus Archive", "https://archive.example.org/news/")


@pytest.mark.parametrize("value, message", [
    ("ftp://archive.example.org/", "site_url: 'ftp://archive.example.org/' is not usable: " + EXPECTED + ", without '?', '#' or '%'"),
    ("https://archive.example.org/?page=1", "site_url: 'https://archive.example.org/?page=1' is not usable: " + EXPECTED + ", without '?', '#' or '%'"),
    ("[https://archive.example.org/]", "site_url: is not plain text: " + EXPECTED),
])
def test_bad_site_url_is_reported_with_its_line(make_project, value, message):
    root = make_project()
    config = write_config(root, SITE_URL_LINE, f"site_url: {value}\n")
    with pytest.raises(InputError) as error:
        read_site_settings(config)
    assert str(error.value) == f"mkdocs.yml:{line_of(root, 'site_url:')}: {message}"


def test_missing_site_url_stops_the_build_before_anything_is_written(make_project):
    root = make_project()
    write_config(root, SITE_URL_LINE, "")
    result = subprocess.run([sys.executable, "build.py"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr == (
        f"mkdocs.yml:1: site_url: missing; citations, feeds and downloads need it: {EXPECTED}\n"
        "1 problem found; nothing was written.\n")
    assert not (root / "site_src").exists() and not (root / "site").exists()


def test_site_name_that_is_not_text_is_reported_with_its_line(make_project):
    root = make_project()
    config = write_config(root, "site_name: News Corpus Archive\n", "site_name: [News, Corpus]\n")
    with pytest.raises(InputError) as error:
        read_site_settings(config)
    assert str(error.value) == (f"mkdocs.yml:{line_of(root, 'site_name:')}: site_name: expected the site's name as plain text, "
                                "like 'News Corpus Archive'")


def test_reader_copies_the_bibtex_of_an_untrusted_article_exactly(untrusted_site, serve_dir, browser):
    article, outlet = articles_of(untrusted_site)["003_gamma"]
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(serve_dir(untrusted_site / "site") + f"/articles/{article.slug}/")
        citation = cite_article(article, outlet, NAME, permalink(article))
        assert page.locator("#cite-apa").inner_text() == citation.apa_text
        block = page.locator("#cite-bibtex")
        block.hover()
        block.get_by_role("button", name="Copy to clipboard").click()
        page.wait_for_function("navigator.clipboard.readText().then(t => t.length > 0)")
        assert page.evaluate("navigator.clipboard.readText()") == citation.bibtex.rstrip("\n")  # the theme trims the last newline
        assert page.locator("h1").inner_text() == HOSTILE_TITLE
        assert dialogs == []  # the title's <script>alert(1)</script> never ran
    finally:
        context.close()


def test_citations_stay_out_of_the_search_index(built_site):
    """Pagefind indexes only the article's text (data-pagefind-body); the citation lies outside it."""
    html = (built_site / "site" / "articles" / "belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand" / "index.html").read_text()
    assert html.count("data-pagefind-body") == 1
    body = html.split("data-pagefind-body", 1)[1].split("</div>", 1)[0]
    assert "Machulishchy" in body  # the articles' own text is searched
    assert "@misc" not in body and "Archived in News Corpus Archive" not in body
    assert "@misc" in html and "Archived in News Corpus Archive" in html  # on the page, not in the index


