"""Untrusted text stays text: generated article texts and metadata show verbatim, and inject nothing.

Hypothesis generates texts mixing arbitrary Unicode with fragments of HTML, script, Markdown,
Jinja and MkDocs syntax. Most examples go through our templates and MkDocs' own page rendering
(the Markdown stage of a build, with the project's mkdocs.yml); fewer go through whole MkDocs
builds with the Material theme, several articles per build. Seeds are fixed and examples bounded,
so CI runs the same cases every time.
"""
from __future__ import annotations

import dataclasses
import functools
import html
import html.parser
import json
import logging
import posixpath
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FURNITURE_YML, REPO, write_project
from publisher.settings import read_site_settings
from publisher.intake.clean import clean_article
from publisher.model import Article, Corpus, FurnitureRules, Keyword, Outlet, PartialDate, Topic
from publisher.pages.data import render_data
from publisher.pages.feeds import render_feeds
from publisher.settings import Settings
from publisher.pages.render import render_site
from publisher.intake.fields import BIDI_CONTROLS, INVISIBLE, FieldError, check_text

SITE_NAME = "News Corpus Archive"
FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</title><script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>', "<svg/onload=alert(1)>", "<iframe src=//evil.example>",
    "<style>*{display:none}</style>", "<!-- c -->", "<![CDATA[x]]>", "</div>", "</p><p>", "<br>",
    "[x](javascript:alert(1))", "![i](data:image/png;base64,AAAA)", "[x]: javascript:alert(1)",
    "<https://evil.example>", "https://autolink.example/x", "www.example.org", "data:text/html,x",
    "{{ config.site_name }}", "{% include 'x' %}", "{# c #}", "{{", "}}", "${x}", "<%= x %>",
    "*em*", "**b**", "_u_", "__b__", "`code`", "```", "~~s~~", "==m==", "^sup^", "\\*", "\\",
    "# h", "## h", "1. item", "- item", "* item", "+ item", "> quote", "---", "===", "    code",
    "| a | b |", "|---|", "{: onclick=alert(1) }", "{#id .cls onmouseover=x}", "[TOC]",
    "!!! note", "??? note", "--8<-- 'x'", ":material-x:", "[^1]", "*[HTML]: x", "$$x$$",
    "&amp;", "&#60;", "&lt;script&gt;", "&#x3C;", "&nbsp;", "&", "<", ">", '"', "'", "  ", "\u00a0",
    "\u200d", "\u200c", "\u200e", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "Лукашэнка", "🇧🇾", "e\u0301",
]
# What validation lets through in one-line text: no control, line-separating, bidi or invisible characters.
LINE_CHARS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                           exclude_characters=BIDI_CONTROLS | INVISIBLE | {"\ufffe", "\uffff"})
# A seed may also hold tabs, bidi controls and invisible characters (they are part of the words).
SEED_CHARS = st.characters(exclude_categories=("Cc", "Cs"), include_characters="\t", exclude_characters={"\ufffe", "\uffff"})


def mixed(chars, min_parts: int = 0, max_parts: int = 6):
    return st.lists(st.one_of(st.text(chars, max_size=12), st.sampled_from(FRAGMENTS)), min_size=min_parts, max_size=max_parts).map("".join)


def one_line(name: str):
    """Text that validation accepts for this field, as validation returns it."""
    def checked(value):
        try:
            return check_text(value, name)
        except FieldError:
            return None
    return mixed(LINE_CHARS, min_parts=1).map(checked).filter(lambda v: v is not None)


# A byte-order mark that opens a file is dropped when it is read (docs/maintaining.md, "Line ends and encodings").
seed_texts = (st.lists(st.one_of(mixed(SEED_CHARS), st.just("")), min_size=1, max_size=10).map("\n".join)
              .filter(lambda text: text.strip() and not text.startswith("\ufeff")))
urls = st.builds(lambda host, path: f"https://{host}.example/{path}",
                 st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=10),
                 st.text("abcXYZ019-._~!$&'()*+,;=:@/?#[]%", max_size=30))


