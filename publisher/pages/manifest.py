"""Keep every published address working: a committed list of page paths, and redirects for the missing."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..build.write import is_safe_relative
from ..intake.slugs import SEED_ID, SEED_ID_PATTERN
from ..model import Problem
from ..settings import MANIFEST_FILE
from .kinds import gone_page_target
from .routes import article_path, earlier_pages, page_url, raw_path, redirect_path, redirect_target

MANIFEST_HEADER = """\
# Every page the site has published, as its path in site_src/ (articles/<slug>.md is served at
# articles/<slug>/), with the id of the article it showed. `python build.py` adds new pages; a path
# is never dropped: when its page is gone the build writes a redirect (to the article's new page, or
# else to the listing of its section). To send a path elsewhere by hand: `old/path.md -> new/path.md`.
# Raw texts (raw/*.txt) and feeds (feeds/**/*.xml) are kept too: a static host cannot redirect them,
# so a gone one serves the file it is sent to by hand (`old.xml -> new.xml`), or else a notice.
"""
_PAGE_PATH = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\.md$|^raw/" + SEED_ID
                        + r"\.txt$|^feeds/(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\.xml$")
# Published files other than pages that readers and feed readers keep addresses of.
KEPT_FILES = re.compile(r"^(?:raw/.*\.txt|feeds/(?:.*/)?(?!sitemap\.xml$)[^/]*\.xml)$")  # feeds, not their empty sitemaps


@dataclass(frozen=True)
class Entry:
    path: str
    line: int
    article_id: str | None = None
    target: str | None = None  # set by hand: where the path sends readers


def read_manifest(root: Path) -> tuple[dict[str, Entry], list[Problem]]:
    """The manifest's entries by path; a problem per line that is not one."""
    try:
        text = (root / MANIFEST_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except UnicodeDecodeError:
        return {}, [Problem(MANIFEST_FILE, 1, "not valid UTF-8: save the file as UTF-8")]
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        path, _, rest = line.partition(" ")
        rest = rest.strip()
        target = article_id = None
        if rest.startswith("->"):
            target = rest[2:].strip()
        elif rest:
            article_id = rest
        expected = "expected 'folder/name.md' (or raw/<id>.txt, feeds/<name>.xml), then an article id or '-> folder/other.md'"
        if not _PAGE_PATH.match(path) or not is_safe_relative(path):
            problems.append(Problem(MANIFEST_FILE, number, f"'{path}' is not a page path: {expected}"))
        elif target is not None and (not _PAGE_PATH.match(target) or not is_safe_relative(target)
                                     or posixpath.splitext(target)[1] != posixpath.splitext(path)[1]):
            problems.append(Problem(MANIFEST_FILE, number, f"{path}: redirect target '{target}' is not a page path of the same kind: {expected}"))
        elif article_id is not None and not SEED_ID_PATTERN.match(article_id):
            problems.append(Problem(MANIFEST_FILE, number, f"{path}: '{article_id}' is not an article id: {expected}"))
        elif path in entries:
            problems.append(Problem(MANIFEST_FILE, number, f"{path}: listed twice (first on line {entries[path].line})"))
        else:
            entries[path] = Entry(path, number, article_id, target)
    return entries, problems


def plan_redirects(entries: dict[str, Entry], pages: dict[str, str | None],
                   moves: dict[str, str] | None = None,
                   aliases: dict[str, str] | None = None) -> tuple[dict[str, str | None], list[Problem]]:
    """Where each published path that has no page now sends readers; a problem where nowhere fits.

    pages maps every page path of the new site to the id of the article it shows (None for listings).
    moves maps a vanished listing (a keyword merged into another) to the page that took it over.
    aliases: pages that redirect whether published or not (an alias's keyword page, to its keyword's).
    A gone raw text or feed maps to the file it is sent to by hand, or to None: it gets a notice.
    """
    moves = {**(moves or {}), **(aliases or {})}  # the maintainers' aliases win over a guess from merged keywords
    by_article = {article_id: path for path, article_id in pages.items() if article_id and path.endswith(".md")}
    redirects: dict[str, str | None] = {}
    problems = []
    for path, entry in sorted(entries.items()):
        if path in pages:
            continue
        if not path.endswith(".md"):
            if entry.target is not None and entry.target not in pages:
                problems.append(Problem(MANIFEST_FILE, entry.line, f"{path}: its redirect target '{entry.target}' is not a file of the site; "
                                                                   f"name one that is, or drop the '-> ...' to serve a notice there"))
            else:
                redirects[path] = entry.target
            continue
        section_index = posixpath.join(posixpath.dirname(path), "index.md")
        if entry.target is not None:
            target = entry.target if entry.target in pages else None
            why = f"its redirect target '{entry.target}' is not a page of the site"
        else:
            moved = moves.get(path) if moves.get(path) in pages else None
            earlier = next((page for page in earlier_pages(path) if page in pages), None)
            fallback = gone_page_target(path)
            target = by_article.get(entry.article_id or "") or moved or earlier or \
                (section_index if section_index in pages and section_index != path else None) or \
                (fallback if fallback in pages and fallback != path else None)
            why = "no page has its article and its folder has no index page"
        if target is None:
            problems.append(Problem(MANIFEST_FILE, entry.line,
                                    f"{path}: published at /{page_url(path)} but neither exists nor redirects: {why}; "
                                    f"restore the page or send it elsewhere with '{path} -> folder/page.md'"))
        else:
            redirects[path] = target
    for path, target in sorted((aliases or {}).items()):
        if path not in pages and path not in redirects and target in pages:
            redirects[path] = target
    return redirects, problems


def find_unrecorded(entries: dict[str, Entry], pages: dict[str, str | None]) -> list[str]:
    """Pages of the site the manifest does not list yet: the next build records them."""
    return sorted(pages.keys() - entries.keys())


def redirect_files(redirects: dict[str, str | None], env) -> dict[str, str]:
    """A small HTML page at each old page address that sends the reader to the new one."""
    files = {}
    template = env.get_template("redirect.html.j2")
    for old, new in sorted(redirects.items()):
        if new is None or not old.endswith(".md"):
            continue
        files[redirect_path(old)] = template.render(target=redirect_target(old, new))
    return files


def render_manifest(entries: dict[str, Entry], pages: dict[str, str | None]) -> str:
    """The manifest after a build: every path it had, every page the site has, sorted."""
    lines = []
    for path in sorted(entries.keys() | pages.keys()):
        if path in pages:
            owner = pages[path]
        elif (entry := entries[path]).target is not None:
            lines.append(f"{path} -> {entry.target}")
            continue
        else:
            owner = entry.article_id
        lines.append(f"{path} {owner}" if owner else path)
    return MANIFEST_HEADER + "\n".join(lines) + "\n"


def index_pages(corpus, files) -> dict[str, str | None]:
    """Every page path of a rendered site, with the id of the article it shows (None for listings)."""
    owners = {article_path(a): a.id for a in corpus.articles}
    owners.update({raw_path(a): a.id for a in corpus.articles})
    return {path: owners.get(path) for path in sorted(files) if path.endswith(".md") or KEPT_FILES.match(path)}
