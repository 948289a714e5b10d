"""Render every page of the site as Markdown from the templates: {relative path: content}."""
from __future__ import annotations

import collections
import functools
import html
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator
from urllib.parse import quote

import jinja2
import yaml
from markupsafe import Markup

from .browse import count_facets, render_browse_data
from .charts import chart_keywords, chart_matrix, chart_timeline, stack_matrix
from ..model import Article, Corpus, Keyword, Mention
from ..keywords.index import search_names
from ..keywords.extract import worker_count
from .page_keys import PageKeys
from ..parallel import map_in_order
from . import routes
from ..progress import show_progress
from .provenance import cite_article
from ..runs import split_runs
from ..settings import Settings
from .social import describe_article_meta
from .routes import (ALL_FEED, ARTICLES_INDEX, BROWSE, BROWSE_DATA, HOME, KEYWORDS_INDEX, OUTLETS_INDEX, RIGHTS, STATISTICS, TIMELINE,
                     TOPICS_INDEX, article_path, feed_path, keyword_path, link_path, outlet_path, offline_download_url, page_path, page_url,
                     raw_path, topic_path)

if TYPE_CHECKING:
    import numpy

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
# Characters that mean something to Markdown, its extensions, or HTML. Written as numeric
# character references they show as themselves and are never read as syntax.
_SPECIAL = set("&<>\"'\\`*_[](){}#+!|~^$\n\r\t")
# A value may start a line of Markdown: there, "1." or "1)" starts a list, "-" a list or a rule,
# "=" and "-" underline a heading. Its first character is then written as a reference too.
_LINE_START = re.compile(r"\d+[.)]|[-=]")


_ESCAPES = str.maketrans({c: f"&#{ord(c)};" for c in _SPECIAL})


def escape_text(value) -> Markup:
    """Make untrusted text safe in Markdown and in HTML alike (Markup passes through)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)):  # numbers we computed (counts, chart coordinates)
        return Markup(str(value))
    text = str(value)
    if not text:
        return Markup("")
    head, rest = (f"&#{ord(text[0])};", text[1:]) if _LINE_START.match(text) else ("", text)
    return Markup(head + rest.translate(_ESCAPES))


def escape_url(url: str) -> Markup:
    """An http(s) URL (validated earlier) made safe as a Markdown link target and HTML attribute."""
    return Markup(quote(url, safe="/:?#[]@!$&*+,;=%-._~").replace("&", "&amp;"))


def front_matter(fields: dict) -> Markup:
    """YAML front matter; text values are HTML-escaped once, as the theme prints them raw (Markup as it is)."""
    def prepare(value):
        if isinstance(value, Markup):
            return str(value)
        if isinstance(value, list):
            return [prepare(v) for v in value]
        if isinstance(value, str):
            return html.escape(value, quote=True)
        if isinstance(value, dict):
            return {k: prepare(v) for k, v in value.items()}
        return value
    body = yaml.safe_dump(prepare(fields), allow_unicode=True, sort_keys=False, width=10_000)
    return Markup(f"---\n{body}---\n")


def name_language(code: str) -> str:
    """The English name of a language code ("en" -> "English"); the code itself when unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


@dataclass(frozen=True)
class Related:
    article: Article
    shared_topics: tuple[str, ...]
    shared_keywords: tuple[Keyword, ...]
    shared_terms: tuple[str, ...]  # topic titles, then keyword labels


@dataclass(frozen=True)
class Pager:
    """Where one page of a listing sits among its pages."""

    first_path: str
    number: int
    count: int

    def path(self, number: int) -> str:
        return page_path(self.first_path, number)


def split_pages(items: list[Article], size: int) -> list[list[Article]]:
    """A listing's articles in pages of at most size, ended where an article's id says (runs.split_runs):
    one article more or less changes the page it is on, not every page after it."""
    return split_runs(items, size, _article_id)


def _article_id(article: Article) -> str:
    return article.id


def newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (a.date, a.id), reverse=True)