@st.composite
def corpora(draw, count: int = 2) -> Corpus:
    """A corpus of `count` articles, one outlet and one topic, all text generated."""
    outlet = Outlet(id="daily-planet", name=draw(one_line("name")), country=draw(one_line("country")), language="en",
                    description=draw(one_line("description")), homepage=draw(st.none() | urls))
    topic = Topic(id="border", title=draw(one_line("title")), description=draw(one_line("description")))
    shared = Keyword(key="shared", label=draw(one_line("label")), slug="shared")
    articles = []
    for index in range(count):
        article = Article(
            id=f"00{index}_article", slug=f"article-{index}", title=draw(one_line("title")), outlet=outlet.id,
            date=PartialDate(2020 + index, draw(st.integers(0, 12)), 0), topics=(topic.id,),
            source_path=f"seeds/00{index}_article.txt", metadata_path=f"metadata/00{index}_article.yml",
            sha256="0" * 64, text=draw(seed_texts),
            authors=tuple(draw(st.lists(one_line("authors"), max_size=3))),
            source_url=draw(st.none() | urls), archive_url=draw(st.none() | urls),
            original_publisher=draw(st.none() | one_line("original_publisher")),
            summary=draw(st.none() | one_line("summary")),
            keywords=(shared, Keyword(key=f"own-{index}", label=draw(one_line("label")), slug=f"own-{index}")),
        )
        articles.append(clean_article(article, FurnitureRules()))
    return Corpus(tuple(articles), (outlet,), (topic,), FurnitureRules())


# Reading HTML back

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclasses.dataclass
class Node:
    tag: str
    attrs: tuple
    children: list = dataclasses.field(default_factory=list)

    def find_all(self, match):
        for child in self.children:
            if isinstance(child, Node):
                if match(child):
                    yield child
                yield from child.find_all(match)

    def find(self, match):
        return next(self.find_all(match), None)

    @property
    def text(self) -> str:
        """The text a reader sees, a <br> as a line end."""
        return "".join(c if isinstance(c, str) else "\n" if c.tag == "br" else c.text for c in self.children)

    @property
    def skeleton(self):
        """Elements and attributes without any text: what injected markup would change."""
        return (self.tag, self.attrs, tuple(c.skeleton for c in self.children if isinstance(c, Node)))


class _TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = [Node("#root", ())]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, tuple(sorted(attrs, key=lambda a: a[0])))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        raise AssertionError(f"stray </{tag}>")

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.stack[0]


def has_class(name: str):
    return lambda node: name in dict(node.attrs).get("class", "").split()


def expected_body(article: Article) -> list[tuple[str, list[str]]]:
    """The reading view as (element, texts): a paragraph's lines, or a list's items."""
    return [("ul", [line.strip() for line in b.lines]) if b.kind == "list" else ("p", ["\n".join(line.strip() for line in b.lines)])
            for b in article.reading_blocks]


def shown_body(page: Node) -> list[tuple[str, list[str]]]:
    body = page.find(has_class("archive-text"))
    assert body is not None
    shown = []
    for child in body.children:
        if isinstance(child, str):
            assert child.strip() == "", f"text outside a paragraph: {child!r}"
        elif child.tag in ("span", "p") and ("hidden", None) in child.attrs:
            # Pagefind's metadata (the title and filters) and the names search knows the article by, hidden;
            # their structure is the twin's (skeleton check), the names' text is checked in check_article_body
            continue
        elif child.tag == "ul":
            assert all(isinstance(i, Node) and i.tag == "li" and i.attrs == () for i in child.children)
            shown.append(("ul", [i.text for i in child.children]))
        else:
            assert child.tag == "p" and child.attrs == ()
            assert all(isinstance(c, str) or (c.tag == "br" and c.attrs == ()) for c in child.children)
            shown.append(("p", [child.text]))
    return shown


def item_texts(page: Node) -> dict[str, str]:
    """The article's details and provenance lists: {label: value}, first occurrence, as a reader sees them."""
    details = {}
    for item in page.find_all(lambda n: n.tag == "li"):
        label = item.find(lambda n: n.tag == "strong")
        if label is not None and item.children and item.children[0] is label:
            details.setdefault(label.text.rstrip(":"), item.text[len(label.text):].strip())
    return details


