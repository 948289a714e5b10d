"""The Statistics page: SVG charts built at build time, with titles, numbers and text alternatives."""
from __future__ import annotations

import dataclasses

import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import FIXTURE_FILES, OUTLETS_YML, TOPICS_YML, write_project
from publisher.pages.charts import month_range, shorten
from publisher.model import PartialDate
from publisher.pipeline import build_site, check_corpus, prepare_corpus
from publisher.website.mkdocs_build import build_with_mkdocs

GAMMA_TXT = "Old News\n\nA border story from a year whose month nobody recorded.\n"
GAMMA_YML = "title: Old News\noutlet: gazette\ndate: 2021\ntopics:\n  - border\n"
HOSTILE_TOPIC = '<script>alert(1)</script> & "the" border'


def svgs(page_html: str, variant: str = "wide") -> list[str]:
    """The page's charts drawn for a wide column, or for a phone's (variant "narrow")."""
    return re.findall(rf"<svg class=\"archive-chart archive-chart--{variant}\".*?</svg>", page_html, flags=re.S)


def svg_titles(svg: str) -> list[str]:
    """Every <title> in the SVG, its text unescaped as a browser reads it."""
    return [html.unescape(t) for t in re.findall(r"<title[^>]*>(.*?)</title>", svg, flags=re.S)]


@pytest.fixture(scope="module")
def statistics(tmp_path_factory) -> tuple[Path, str]:
    """The fixture corpus plus a year-only article, built with MkDocs once for the tests that read it; its statistics page's HTML."""
    root = write_project(tmp_path_factory.mktemp("statistics") / "project",
                         {**FIXTURE_FILES, "seeds/003_gamma.txt": GAMMA_TXT, "metadata/003_gamma.yml": GAMMA_YML})
    build_site(root)
    return root, (root / "site" / "statistics" / "index.html").read_text(encoding="utf-8")


def test_month_range_spans_years():
    assert month_range((2022, 11), (2023, 2)) == ((2022, 11), (2022, 12), (2023, 1), (2023, 2))


def test_shorten_keeps_short_labels_and_marks_cuts():
    assert shorten("The border", 20) == "The border"
    assert shorten("A very long topic title indeed", 12) == "A very long…"


def test_a_long_span_counts_years(make_project):
    from publisher.pages.charts import MONTHS_MAX, chart_timeline

    root = make_project({"seeds/003_gamma.txt": GAMMA_TXT, "metadata/003_gamma.yml": GAMMA_YML})
    corpus = check_corpus(root)
    assert chart_timeline(corpus).period == "month"
    first = corpus.articles[0]
    early = dataclasses.replace(first, id="early", date=PartialDate(first.date.year - MONTHS_MAX // 12 - 1, 6, 1))
    timeline = chart_timeline(dataclasses.replace(corpus, articles=(early,) + corpus.articles))
    assert timeline.period == "year" and timeline.undated == 0
    assert [label for label, _, _ in timeline.table] == [str(early.date.year), "2021", "2022", "2023"]
    assert sum(total for _, _, total in timeline.table) == 4  # the year-only article (2021) counts too
    assert [tick.label for tick in timeline.ticks][0] == str(early.date.year)


@pytest.mark.parametrize("variant", ["wide", "narrow"])
def test_statistics_page_has_three_titled_accessible_charts(statistics, variant):
    _, page_html = statistics
    charts = svgs(page_html, variant)
    assert len(charts) == 3
    assert [svg_titles(svg)[0] for svg in charts] == [
        "Articles per month by outlet", "Articles by outlet and topic", "The most frequent keywords"]
    for svg in charts:
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        assert 'role="img"' in svg
        for ref in labelled_by:
            assert f'id="{ref}"' in svg
        assert "<desc id=" in svg
    assert page_html.count("<table>") == 3


def test_timeline_counts_articles_per_month_and_outlet(statistics):
    _, page_html = statistics
    timeline = svgs(page_html)[0]
    assert svg_titles(timeline)[1:] == ["Daily Planet, March 2023: 1 article", "The Gazette, October 2022: 1 article"]
    desc = html.unescape(re.search(r"<desc[^>]*>(.*?)</desc>", timeline).group(1))
    assert desc.startswith("3 articles from 2 outlets, October 2022 to March 2023.")
    assert "1 article dated to the year only is not shown." in desc
    assert re.findall(r'<text class="chart-label"[^>]*>(\d{4})</text>', timeline) == ["2022", "2023"]
    table = page_html.split("The numbers: articles per month by outlet", 1)[1].split("</table>", 1)[0]
    rows = [re.sub(r"<[^>]+>", "|", row).replace("||", "|") for row in re.findall(r"<tr>(.*?)</tr>", table)]
    assert rows == ["|Month|Daily Planet|The Gazette|All outlets|", "|October 2022|0|1|1|",
                    "|March 2023|1|0|1|", "|Month not known|||1|"]


def test_matrix_counts_articles_by_outlet_and_topic(statistics):
    _, page_html = statistics
    matrix = svgs(page_html)[1]
    assert svg_titles(matrix)[1:] == [
        "Daily Planet on The alliance: 1 article", "The Gazette on The alliance: 1 article",
        "Daily Planet on The border: 1 article", "The Gazette on The border: 1 article"]
    numbers = re.findall(r'<text class="chart-number[^"]*"[^>]*>(\d+)</text>', matrix)
    assert numbers == ["1", "1", "1", "1"]


def test_keyword_chart_shows_the_most_frequent_keywords(statistics):
    root, page_html = statistics
    corpus = prepare_corpus(check_corpus(root))
    counts: dict[str, int] = {}
    for article in corpus.articles:
        for keyword in article.keywords:
            counts[keyword.label] = counts.get(keyword.label, 0) + 1
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))[:20]
    keywords = svgs(page_html)[2]
    assert svg_titles(keywords)[1:] == [f"{label}: {n} article{'' if n == 1 else 's'}" for label, n in expected]
    assert re.findall(r'<g class="chart-row" data-count="(\d+)"', keywords) == [str(n) for _, n in expected]