def index_by_topic(corpus: Corpus) -> dict[str, list[Article]]:
    """Group articles by topic id, newest first."""
    groups = collections.defaultdict(list)
    for article in corpus.articles:
        for topic in article.topics:
            groups[topic].append(article)
    return {key: newest_first(value) for key, value in groups.items()}


def index_by_outlet(corpus: Corpus) -> dict[str, list[Article]]:
    groups = collections.defaultdict(list)
    for article in corpus.articles:
        groups[article.outlet].append(article)
    return {key: newest_first(value) for key, value in groups.items()}


def index_by_keyword(corpus: Corpus) -> dict[str, tuple[Keyword, list[Article]]]:
    """Each keyword with the articles that mention it, its own articles first (by slug)."""
    if corpus.keyword_index:
        by_id = {a.id: a for a in corpus.articles}
        return {entry.keyword.slug: (entry.keyword, [by_id[m.article_id] for m in entry.mentions])
                for entry in corpus.keyword_index}
    groups: dict[str, tuple[Keyword, list[Article]]] = {}
    for article in corpus.articles:
        for keyword in article.keywords:
            groups.setdefault(keyword.slug, (keyword, []))[1].append(article)
    return {slug: (keyword, newest_first(items)) for slug, (keyword, items) in sorted(groups.items())}


def count_mentions_by_keyword(corpus: Corpus) -> dict[str, dict[str, Mention]]:
    """For each keyword, how each article names it (empty without an index)."""
    return {entry.keyword.slug: {m.article_id: m for m in entry.mentions} for entry in corpus.keyword_index}


def weigh_keywords(corpus: Corpus, by_keyword: dict | None = None) -> dict[str, float]:
    """A keyword's weight in related coverage: rarer is stronger (1 + ln(articles / articles naming it)).

    by_keyword: index_by_keyword(corpus), when the caller has it already.
    """
    size = max(1, len(corpus.articles))
    by_keyword = index_by_keyword(corpus) if by_keyword is None else by_keyword
    counts = {slug: len(articles) for slug, (_k, articles) in by_keyword.items()}
    return {slug: 1.0 + math.log(size / max(1, count)) for slug, count in counts.items()}


