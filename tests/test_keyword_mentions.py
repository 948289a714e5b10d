"""Exact mentions: a keyword page lists an article only where its text names the keyword, on the real seeds."""
from __future__ import annotations

import collections
import html
import re
from pathlib import Path

import yaml

from publisher.keywords.index import capitalise, count_mentions, first_words, index_phrases, mention_words, person_surname
from test_browse import read_browse_data


def keyword_pages(site_src: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((site_src / "keywords").glob("*.md"))
            if path.name != "index.md"}


def listed_pages(page: str) -> list[str]:
    """The article pages a keyword page lists, as paths of site_src/."""
    return [f"articles/{name}.md" for name in re.findall(r'^<li><a href="\.\./\.\./articles/([^"/]+)/">', page, flags=re.M)]


def article_ids(root: Path) -> dict[str, str]:
    lines = (root / "published-pages.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split() for line in lines if line.startswith("articles/") and len(line.split()) == 2)


def page_title(page: str) -> str:
    return html.unescape(re.search(r"^title: (.*)$", page, flags=re.M).group(1).strip("'\""))


def name_pattern(name: str, case_sensitive: bool = False) -> re.Pattern:
    """A name as a reader finds it in a text: its words in order, a plural or possessive ending allowed."""
    words = [re.escape(word.rstrip("s")) + r"(?:s|es|'s|’s)?" for word in name.split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)", 0 if case_sensitive else re.I)


def names_of(label: str, aliases: dict[str, list[str]], slug: str) -> list[re.Pattern]:
    patterns = [name_pattern(label)] + [name_pattern(alias) for alias in aliases.get(slug, [])]
    words = label.split()
    if len(words) >= 2 and words[-1][:1].isupper():
        patterns.append(name_pattern(words[-1], case_sensitive=True))  # a surname, printed capitalised
    return patterns


def test_no_keyword_page_lists_an_article_whose_text_does_not_name_it(built_site):
    site_src = built_site / "site_src"
    ids = article_ids(built_site)
    registry = yaml.safe_load((built_site / "metadata/keywords.yml").read_text(encoding="utf-8")) or {}
    aliases = {slug: entry.get("aliases", []) for slug, entry in registry.items()}
    pages = keyword_pages(site_src)
    assert len(pages) > 20
    for slug, page in pages.items():
        label = page_title(page)
        listed = listed_pages(page)
        assert listed, slug
        for path in listed:
            text = (site_src / "raw" / f"{ids[path]}.txt").read_text(encoding="utf-8")
            assert any(pattern.search(text) for pattern in names_of(label, aliases, slug)), (slug, path)


def test_israel_today_and_crimean_bridge_list_only_the_articles_naming_them(built_site):
    pages = keyword_pages(built_site / "site_src")
    ids = article_ids(built_site)
    assert [ids[p] for p in listed_pages(pages["israel-today"])] == ["002_a83c688eb481b20a"]
    assert [ids[p] for p in listed_pages(pages["crimean-bridge"])] == ["004_b81497d0bf113f54"]
    index = (built_site / "site_src/keywords/index.md").read_text(encoding="utf-8")
    assert "[Israel Today](israel-today.md) (1)" in index and "[Crimean Bridge](crimean-bridge.md) (1)" in index


def test_a_curated_keyword_has_a_page_listing_the_articles_naming_it(built_site):
    page = keyword_pages(built_site / "site_src")["sviatlana-tsikhanouskaya"]
    assert page_title(page) == "Sviatlana Tsikhanouskaya"
    assert sorted(article_ids(built_site)[p] for p in listed_pages(page)) == ["003_f5749907f425ad4f", "004_b81497d0bf113f54"]


def test_browse_counts_each_keyword_as_the_keyword_index_does(built_site):
    site_src = built_site / "site_src"
    index = (site_src / "keywords/index.md").read_text(encoding="utf-8")
    on_index = {slug: int(n) for slug, n in re.findall(r"^- \[.*\]\(([^)]+)\.md\) \((\d+)\)$", index, flags=re.M)}
    data = read_browse_data(site_src)
    in_browse = collections.Counter(slug for article in data["articles"] for slug in article["keywords"])
    assert on_index == dict(in_browse) and on_index["kyiv"] == 4 and on_index["sviatlana-tsikhanouskaya"] == 2
    assert set(data["labels"]["keyword"]) == set(on_index)


def test_every_alias_page_redirects_to_its_keyword(built_site):
    site_src = built_site / "site_src"
    for alias, keyword in (("north-atlantic-treaty-organization", "nato"), ("kiev", "kyiv"),
                           ("tikhanovskaya", "sviatlana-tsikhanouskaya"), ("svetlana-tikhanovskaya", "sviatlana-tsikhanouskaya"),
                           ("tsikhanouskaya", "sviatlana-tsikhanouskaya")):
        page = (site_src / f"keywords/{alias}/index.html").read_text(encoding="utf-8")
        assert f'url=../{keyword}/"' in page, alias


def test_an_ordinary_word_is_never_a_surname():
    assert person_surname("Alexander Lukashenko") == "Lukashenko"
    assert person_surname("Israel Today") is None and person_surname("Crimean Bridge") is None
    assert person_surname("Lukashenko") is None and person_surname("Eastern Europe") is None


def test_a_surname_counts_only_printed_capitalised():
    first = first_words({("alexander", "lukashenko"): "alexander-lukashenko", (capitalise("lukashenko"),): "alexander-lukashenko",
                         ("israel", "today"): "israel-today"})
    words, capitals = mention_words("Alexander Lukashenko met lukashenko fans today; Lukashenko's plan. Israel Today.")
    counted = count_mentions(words, first, capitals)
    assert counted == {"alexander-lukashenko": 2, "israel-today": 1}


def test_a_surname_two_people_share_names_neither():
    from types import SimpleNamespace

    from publisher.keywords.choose import KeywordRules
    from publisher.model import Keyword

    def article(*labels):
        return SimpleNamespace(keywords=tuple(Keyword(label.lower().replace(" ", "-"), label, label.lower().replace(" ", "-"))
                                              for label in labels))
    phrases = index_phrases((article("Alexander Lukashenko", "Vadim Lukashevich"), article("Igor Lukashevich")), KeywordRules())
    assert phrases[("Lukashenko",)] == "alexander-lukashenko"
    assert ("Lukashevich",) not in phrases and ("lukashevich",) not in phrases
