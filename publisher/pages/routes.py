"""Every path in site_src/ and every public URL: nothing else builds them.

A page path is a file of site_src/ (`articles/<slug>.md`); MkDocs serves it at a folder address
(`articles/<slug>/`). Templates reach these functions through the Jinja globals of markup.py.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from ..intake.slugs import slugify
from ..model import Problem

HOME = "index.md"
ARTICLES_INDEX = "articles/index.md"
TOPICS_INDEX = "topics/index.md"
OUTLETS_INDEX = "outlets/index.md"
KEYWORDS_INDEX = "keywords/index.md"
TIMELINE = "timeline.md"
BROWSE = "browse.md"
STATISTICS = "statistics.md"
RIGHTS = "rights.md"
BROWSE_DATA = "assets/browse-data.js"
FEEDS_DIR = "feeds"
ALL_FEED = f"{FEEDS_DIR}/all.xml"
FEED_KINDS = ("outlets", "topics")
DATA_DIR = "data"
DATA_PAGE = f"{DATA_DIR}/index.md"
DATA_JSON = f"{DATA_DIR}/corpus.json"
DATA_CSV = f"{DATA_DIR}/corpus.csv"
DATA_SCHEMA = f"{DATA_DIR}/corpus.schema.json"
# Pagefind reads only the article pages: listings and the home page stay out of the search index.
SEARCH_SCOPE = "articles/**/*.html"

# The pages the site always has, in the folders that articles, topics and outlets share with them.
SITE_PAGES = {
    ARTICLES_INDEX: "the list of all articles",
    TOPICS_INDEX: "the list of topics",
    OUTLETS_INDEX: "the list of outlets",
    KEYWORDS_INDEX: "the list of keywords",
}


def article_path(article) -> str:
    return f"articles/{article.slug}.md"


def raw_path(article) -> str:
    return f"raw/{article.id}.txt"


def topic_path(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def outlet_path(outlet_id: str) -> str:
    return f"outlets/{outlet_id}.md"


def listing_path(folder: str, slug: str, kind: str) -> str:
    """The first page of a listing of a kind (kinds.py) whose slugs no registry checks (keywords, names):
    <folder>/<slug>.md, or <folder>/<slug>_<kind>.md when that would take a page of the site's own or
    the folder's index page. Slugs hold no '_', so that address can be no other listing's."""
    path = f"{folder}/{slug}.md"
    return f"{folder}/{slug}_{kind}.md" if path in SITE_PAGES or slug == "index" else path


def keyword_path(slug: str) -> str:
    """A keyword's page; one that would take a page of the site's own gets a distinct address."""
    return listing_path("keywords", slug, "keyword")


def feed_path(kind: str, item_id: str) -> str:
    """The feed of one outlet or topic, inside site_src/."""
    if kind not in FEED_KINDS:
        raise ValueError(f"no feeds of {kind!r}: expected one of {', '.join(FEED_KINDS)}")
    return f"{FEEDS_DIR}/{kind}/{item_id}.xml"


def page_path(first_path: str, number: int) -> str:
    """The path of page number of a listing: the first page keeps the listing's own path."""
    if number == 1:
        return first_path
    base = first_path[: -len("/index.md")] if first_path.endswith("/index.md") else first_path[: -len(".md")]
    return f"{base}/page/{number}.md"


def earlier_pages(path: str) -> list[str]:
    """For page N of a listing (X/page/N.md), the paths of its pages N-1 down to 2, then its first page's two forms.

    A listing that shrinks loses its last pages; their readers are sent to the last one it still has.
    """
    match = re.fullmatch(r"(.+)/page/([0-9]+)\.md", path)
    if match is None:
        return []
    base, number = match.group(1), int(match.group(2))
    return [f"{base}/page/{n}.md" for n in range(number - 1, 1, -1)] + [f"{base}/index.md", f"{base}.md"]


def page_url(path: str, site_url: str = "") -> str:
    """The address a file of site_src/ is served at: a page at its folder (MkDocs' directory URLs)."""
    if path == HOME:
        rel = ""
    elif path.endswith("/index.md"):
        rel = path[: -len("index.md")]
    elif path.endswith(".md"):
        rel = path[: -len(".md")] + "/"
    else:
        rel = path
    return site_url + rel


def offline_zip_name(site_name: str, version: str) -> str:
    """The offline copy's file name without `.zip`: the site's name and the release version."""
    return "-".join(part for part in (slugify(site_name) or "site", version, "offline") if part)


def offline_download_url(site_name: str, repo_url: str, version: str) -> str:
    """Where the release vX.Y.Z of this version offers the offline zip; "" without a repository."""
    if not repo_url:
        return ""
    release = f"download/v{version}" if version else "latest/download"
    return f"{repo_url}/releases/{release}/{offline_zip_name(site_name, version)}.zip"


def page_stem(path: str) -> str:
    """A page's path without `.md`: the Browse script adds `/` or `.html` to suit the build."""
    return path[: -len(".md")] if path.endswith(".md") else path


def redirect_path(old: str) -> str:
    """The file that holds the redirect from an old page path."""
    return f"{page_url(old).rstrip('/')}/index.html"


def redirect_target(old: str, new: str) -> str:
    """The relative address from an old page's folder to a new page."""
    return url_path(new, old)


def url_path(target: str, here: str) -> str:
    """The relative address from the page at path here to the page at path target, as MkDocs writes a link's.

    For links written as HTML, which MkDocs passes through as they are, and for redirects.
    """
    address = relative_to_folder(page_url(target), page_url(here).rstrip("/"))
    return "./" if address == "." else address


def link_path(target: str, here: str) -> str:
    """The relative link from a page at path here to the file target."""
    return relative_to_folder(target, posixpath.dirname(here))


def relative_to_folder(target: str, folder: str) -> str:
    """posixpath.relpath(target, folder) for the site's own paths (relative, no "." or ".." parts).

    Computed from the two paths alone: relpath makes both absolute with the working directory
    first, and listings link 800,000 (page, article) pairs at 10,000 articles, too many to cache.
    """
    start, parts = folder.split("/") if folder else [], target.split("/")
    common = 0
    for here, there in zip(start, parts):
        if here != there:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:]) or "."


@dataclass(frozen=True)
class Claim:
    """A page path, and the record (file, line, field) that asks for it."""

    path: str
    source: str
    line: int
    field: str
    value: str
    hint: str  # what the record can change to get another path


def find_collisions(claims: list[Claim]) -> list[Problem]:
    """A problem for each claim on one of the site's own pages or on an address claimed before, naming both."""
    problems: list[Problem] = []
    first: dict[str, Claim] = {}
    for claim in claims:
        served = page_url(claim.path)  # MkDocs serves x.md and x/index.md at one address
        if claim.path in SITE_PAGES:
            taken = f"{SITE_PAGES[claim.path]}"
        elif served in first:
            other = first[served]
            taken = f"the page of {other.source}:{other.line} ({other.field} '{other.value}')"
        else:
            first[served] = claim
            continue
        problems.append(Problem(claim.source, claim.line, f"{claim.field}: '{claim.value}' would be published at "
                                                          f"{claim.path}, which is {taken}: {claim.hint}"))
    return problems