class RelatedIndex:
    """Who carries each keyword and topic, so ranking related articles never compares every pair."""

    def __init__(self, corpus: Corpus, keyword_articles: dict | None = None):
        """keyword_articles: index_by_keyword(corpus), when the caller has it already."""
        import numpy  # YAKE needs it anyway; it turns per-pair loops into a few array operations

        articles = corpus.articles
        self.articles = articles
        self.position = {article.id: i for i, article in enumerate(articles)}
        # Ties in score go to the newer article, then to the smaller id: rank holds that order.
        order = sorted(range(len(articles)), key=lambda i: articles[i].id, reverse=True)
        order.sort(key=lambda i: articles[i].date)
        self.rank = numpy.empty(len(articles), dtype=numpy.int64)
        self.rank[order] = numpy.arange(len(articles))
        by_keyword, by_topic = collections.defaultdict(list), collections.defaultdict(list)
        for i, article in enumerate(articles):
            for keyword in article.keywords:
                by_keyword[keyword.slug].append(i)
            for topic in article.topics:
                by_topic[topic].append(i)
        self.by_keyword = {key: numpy.array(value, dtype=numpy.int64) for key, value in by_keyword.items()}
        self.weights = weigh_keywords(corpus, keyword_articles)
        self.by_topic = {key: numpy.array(value, dtype=numpy.int64) for key, value in by_topic.items()}
        self.titles = {t.id: t.title for t in corpus.topics}

    def count_shared(self, postings, weights=None) -> "numpy.ndarray":
        import numpy as np

        size = len(self.articles)
        if not postings:
            return np.zeros(size, dtype=np.float64 if weights else np.int64)
        if weights:
            each = np.repeat(np.asarray(weights, dtype=np.float64), [len(p) for p in postings])
            return np.bincount(np.concatenate(postings), weights=each, minlength=size)
        return np.bincount(np.concatenate(postings), minlength=size)

    def find(self, article: Article, limit: int) -> list[Related]:
        return self.describe(article, self.best(article, limit))

    def best(self, article: Article, limit: int) -> list[int]:
        """The positions of the articles most related to article, best first."""
        import numpy as np

        size = len(self.articles)
        shared = [k.slug for k in article.keywords if k.slug in self.by_keyword]
        keywords = self.count_shared([self.by_keyword[s] for s in shared], [self.weights.get(s, 1.0) for s in shared])
        topics = self.count_shared([self.by_topic[t] for t in dict.fromkeys(article.topics) if t in self.by_topic])
        score = np.round(2 * keywords + topics, 9)  # rounded so that equal sums tie whatever the order of adding
        if article.id in self.position:
            score[self.position[article.id]] = 0
        # Highest score first, then the newer article (rank), as find_related_slowly sorts them; only
        # the articles scoring at least the limit-th best score (ties included) need sorting.
        if limit < size:
            floor = max(np.partition(score, size - limit)[size - limit], 1e-9)
        else:
            floor = 1e-9
        candidates = np.nonzero(score >= floor)[0]
        order = candidates[np.lexsort((-self.rank[candidates], -score[candidates]))]
        return [int(i) for i in order[:limit]]

    def describe(self, article: Article, best: list[int]) -> list[Related]:
        """The articles at positions best as related coverage of article: what each shares with it."""
        keys = {k.slug for k in article.keywords}
        related = []
        for i in best:
            other = self.articles[i]
            shared_topics = tuple(t for t in other.topics if t in article.topics)
            shared_keywords = tuple(k for k in other.keywords if k.slug in keys)
            related.append(Related(other, shared_topics, shared_keywords,
                                   tuple(self.titles[t] for t in shared_topics) + tuple(k.label for k in shared_keywords)))
        return related


@dataclass(frozen=True)
class RenderJob:
    """What keying and rendering pages needs: one render's corpus, related coverage, keys and
    template values, shared with worker processes (by fork on Linux), which make the article pages
    and keyword listings."""

    articles: list[Article]
    related: RelatedIndex
    limit: int
    page_keys: PageKeys | None
    last_keys: dict[str, str] | None  # the last build's page keys: a page with its last key is not rendered
    common: dict  # what every template is given
    keyword_listings: tuple[tuple[str, Keyword, list[Article], dict], ...] = ()  # slug, keyword, its articles, mentions
    page_size: int = 200
    search_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # keyword_index.search_names


def article_values(job: RenderJob, position: int, related: list[Related]) -> dict:
    """What the article page at position shows: the template's values, in the order its key takes them."""
    articles = job.articles
    return dict(article=articles[position], related=related,
                previous=articles[position - 1] if position else None,
                next=articles[position + 1] if position + 1 < len(articles) else None,
                search_names=job.search_names.get(articles[position].id, ()))


def render_article_page(job: RenderJob, position: int) -> tuple[str | None, list[int], str | None]:
    """The article page at position: its key (None without page keys), its related articles' positions,
    and its Markdown (None when the key is the last build's).

    The whole of an article page, which a rebuild needs keyed even when it will not render it:
    done across worker processes.
    """
    return finish_article_page(job, position, job.related.best(job.articles[position], job.limit))


def key_shown_article_page(job: RenderJob, position: int, shown_only: ShownOnly,
                           unshown_key: Callable[[str, list[Article]], str | None]) -> tuple[str | None, list[int], str | None]:
    """render_article_page after an edit of what articles show: the related coverage is the last render's,
    and a page that shows no changed article (itself, its neighbours, its related coverage) keeps its
    last key and is not rendered."""
    articles = job.articles
    best = list(shown_only.related[position])
    shown = [articles[i] for i in [position - 1, position, position + 1, *best] if 0 <= i < len(articles)]
    last = unshown_key(article_path(articles[position]), shown)
    if last is not None:
        return last, best, None
    return finish_article_page(job, position, best)


