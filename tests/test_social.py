"""Link-preview, citation and JSON-LD tags of an article, without disk."""
from __future__ import annotations

import json

from publisher.model import Article, Keyword, Outlet, PartialDate
from publisher.pages.markup import name_language
from publisher.pages.social import describe_article_tags, highwire_date, render_article_jsonld

OUTLET = Outlet(id="wire", name="The Wire", country="unknown", language="en", description="An outlet.")
PERMALINK = "https://example.org/archive/articles/a/"


def make_article(**fields) -> Article:
    values = dict(id="000_a", slug="a", title="A title", outlet="wire", date=PartialDate(2023, 3, 19),
                  topics=("t",), source_path="seeds/000_a.txt", metadata_path="metadata/000_a.yml",
                  sha256="0" * 64, text="Text.")
    return Article(**{**values, **fields})


def test_dates_are_only_as_precise_as_known():
    assert highwire_date(PartialDate(2023, 3, 19)) == "2023/03/19"
    assert highwire_date(PartialDate(2023, 3)) == "2023/03"
    assert highwire_date(PartialDate(2023)) == "2023"
    assert json.loads(render_article_jsonld(make_article(date=PartialDate(2022, 10)), OUTLET, "Archive",
                                            PERMALINK))["datePublished"] == "2022-10"


def test_a_republished_article_is_cited_as_its_original_publishers():
    article = make_article(original_publisher="InfoBrics", authors=("Jane Roe", "John Doe"))
    tags = [(t.key, t.content) for t in describe_article_tags(article, OUTLET, "Archive", PERMALINK)]
    assert ("citation_publisher", "InfoBrics") in tags
    assert [content for key, content in tags if key == "citation_author"] == ["Jane Roe", "John Doe"]
    data = json.loads(render_article_jsonld(article, OUTLET, "Archive", PERMALINK))
    assert data["publisher"]["name"] == "InfoBrics"
    assert data["provider"]["name"] == "The Wire"
    assert [a["name"] for a in data["author"]] == ["Jane Roe", "John Doe"]


def test_an_article_of_its_own_outlet_names_the_outlet_as_publisher():
    data = json.loads(render_article_jsonld(make_article(), OUTLET, "Archive", PERMALINK))
    assert data["publisher"]["name"] == "The Wire"
    assert "provider" not in data and "author" not in data


def test_json_ld_cannot_end_its_script_element():
    title = '</script><script>alert(1)</script> <!-- & \u2028'
    article = make_article(title=title, keywords=(Keyword("k", "</script>", "k"),))
    text = render_article_jsonld(article, OUTLET, "Archive", PERMALINK)
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text)["headline"] == title


def test_language_codes_read_as_names():
    assert name_language("en") == "English"
    assert name_language("be") == "Belarusian"
    assert name_language("zz") == "zz"  # unknown: the code as it is