def test_the_narrow_charts_give_every_number_the_wide_ones_give(statistics):
    """Each bar or cell names its count (its title is its accessible name), and the narrow ones write it too."""
    _, page_html = statistics
    for wide, narrow in zip(svgs(page_html), svgs(page_html, "narrow")):
        assert svg_titles(wide)[0] == svg_titles(narrow)[0]
        assert sorted(svg_titles(wide)[1:]) == sorted(svg_titles(narrow)[1:])
    _timeline, matrix, keywords = svgs(page_html, "narrow")
    assert re.findall(r'<text class="chart-label" x="[^"]+" y="[^"]+">(\d+)</text>', matrix) == ["1", "1", "1", "1"]
    assert re.findall(r'<text class="chart-label" x="[^"]+" y="[^"]+">(\d+)</text>', keywords) == re.findall(
        r'<g class="chart-row" data-count="(\d+)"', keywords)


def test_the_stacked_matrix_writes_zero_counts_too(make_project):
    """A phone's matrix has a bar and a number for every outlet under every topic, none left out."""
    from publisher.pages.charts import chart_matrix, stack_matrix

    corpus = check_corpus(make_project())
    stacked = stack_matrix(chart_matrix(corpus))
    assert [group.title for group in stacked.groups] == ["The alliance", "The border"]
    assert [[(name, bar.count) for name, bar in zip(group.outlets, group.bars)] for group in stacked.groups] == [
        [("Daily Planet", 1), ("The Gazette", 1)], [("Daily Planet", 1), ("The Gazette", 0)]]
    assert max(bar.x + bar.width for group in stacked.groups for bar in group.bars) < stacked.width - 20


def test_long_names_are_cut_to_fit_a_phones_drawing(make_project):
    """Each label of a narrow chart fits its room (measured in Arial's widths), cut with an ellipsis if need be."""
    from publisher.pages.charts import NARROW_WIDTH, chart_matrix, chart_timeline, estimate_width, stack_matrix

    long_name = "The Extraordinarily Well-Informed Weekly Gazette of WWW Matters"
    root = make_project({"metadata/outlets.yml": OUTLETS_YML.replace("name: Daily Planet", f"name: {long_name}")})
    corpus = check_corpus(root)
    timeline = chart_timeline(corpus, narrow=True)
    assert all(estimate_width(row.label) <= timeline.right - timeline.left for row in timeline.rows)
    assert timeline.rows[1].label == "The Gazette" and timeline.rows[0].label.endswith("…")
    stacked = stack_matrix(chart_matrix(corpus))
    for group in stacked.groups:
        assert estimate_width(group.title) * 1.1 <= NARROW_WIDTH - 8
        assert all(estimate_width(name) <= stacked.left - 8 for name in group.outlets)
        assert group.outlets[0] != long_name and long_name.startswith(group.outlets[0].rstrip("…"))


def test_untrusted_labels_are_escaped_in_the_svg(make_project):
    root = make_project({"metadata/topics.yml": TOPICS_YML.replace("title: The border", f"title: '{HOSTILE_TOPIC}'")})
    build_site(root)
    page_html = (root / "site" / "statistics" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page_html
    assert f"Daily Planet on {HOSTILE_TOPIC}: 1 article" in svg_titles(svgs(page_html)[1])


@pytest.mark.parametrize("directory_urls", [True, False])
def test_charts_render_in_the_browser_hosted_and_from_disk(statistics, directory_urls, serve_dir, page, tmp_path):
    root, _ = statistics
    if directory_urls:
        page.goto(serve_dir(root / "site") + "/statistics/")
    else:
        site = tmp_path / "offline"
        build_with_mkdocs(root / "mkdocs.yml", root / "site_src", site, use_directory_urls=False)
        page.goto((site / "statistics.html").as_uri())
    charts = page.get_by_role("img", name=re.compile("Articles per month by outlet|Articles by outlet and topic|The most frequent keywords"))
    expect(charts).to_have_count(3)
    for index in range(3):
        box = charts.nth(index).bounding_box()
        assert box["width"] > 300 and box["height"] > 60
    bar = page.locator("svg rect.chart-bar").first
    assert bar.evaluate("e => getComputedStyle(e).fill") == "rgb(57, 73, 171)"
