"""The benchmark's synthetic corpus is a valid corpus, and the site stays small page by page as it grows."""
from __future__ import annotations

import dataclasses
import json
import random
import re

from hypothesis import given
from hypothesis import strategies as st

from bench.corpus import corpus_files, unique_word, write_corpus
from publisher.pages import render
from publisher.model import Keyword
from publisher.pipeline import build_site, check_corpus, clean_corpus
from publisher.model import Article, Corpus, KeywordEntry, Mention
from publisher.pages.related import Related, RelatedIndex, weigh_keywords
from publisher.settings import Limits, Settings
from test_settings import set_limits


def test_the_generator_yields_a_valid_corpus_with_varied_metadata(tmp_path):
    root = write_corpus(120, tmp_path / "bench")
    corpus = check_corpus(root)  # raises InputError listing every problem otherwise
    assert len(corpus.articles) == 120
    assert len({a.outlet for a in corpus.articles}) >= 10
    assert len({t for a in corpus.articles for t in a.topics}) >= 15
    assert len({a.date.year for a in corpus.articles}) >= 8
    assert {a.date.precision for a in corpus.articles} == {"year", "month", "day"}


def test_the_generator_is_deterministic_and_each_article_has_its_own_word():
    first, second = corpus_files(60), corpus_files(60)
    assert first == second
    seeds = [text for path, text in first.items() if path.startswith("seeds/")]
    for index in range(60):
        word = unique_word(index)
        assert sum(word in text for text in seeds) == 1, word
    assert len({unique_word(i) for i in range(10_000)}) == 10_000


def find_related_slowly(article: Article, corpus: Corpus, limit: int) -> list[Related]:
    """Rank related articles by comparing every pair: the definition RelatedIndex must match."""
    keys = {k.slug for k in article.keywords}
    weights = weigh_keywords(corpus)
    scored = []
    for other in corpus.articles:
        topics = tuple(t for t in other.topics if t in article.topics)
        keywords = tuple(k for k in other.keywords if k.slug in keys)
        score = round(sum(2 * weights.get(k.slug, 1.0) for k in keywords) + len(topics), 9)
        if score and other.id != article.id:
            scored.append((score, other, topics, keywords))
    scored.sort(key=lambda s: s[1].id)
    scored.sort(key=lambda s: (s[0], s[1].date), reverse=True)
    titles = {t.id: t.title for t in corpus.topics}
    return [Related(other, topics, keywords, tuple(titles[t] for t in topics) + tuple(k.label for k in keywords))
            for _, other, topics, keywords in scored[:limit]]


def test_ranked_related_articles_match_the_pairwise_definition(tmp_path):
    root = write_corpus(150, tmp_path / "bench")
    corpus = clean_corpus(check_corpus(root))
    rng = random.Random(7)
    pool = [Keyword(key=f"k{n}", label=f"K{n}", slug=f"k{n}") for n in range(25)]
    # Few keywords and topics for many articles: lots of ties, which the ranking must break the same way.
    articles = tuple(dataclasses.replace(a, keywords=tuple(rng.sample(pool, rng.randint(0, 4)))) for a in corpus.articles)
    corpus = dataclasses.replace(corpus, articles=articles)
    index = RelatedIndex(corpus)
    for limit in (1, 5, 40, 200):  # 200: more than there are articles
        for article in articles:
            assert index.find(article, limit) == find_related_slowly(article, corpus, limit)


def test_related_coverage_kept_from_the_last_render_is_what_ranking_again_gives(tmp_path):
    """RelatedIndex.reusable: after edits of keywords, topics and dates, every article's coverage it keeps
    is what ranking that article again gives, through the memo as the build stores it (JSON)."""
    root = write_corpus(150, tmp_path / "bench")
    corpus = clean_corpus(check_corpus(root))
    rng = random.Random(11)
    pool = [Keyword(key=f"k{n}", label=f"K{n}", slug=f"k{n}") for n in range(40)]
    topics = [topic.id for topic in corpus.topics]
    dates = sorted({a.date for a in corpus.articles})
    articles = tuple(dataclasses.replace(a, keywords=tuple(rng.sample(pool, rng.randint(0, 4)))) for a in corpus.articles)
    limit, memo, kept, ranked_again = 5, None, 0, 0
    for edit in range(40):
        if edit:  # one to three articles change what related coverage reads of them; the same ids stay
            changed = {a.id: a for a in rng.sample(articles, rng.randint(1, 3))}
            for ident, article in changed.items():
                what = rng.choice(["keywords", "topics", "date", "title"])
                changed[ident] = dataclasses.replace(article, **{
                    "keywords": dict(keywords=tuple(rng.sample(pool, rng.randint(0, 4)))),
                    "topics": dict(topics=tuple(rng.sample(topics, rng.randint(1, 3)))),
                    "date": dict(date=rng.choice(dates)),
                    "title": dict(title=article.title + " (corrected)")}[what])
            articles = tuple(sorted((changed.get(a.id, a) for a in articles), key=lambda a: (a.date, a.id)))
        index = RelatedIndex(dataclasses.replace(corpus, articles=articles))
        reused = index.reusable(memo, limit)
        for position, (best, floor) in reused.items():
            assert (best, floor) == index.ranked(articles[position], limit), (edit, articles[position].id)
        kept, ranked_again = kept + len(reused), ranked_again + len(articles) - len(reused)
        ranked = [reused.get(i) or index.ranked(article, limit) for i, article in enumerate(articles)]
        memo = json.loads(json.dumps(index.memo(ranked, limit)))
        assert index.reusable(memo, limit) == dict(enumerate(ranked))  # nothing changed: all kept
    assert kept > ranked_again  # most coverage is kept: the test would notice reuse switched off
    shorter = dataclasses.replace(corpus, articles=articles[1:])
    assert RelatedIndex(shorter).reusable(memo, limit) == {}  # an article fewer: every weight moves
    # A memo this code did not write (damaged, or edited by hand) is not trusted: everything is ranked.
    first = articles[0].id
    for damaged in ({**memo, "articles": {**memo["articles"], first: ["2020"]}},
                    {**memo, "articles": {**memo["articles"], first: [*memo["articles"][first][:1], ["no-such-id"], 3.0]}},
                    {**memo, "counts": []}, [memo]):
        assert index.reusable(damaged, limit) == {}


