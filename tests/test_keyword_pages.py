"""Keyword pages as an index, the keyword registry, and addresses of merged keywords, on the real seeds."""
from __future__ import annotations

import re

from conftest import REPO, repo_inputs, write_project
from test_bad_input import assert_refused

KEYWORDS = "metadata/keywords.yml"


def listed_articles(page: str) -> list[str]:
    """A listing's items (written as the HTML MkDocs would make of them: templates/_article_item.md.j2)."""
    return [line for line in page.splitlines() if line.startswith("<li><a href=")]


def test_lukashenko_page_lists_the_four_articles_that_name_him(built_site):
    page = (built_site / "site_src/keywords/alexander-lukashenko.md").read_text()
    assert len(listed_articles(page)) == 4 and "4 articles mention this keyword" in page
    html = (built_site / "site/keywords/alexander-lukashenko/index.html").read_text()
    assert html.count("mention") >= 4


def test_russia_page_lists_every_article_and_kyiv_its_own_keywords_first(built_site):
    page = (built_site / "site_src/keywords/russia.md").read_text()
    assert len(listed_articles(page)) == 5
    page = (built_site / "site_src/keywords/kyiv.md").read_text()
    items = listed_articles(page)
    assert len(items) == 4
    tops = ["not among its keywords" not in item for item in items]
    assert tops == sorted(tops, reverse=True) and tops[0] and not tops[-1]


def test_keyword_index_is_sorted_by_articles_connected_and_shows_the_count(built_site):
    page = (built_site / "site_src/keywords/index.md").read_text()
    counts = [int(n) for n in re.findall(r"^- \[.*\]\(.*\) \((\d+)\)$", page, flags=re.M)]
    assert counts and counts == sorted(counts, reverse=True) and counts[0] == 5


def build_with_old_pages(tmp_path):
    """The seeds built (without MkDocs) with the published-pages list of the code before keywords changed."""
    from publisher.pipeline import build_site

    # published-pages.txt as of commit 9d3954a, kept as a file: the suite reads no git history
    old = (REPO / "tests/fixtures/published-pages-9d3954a.txt").read_bytes()
    root = write_project(tmp_path / "p", {**repo_inputs(), "published-pages.txt": old})
    build_site(root, run_mkdocs=False)
    return root, [line.split()[0] for line in old.decode().splitlines() if line.startswith("keywords/")]


def test_old_keyword_pages_redirect_to_the_merged_keyword_and_all_still_answer(tmp_path):
    root, listed = build_with_old_pages(tmp_path)
    for old, new in (("lukashenko", "alexander-lukashenko"), ("belarusian-president-alexander", "alexander-lukashenko"),
                     ("giving-vladimir-putin", "vladimir-putin"), ("kiev", "kyiv")):
        html = (root / f"site_src/keywords/{old}/index.html").read_text()
        assert f'url=../{new}/' in html
    assert 'url=../"' in (root / "site_src/keywords/fight/index.html").read_text()
    assert len(listed) > 40
    for path in listed:
        page = root / "site_src" / path
        assert page.exists() or (root / "site_src" / path[: -len(".md")] / "index.html").exists(), path


def test_registry_alias_label_and_hide(tmp_path):
    files = repo_inputs()
    files[KEYWORDS] = ("belarus:\n  hide: true\nrussia:\n  label: Russian Federation (Russia)\n"
                       "  aliases: [Russian Federation]\n").encode()
    root = write_project(tmp_path / "p", files)
    from publisher.pipeline import check_corpus, prepare_corpus

    corpus = prepare_corpus(check_corpus(root))
    found = {(k.slug, k.label) for a in corpus.articles for k in a.keywords}
    assert not any(slug == "belarus" for slug, _ in found)
    assert ("russia", "Russian Federation (Russia)") in found
    assert not any(slug == "russian-federation" for slug, _ in found)


def test_registry_problems_name_file_line_and_what_is_expected(make_project):
    assert_refused(make_project, {KEYWORDS: "kyiv:\n  lable: Kyiv\n  aliases: [Kiev]\nKiev City:\n  hide: yes\n"
                                            "odesa:\n  aliases: [kiev]\n"},
                   "metadata/keywords.yml:2: kyiv.lable: unknown field (did you mean 'label'?)",
                   "metadata/keywords.yml:4: 'Kiev City' is not a keyword slug: expected the keyword's page name, like 'alexander-lukashenko'",
                   "metadata/keywords.yml:7: odesa.aliases: 'kiev' is already an alias of 'kyiv'")


def test_related_coverage_weighs_a_rare_shared_keyword_above_a_common_one():
    from publisher.model import Article, Corpus, Keyword, PartialDate
    from publisher.pages.related import RelatedIndex
    from test_bench_corpus import find_related_slowly

    def keyword(slug):
        return Keyword(key=slug, label=slug, slug=slug)

    def article(ident, day, *slugs):
        return Article(id=ident, slug=ident, title=ident, outlet="o", date=PartialDate(2024, 1, day), topics=(),
                       source_path="", metadata_path="", sha256="", text="", keywords=tuple(keyword(s) for s in slugs))

    common = [article(f"filler{i}", 1, "russia") for i in range(6)]
    rare = article("rare", 2, "machulishchy-air-base")
    usual = article("usual", 3, "russia")  # newer, so it would win a tie
    me = article("me", 4, "russia", "machulishchy-air-base")
    corpus = Corpus((*common, rare, usual, me))
    assert [r.article.id for r in RelatedIndex(corpus).find(me, 2)] == ["rare", "usual"]
    assert RelatedIndex(corpus).find(me, 3) == find_related_slowly(me, corpus, 3)


def test_keyword_quality_measures_precision_through_the_build(tmp_path):
    from bench.keyword_quality import measure_gold

    for name in ("003_f5749907f425ad4f", "004_b81497d0bf113f54"):
        (tmp_path / f"{name}.txt").write_bytes((REPO / "seeds" / f"{name}.txt").read_bytes())
        (tmp_path / f"{name}.key").write_text("Alexander Lukashenko\nRussia\nBelarus\nLukashenko sat\n")
    ours, plain, count = measure_gold(tmp_path)
    # Both name Lukashenko, Russia and Belarus among their ten keywords; YAKE's raw top 10 holds fragments.
    assert count == 2 and ours == 0.3 and plain < ours