def finish_article_page(job: RenderJob, position: int, best: list[int]) -> tuple[str | None, list[int], str | None]:
    """render_article_page once the related coverage (best) is known."""
    article = job.articles[position]
    key, content = key_and_render(job, "article.md.j2", article_path(article),
                                  article_values(job, position, job.related.describe(article, best)))
    return key, best, content


def key_and_render(job: RenderJob, template: str, path: str, values: dict) -> tuple[str | None, str | None]:
    """A page's key (None without page keys) and its Markdown (None when the key is the last build's)."""
    key = job.page_keys.key(template, path, values) if job.page_keys is not None else None
    if key is not None and job.last_keys is not None and job.last_keys.get(path) == key:
        return key, None
    return key, make_environment().get_template(template).render(page_path=path, **job.common, **values)


def render_listing(job: RenderJob, template: str, first_path: str, articles: list[Article], values: dict,
                   unshown_key: Callable[[str, list[Article]], str | None] | None = None,
                   mentions: dict[str, Mention] | None = None) -> list[tuple[str, str | None, str | None]]:
    """Each page of a listing of articles: (path, key or None, Markdown or None when the key is the last build's).

    The first page is given the whole listing's length as total, and each page the mentions
    (a keyword's, by article id) of its own articles only: a page's key then changes with what it
    shows, not with every mention of the keyword. unshown_key (the preview's shortcut, see ShownOnly): a page
    for which it gives a key keeps that key without being keyed again.
    """
    chunks = split_pages(articles, job.page_size)
    listed: list[tuple[str, str | None, str | None]] = []
    for number, chunk in enumerate(chunks, start=1):
        pager = Pager(first_path, number, len(chunks))
        path = pager.path(number)
        last = unshown_key(path, chunk) if unshown_key is not None else None
        if last is not None:
            listed.append((path, last, None))
            continue
        # Only the first page gives the count: the others then change only when their own articles do.
        total = len(articles) if number == 1 else None
        shown = {} if mentions is None else \
            dict(mentions=({a.id: mentions[a.id] for a in chunk if a.id in mentions}))
        listed.append((path, *key_and_render(job, template, path, dict(articles=chunk, total=total, pager=pager,
                                                                       **values, **shown))))
    return listed


def render_in_worker(job: RenderJob, index: int):
    """Task index of a render's workers: an article page (render_article_page), or past the last
    article, a keyword's listing (render_listing): the two kinds of page there are thousands of."""
    if index < len(job.articles):
        return render_article_page(job, index)
    slug, keyword, articles, mentions = job.keyword_listings[index - len(job.articles)]
    return render_listing(job, "keyword.md.j2", keyword_path(slug), articles, dict(keyword=keyword), mentions=mentions)