@given(st.lists(st.integers(0, 30), max_size=60), st.lists(st.floats(0.5, 9.0), min_size=1, max_size=4))
def test_related_scores_add_as_one_count_of_all_postings_does(positions, weights):
    """add_to adds a keyword's weight per posting; an article listed twice in one keyword's postings
    (two of its keywords sharing a page) adds it twice, as the bincount that defines the scores does."""
    import numpy as np

    postings = [np.array(sorted(positions[i::len(weights)]), dtype=np.int64) for i in range(len(weights))]
    scores = np.zeros(31)
    for each, weight in zip(postings, weights):
        RelatedIndex.add_to(scores, each, weight, RelatedIndex.repeats(each))
    counted = np.bincount(np.concatenate(postings), weights=np.repeat(weights, [len(e) for e in postings]), minlength=31)
    assert scores.tobytes() == counted.tobytes()


def test_long_listings_continue_on_further_pages_that_mkdocs_builds(make_project, monkeypatch):
    root = make_project()
    set_limits(root, "    page_size: 1")
    build_site(root)
    src, site = root / "site_src", root / "site"
    for first, second in [("articles/index.md", "articles/page/2.md"), ("timeline.md", "timeline/page/2.md"),
                          ("topics/alliance.md", "topics/alliance/page/2.md")]:
        assert (src / first).exists() and (src / second).exists()
        assert "Page 1 of 2: **1** [2](" in (src / first).read_text()
    html = (site / "articles" / "page" / "2" / "index.html").read_text()
    assert "<title>All articles (page 2) - News Corpus Archive</title>" in html
    assert len(re.findall(r'href="\.\./\.\./[^"]+/"', html.split('class="md-content"', 1)[1])) >= 1
    assert not (src / "topics" / "border" / "page").exists()  # one article: one page


def test_no_listing_page_holds_more_than_a_page_of_articles(tmp_path):
    root = write_corpus(120, tmp_path / "bench")
    corpus = clean_corpus(check_corpus(root))
    pages = render.render_site(corpus, Settings(root, limits=Limits(page_size=25)))
    listing = re.compile(r'^<li><a href="[^"]+">.*</a> · ', re.M)  # a listing's item (templates/_article_item.md.j2)
    for path, text in pages.items():
        if not path.startswith("articles/") or path.startswith("articles/page/") or path == "articles/index.md":
            assert len(listing.findall(text)) <= 25, path
    listed = [line for path, text in pages.items() if path == "articles/index.md" or path.startswith("articles/page/")
              for line in listing.findall(text)]
    assert len(listed) == len(set(listed)) == 120  # every article on exactly one page of the listing
    counts = [len(listing.findall(pages["articles/index.md"]))] + [
        len(listing.findall(pages[f"articles/page/{n}.md"])) for n in range(2, len(listed))
        if f"articles/page/{n}.md" in pages]
    assert all(count >= 25 // 2 for count in counts[:-1])  # a page ends early only once it holds half of one
    assert f"Page 1 of {len(counts)}:" in pages["articles/index.md"]


def test_an_article_sharing_topics_only_still_wins_a_tie_it_wins_by_date(tmp_path):
    """Two topics score as much as one keyword every text names (weight one): the newer article must win,
    though it is not among the keyword's own articles."""
    corpus = clean_corpus(check_corpus(write_corpus(3, tmp_path / "bench")))
    one, two = (topic.id for topic in corpus.topics[:2])
    shared = Keyword(key="k", label="K", slug="k")
    me, keyword_only, topics_only = corpus.articles
    oldest, newest = min(a.date for a in corpus.articles), max(a.date for a in corpus.articles)
    assert oldest < newest
    articles = (dataclasses.replace(me, keywords=(shared,), topics=(one, two)),
                dataclasses.replace(keyword_only, keywords=(shared,), topics=(), date=oldest),
                dataclasses.replace(topics_only, keywords=(), topics=(one, two), date=newest))
    named_by_all = KeywordEntry(shared, tuple(Mention(a.id, 1, bool(a.keywords)) for a in articles))
    corpus = dataclasses.replace(corpus, articles=articles, keyword_index=(named_by_all,))
    found = RelatedIndex(corpus).find(articles[0], 1)
    assert found == find_related_slowly(articles[0], corpus, 1)
    assert [r.article.id for r in found] == [topics_only.id]