def check_article_body(page: Node, article: Article, corpus: Corpus) -> None:
    """Every untrusted value of the article shows verbatim where the template puts it."""
    outlet = corpus.outlets[0]
    assert shown_body(page) == expected_body(article)
    names = [*article.authors, outlet.name, article.original_publisher or ""]
    searched = page.find(has_class("archive-search-names"))
    assert searched.text == "Names to search it by: " + "; ".join(name for name in dict.fromkeys(names) if name) + "."
    details = item_texts(page)
    # The header names the outlet, or for a republished text the republisher and the original publisher.
    assert details.get("Republished by", details["Outlet"]) == outlet.name
    assert details.get("Author", details.get("Authors")) == (", ".join(article.authors) or None)
    assert details.get("First published by") == article.original_publisher
    assert details["Source"] == (article.source_url or "not recorded")
    assert details["Archived copy"] == (article.archive_url or "none recorded")
    assert details["Topics"] == corpus.topics[0].title
    assert details["Keywords"] == ", ".join(k.label for k in article.keywords)
    if article.summary:
        assert page.find(lambda n: n.tag == "em").text == article.summary
    for link in page.find_all(lambda n: n.tag == "a"):
        href = dict(link.attrs).get("href", "")
        if href.startswith(REPO_URL):
            continue  # "Improve this record": the repository's files, named by us
        scheme = urlsplit(href).scheme
        assert scheme in ("", "http", "https"), href
        if scheme:
            assert link.text in (article.source_url, article.archive_url), href
            assert urlsplit(href).netloc == urlsplit(link.text).netloc


REPO_URL = read_site_settings(REPO / "mkdocs.yml", environ={}).repo_url + "/"  # mkdocs.yml's default, as the tests build


def plain_twin(corpus: Corpus) -> Corpus:
    """The same corpus with every untrusted text replaced by plain letters: the shape to expect."""
    outlet = dataclasses.replace(corpus.outlets[0], name="Name", country="Country", description="Description")
    topic = dataclasses.replace(corpus.topics[0], title="Topic", description="Description")
    articles = tuple(dataclasses.replace(
        a, title="Title", summary=a.summary and "Summary", original_publisher=a.original_publisher and "Publisher",
        authors=tuple("Author" for _ in a.authors),
        keywords=tuple(dataclasses.replace(k, label="Keyword") for k in a.keywords),
        blocks=tuple(dataclasses.replace(b, lines=tuple("x" for _ in b.lines)) for b in a.blocks),
    ) for a in corpus.articles)
    return Corpus(articles, (outlet,), (topic,), corpus.general_rules)


# The Markdown stage: our templates, then MkDocs' page rendering with the project's configuration