def group_by_month(articles) -> list[tuple[int, list[tuple[int, list[Article]]]]]:
    """[(year, [(month, articles)])], newest year and month first; month 0 means not known."""
    years: dict[int, dict[int, list[Article]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for article in newest_first(articles):
        years[article.date.year][article.date.month].append(article)
    return [(year, sorted(months.items(), reverse=True)) for year, months in sorted(years.items(), reverse=True)]


@functools.lru_cache(maxsize=1)  # compiled templates are reused; the loader reloads any that change
def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        # Templates write Markdown, so HTML autoescaping does not apply; every value printed is
        # escaped for Markdown and HTML at once instead, unless it is Markup made by us.
        autoescape=False,
        finalize=escape_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["url"] = escape_url
    env.filters["front_matter"] = front_matter
    env.filters["language_name"] = name_language
    env.globals["link_to"] = link_to
    env.globals.update(cite_article=cite_article, describe_article_meta=describe_article_meta, feed_path=feed_path, page_url=page_url, all_feed=ALL_FEED,
                       article_path=article_path, raw_path=raw_path, topic_path=topic_path, outlet_path=outlet_path,
                       keyword_path=keyword_path, routes=routes)
    env.globals["group_by_month"] = group_by_month
    return env


@jinja2.pass_context
def link_to(context, target: str) -> Markup:
    """The relative link from the page being rendered to another file of the site."""
    return Markup(link_path(target, context["page_path"]))


def render_site(corpus: Corpus, settings: Settings = Settings(Path()), quiet: bool = True) -> dict[str, str]:
    """Every Markdown page of the site, keyed by its path inside site_src/ (quiet off: a progress bar)."""
    pages = render_changed_pages(corpus, settings, None, quiet).pages
    return {path: content for path, content in pages.items() if content is not None}


@dataclass(frozen=True)
class RenderedPages:
    """The pages of one render: content, or None where the page's inputs are the last build's."""

    pages: dict[str, str | None]
    keys: dict[str, str]  # each page's digest of inputs (empty when none were asked for)
    related: tuple[tuple[int, ...], ...] = ()  # each article's related coverage, as positions in the corpus


@dataclass(frozen=True)
class ShownOnly:
    """The corpus differs from the one the last keys were taken from only in what some articles show.

    changed: the ids of those articles; their order, grouping, keywords, text and addresses are as
    they were, so every listing and every article's related coverage is the same (related: the last
    render's). A page none of them appears on then has the last key, and is neither keyed nor rendered.
    """

    changed: frozenset[str]
    related: tuple[tuple[int, ...], ...]


def render_changed_pages(corpus: Corpus, settings: Settings, last_keys: dict[str, str] | None,
                         quiet: bool = True, shown_only: ShownOnly | None = None) -> RenderedPages:
    """Every page of the site; with the last build's page keys, only those whose inputs changed.

    last_keys=None renders every page and takes no keys; {} renders every page and takes them.
    shown_only (the live preview, after an edit of what articles show): listing and article pages
    that show none of the changed articles keep their last keys without being keyed again.
    """
    limits = settings.limits
    outlets = {o.id: o for o in corpus.outlets}
    topics = {t.id: t for t in corpus.topics}
    by_topic = index_by_topic(corpus)
    by_outlet = index_by_outlet(corpus)
    by_keyword = index_by_keyword(corpus)
    chronological = list(corpus.articles)
    timeline = newest_first(chronological)
    related_index = RelatedIndex(corpus, by_keyword)
    common = dict(outlets=outlets, topics=topics, site_name=settings.name, site_url=settings.url,
                  repo_url=settings.repo_url, offline_download=offline_download_url(settings.name, settings.repo_url, settings.version))

    page_keys = PageKeys(corpus.articles, common, digest_all=shown_only is None) if last_keys is not None else None
    mentions = count_mentions_by_keyword(corpus)
    keyword_listings = tuple((slug, keyword, articles, mentions.get(slug, {})) for slug, (keyword, articles) in by_keyword.items())
    job = RenderJob(chronological, related_index, limits.related_limit, page_keys, last_keys, common,
                    keyword_listings if shown_only is None else (), limits.page_size, search_names(corpus))
    keys: dict[str, str] = {}

    def unshown_key(page_path: str, shown: list[Article]) -> str | None:
        """The page's last key if it shows none of the changed articles (shown_only): it need not be keyed again."""
        if shown_only is None or last_keys is None or any(article.id in shown_only.changed for article in shown):
            return None
        return last_keys.get(page_path)

    def note_key(page_path: str, key: str | None) -> None:
        if key is not None and last_keys is not None:
            keys[page_path] = key

    def render(template: str, page_path: str, **values) -> str | None:
        key, content = key_and_render(job, template, page_path, values)
        note_key(page_path, key)
        return content

    def render_paged(template: str, first_path: str, articles: list[Article], mentions: dict[str, Mention] | None = None,
                     **values) -> dict[str, str | None]:
        """A listing of articles over as many pages as it needs (render_listing), its keys noted."""
        paged: dict[str, str | None] = {}
        for path, key, content in render_listing(job, template, first_path, articles, values, unshown_key, mentions):
            note_key(path, key)
            paged[path] = content
        return paged

    # Article pages (related coverage, key, Markdown) and keyword listings are the costliest part:
    # the workers start on them first, and this process renders the other pages meanwhile.
    tasks = len(chronological) + len(job.keyword_listings)
    keyed: Iterator
    if shown_only is not None:
        keyed = (key_shown_article_page(job, position, shown_only, unshown_key) for position in range(len(chronological)))
    else:
        workers = worker_count(None, 0, len(chronological))
        keyed = map_in_order(render_in_worker, job, tasks, workers, max(1, tasks // (workers * 64)))
    matrix = chart_matrix(corpus)
    pages: dict[str, str | None] = {
        # The home page gets the totals it prints, not the corpus: its key then costs nothing to take.
        HOME: render("home.md.j2", HOME, latest=timeline[:limits.latest_limit], totals=dict(
            articles=len(chronological), outlets=len(by_outlet), topics=len(by_topic), keywords=len(by_keyword),
            first_date=chronological[0].date if chronological else None, last_date=chronological[-1].date if chronological else None)),
        RIGHTS: render("rights.md.j2", RIGHTS),
        # Indexes get counts, not the articles, for the same reason.
        TOPICS_INDEX: render("topics.md.j2", TOPICS_INDEX, counts={topic: len(items) for topic, items in by_topic.items()}),
        OUTLETS_INDEX: render("outlets.md.j2", OUTLETS_INDEX, counts={outlet: len(items) for outlet, items in by_outlet.items()}),
        KEYWORDS_INDEX: render("keywords.md.j2", KEYWORDS_INDEX, keywords=[
            (keyword, len(items)) for _slug, (keyword, items) in sorted(by_keyword.items(), key=lambda item: (-len(item[1][1]), item[0]))]),
        BROWSE: render("browse.md.j2", BROWSE, facets=count_facets(corpus)),
        BROWSE_DATA: render_browse_data(corpus, article_path),
        STATISTICS: render("statistics.md.j2", STATISTICS, timeline=chart_timeline(corpus),
                           timeline_narrow=chart_timeline(corpus, narrow=True), matrix=matrix,
                           matrix_stacked=stack_matrix(matrix), keywords=chart_keywords(corpus, by_keyword),
                           keywords_narrow=chart_keywords(corpus, by_keyword, narrow=True)),
    }
    pages.update(render_paged("articles.md.j2", ARTICLES_INDEX, timeline))
    year_starts: dict[int, int] = {}
    for number, chunk in enumerate(split_pages(timeline, limits.page_size), start=1):
        for article in chunk:
            year_starts.setdefault(article.date.year, number)
    pages.update(render_paged("timeline.md.j2", TIMELINE, timeline, year_starts=year_starts))
    listings: dict[str, str | None] = {}
    for topic in corpus.topics:
        listings.update(render_paged("topic.md.j2", topic_path(topic.id), by_topic.get(topic.id, []), topic=topic))
    for outlet in corpus.outlets:
        listings.update(render_paged("outlet.md.j2", outlet_path(outlet.id), by_outlet.get(outlet.id, []), outlet=outlet))
    if shown_only is not None:  # the preview's shortcut renders in this process, keyword listings included
        for slug, keyword, articles, keyword_mentions in keyword_listings:
            listings.update(render_paged("keyword.md.j2", keyword_path(slug), articles, keyword=keyword, mentions=keyword_mentions))
    related: list[tuple[int, ...]] = []
    for index, result in enumerate(show_progress(keyed, "Pages", total=tasks, quiet=quiet)):
        if index >= len(chronological):  # a keyword's listing
            for path, key, content in result:
                note_key(path, key)
                listings[path] = content
            continue
        key, best, content = result
        path = article_path(chronological[index])
        related.append(tuple(best))
        note_key(path, key)
        pages[path] = content
    pages.update(listings)
    return RenderedPages(pages, keys, tuple(related))