@functools.lru_cache(maxsize=1)
def mkdocs_config():
    from mkdocs.config import load_config

    docs = tempfile.mkdtemp(prefix="untrusted-docs-")
    return load_config(str(REPO / "mkdocs.yml"), docs_dir=docs, site_dir=docs + "-site")


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_with_mkdocs(corpus: Corpus, *paths: str) -> dict[str, tuple[str, str]]:
    """Pages of the corpus as MkDocs renders them: {path: (title, body HTML)}; fails on any MkDocs warning."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = mkdocs_config()
    files = Files([])
    raw = {f"raw/{a.id}.txt": "" for a in corpus.articles}
    site_url, site_name = "https://archive.example/", "Archive"
    settings = Settings(Path(), site_name, site_url)
    extra = {**render_feeds(corpus, settings), **render_data(corpus, settings)}
    for rel, content in {**render_site(corpus, settings), **extra, **raw}.items():
        file = File(rel, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
        file.content_string = content
        files.append(file)
    warnings = _Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    rendered = {}
    try:
        for path in paths:
            page = Page(None, files.get_file_from_path(path), config)
            page.read_source(config)
            page.render(config, files)
            rendered[path] = (page.title, page.content)
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
    assert warnings.messages == []  # what `mkdocs build --strict` would refuse
    return rendered


@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_article_page_shows_untrusted_text_verbatim(corpus):
    paths = [f"articles/{article.slug}.md" for article in corpus.articles]
    pages, twins = render_with_mkdocs(corpus, *paths), render_with_mkdocs(plain_twin(corpus), *paths)
    for article, path in zip(corpus.articles, paths):
        title, content = pages[path]
        # Material prints page titles without escaping: the front matter holds them escaped once.
        assert title == html.escape(article.title)
        page = parse_html(content)
        check_article_body(page, article, corpus)
        assert page.skeleton == parse_html(twins[path][1]).skeleton


def link_texts(page: Node, page_path: str) -> dict[str, str]:
    """{site path the link leads to: link text} for every internal link of a page rendered from page_path."""
    here = "/" + ("" if page_path == "index.md" else page_path.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/")
    links = {}
    for link in page.find_all(lambda n: n.tag == "a"):
        href = dict(link.attrs).get("href", "")
        if not urlsplit(href).scheme:
            links[posixpath.normpath(posixpath.join(here, href)).lstrip("/")] = link.text
    return links


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_listing_pages_show_untrusted_text_verbatim(corpus):
    twin = plain_twin(corpus)
    outlet, topic = corpus.outlets[0], corpus.topics[0]
    paths = ("index.md", "articles/index.md", "timeline.md", "topics/index.md", "topics/border.md",
             "outlets/index.md", "outlets/daily-planet.md", "keywords/index.md", "keywords/shared.md")
    rendered, twins = render_with_mkdocs(corpus, *paths), render_with_mkdocs(twin, *paths)
    pages = {path: parse_html(rendered[path][1]) for path in paths}
    for path in paths:
        assert pages[path].skeleton == parse_html(twins[path][1]).skeleton, path
    for path in ("index.md", "articles/index.md", "timeline.md", "topics/border.md", "outlets/daily-planet.md", "keywords/shared.md"):
        links = link_texts(pages[path], path)
        for article in corpus.articles:
            assert links[f"articles/{article.slug}"] == article.title, path
    assert link_texts(pages["topics/index.md"], "topics/index.md")["topics/border"] == topic.title
    assert link_texts(pages["outlets/index.md"], "outlets/index.md")["outlets/daily-planet"] == outlet.name
    assert link_texts(pages["keywords/index.md"], "keywords/index.md")["keywords/shared"] == corpus.articles[0].keywords[0].label
    assert item_texts(pages["outlets/daily-planet.md"])["Country"] == outlet.country
    assert pages["outlets/daily-planet.md"].find(lambda n: n.tag == "p").text == outlet.description
    assert pages["topics/border.md"].find(lambda n: n.tag == "p").text == topic.description


# Whole builds: real files, real validation, MkDocs with the Material theme

def metadata_yaml(article: Article) -> str:
    fields = {"title": article.title, "outlet": article.outlet, "date": article.date.iso, "topics": list(article.topics)}
    optional = {"authors": list(article.authors), "source_url": article.source_url, "archive_url": article.archive_url,
                "original_publisher": article.original_publisher, "summary": article.summary, "slug": article.slug}
    fields.update({k: v for k, v in optional.items() if v})
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)


def project_files(corpus: Corpus) -> dict:
    outlet, topic = corpus.outlets[0], corpus.topics[0]
    outlets = {outlet.id: {"name": outlet.name, "country": outlet.country, "language": "en", "description": outlet.description}}
    if outlet.homepage:
        outlets[outlet.id]["homepage"] = outlet.homepage
    files = {
        "metadata/outlets.yml": yaml.safe_dump(outlets, allow_unicode=True),
        "metadata/topics.yml": yaml.safe_dump({topic.id: {"title": topic.title, "description": topic.description}}, allow_unicode=True),
        "metadata/furniture.yml": FURNITURE_YML,
    }
    for article in corpus.articles:
        files[article.source_path] = article.text
        files[article.metadata_path] = metadata_yaml(article)
    return files


def check_built_page(site: Path, article: Article, built: Corpus) -> None:
    page_html = (site / "articles" / article.slug / "index.html").read_text(encoding="utf-8")
    page = parse_html(page_html)
    assert page.find(lambda n: n.tag == "title").text == f"{article.title} - {SITE_NAME}"
    description = page.find(lambda n: n.tag == "meta" and dict(n.attrs).get("name") == "description")
    assert dict(description.attrs)["content"] == (article.summary or article.title)
    content = page.find(has_class("md-content__inner"))
    assert content.find(lambda n: n.tag == "h1").text == article.title
    check_article_body(content, article, built)
    # Nothing anywhere on the page runs code: no handler attribute, no script but the theme's own,
    # and the content holds no embedded or active element at all.
    for node in page.find_all(lambda n: True):
        attrs = dict(node.attrs)
        assert not any(name.startswith("on") for name in attrs), node
        assert not any(urlsplit(v or "").scheme in ("javascript", "data", "vbscript") for k, v in attrs.items() if k in ("href", "src", "action")), node
        if node.tag == "script" and attrs.get("type") == "application/ld+json":
            assert json.loads(node.text)["headline"] == article.title, node  # data, never run: the title verbatim
        elif node.tag == "script":
            assert "src" in attrs or attrs.get("id") == "__config" or node.text.lstrip().startswith(("__md_scope", "var palette", "var target")), node
    active = ("script", "iframe", "object", "embed", "style", "form", "svg", "img", "math", "link", "meta", "base")
    assert content.find(lambda n: n.tag in active) is None
    # Pagefind shows the title it reads from the page's metadata span: the text, verbatim.
    meta = page.find(lambda n: dict(n.attrs).get("data-pagefind-meta") == "title")
    assert meta is not None and meta.text == article.title


@settings(derandomize=True, max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(corpora(count=5))
def test_built_site_shows_untrusted_text_verbatim(tmp_path, corpus):
    from publisher.pipeline import build_site

    root = write_project(Path(tempfile.mkdtemp(dir=tmp_path)) / "project", project_files(corpus))
    built = build_site(root)
    # The page shows what validation and cleaning made of the files: stripped text, real keywords.
    assert [(a.title, a.summary, a.authors, a.text) for a in built.articles] == [
        (a.title, a.summary, a.authors, a.text) for a in sorted(corpus.articles, key=lambda a: (a.date, a.id))]
    by_id = {a.id: a for a in built.articles}
    for article in corpus.articles:
        check_built_page(root / "site", by_id[article.id], built)


# In the browser: the page and Material's search results run nothing from the text

def test_browser_runs_no_script_from_article_text_or_title(make_project, serve_dir, page):
    from playwright.sync_api import expect

    from publisher.pipeline import build_site
    from searchui import search

    attack = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
    metadata = yaml.safe_dump({"title": f"Zyxwvut {attack}", "outlet": "gazette", "date": "2022-10",
                               "topics": ["alliance"], "summary": f"{attack} [x](javascript:window.pwned=3)"})
    text = f"Headline\n\nZyxwvut appears once. {attack}\n\n[click](javascript:window.pwned=4) {{{{ config }}}}\n"
    root = make_project({"metadata/002_beta.yml": metadata, "seeds/002_beta.txt": text})
    build_site(root)
    base = serve_dir(root / "site")
    page.goto(base + "/")
    results = search(page, "Zyxwvut")
    expect(results.first).to_be_visible(timeout=15_000)
    expect(results.first.locator(".archive-search__title")).to_have_text(f"Zyxwvut {attack}")
    results.first.locator("a").first.click()
    expect(page.locator("article h1")).to_have_text(f"Zyxwvut {attack}")
    expect(page.locator(".archive-text p").nth(1)).to_have_text(f"Zyxwvut appears once. {attack}")
    assert page.title() == f"Zyxwvut {attack} - {SITE_NAME}"
    assert page.evaluate("window.pwned") is None
    assert page.locator("article img, article script, article a[href^='javascript']").count() == 0
