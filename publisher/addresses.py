"""Where the site's pages, feeds and downloads live, and their public addresses."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .model import InputError, Problem
from .slugs import slugify

SITE_URL_EXAMPLE = "https://owner.github.io/news-corpus-archive/"
# The defaults mkdocs.yml ships: fine for a local build, refused by `check --publishing`.
PLACEHOLDERS = {"site_url": SITE_URL_EXAMPLE, "repo_url": "https://github.com/example-org/news-corpus-archive"}
FEEDS_DIR = "feeds"
ALL_FEED = f"{FEEDS_DIR}/all.xml"
DATA_DIR = "data"
FEED_KINDS = ("outlets", "topics")
ENV_TAG = "!ENV"
STR_TAG = "tag:yaml.org,2002:str"


def feed_path(kind: str, item_id: str) -> str:
    """The feed of one outlet or topic, inside site_src/."""
    if kind not in FEED_KINDS:
        raise ValueError(f"no feeds of {kind!r}: expected one of {', '.join(FEED_KINDS)}")
    return f"{FEEDS_DIR}/{kind}/{item_id}.xml"


def page_url(site_url: str, page_path: str) -> str:
    """The public address of a Markdown page of site_src/ (MkDocs' directory URLs)."""
    if page_path == "index.md":
        rel = ""
    elif page_path.endswith("/index.md"):
        rel = page_path[: -len("index.md")]
    elif page_path.endswith(".md"):
        rel = page_path[: -len(".md")] + "/"
    else:
        rel = page_path
    return site_url + rel


@dataclass(frozen=True)
class SiteSettings:
    """What the pages, feeds and downloads take from mkdocs.yml."""

    name: str
    url: str  # ends in '/'
    repo_url: str = ""  # the repository, without a trailing '/'; "" when mkdocs.yml names none


def read_site_settings(config_file: Path, environ: Mapping[str, str] | None = None, publishing: bool = False) -> SiteSettings:
    """site_name, site_url and repo_url from mkdocs.yml (`!ENV` resolved as MkDocs does); raise InputError.

    publishing: also refuse an address still at its placeholder (PLACEHOLDERS).
    """
    path = config_file.name
    environ = os.environ if environ is None else environ
    try:
        # compose, not load: mkdocs.yml may hold tags that only MkDocs constructs; !ENV is resolved below
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError([Problem(path, mark.line + 1 if mark else 1, f"YAML syntax error: {error.problem or error.context}")]) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError([Problem(path, 0, f"cannot be read: {error}")]) from None
    expected = f"expected the site's public http(s) address, like '{SITE_URL_EXAMPLE}'"
    nodes = {key.value: value for key, value in root.value} if isinstance(root, yaml.MappingNode) else {}
    problems = []
    name = nodes.get("site_name")
    if not is_plain_text(name):
        line = name.start_mark.line + 1 if name is not None else 1
        problems.append(Problem(path, line, "site_name: expected the site's name as plain text, like 'News Corpus Archive'"))
    url = read_url(path, "site_url", nodes.get("site_url"), environ, expected, problems, required=True, publishing=publishing)
    repo_url = read_url(path, "repo_url", nodes.get("repo_url"), environ,
                        "expected the repository's http(s) address, like 'https://github.com/owner/news-corpus-archive'",
                        problems, publishing=publishing)
    if problems or name is None:
        raise InputError(problems)
    return SiteSettings(name.value.strip(), url if url.endswith("/") else url + "/", repo_url.rstrip("/"))


def read_url(path: str, key: str, node, environ: Mapping[str, str], expected: str, problems: list[Problem],
             required: bool = False, publishing: bool = False) -> str:
    """The http(s) address a key of mkdocs.yml holds, or "" after adding a problem (or when optional and absent)."""
    line = node.start_mark.line + 1 if node is not None else 1
    if node is not None and node.tag == ENV_TAG:
        node = resolve_env(node, environ)
        if node is None:
            problems.append(Problem(path, line, f"{key}: no environment variable that !ENV names is set, and it gives no default: {expected}"))
            return ""
    if node is None:
        if required:
            problems.append(Problem(path, 1, f"{key}: missing; citations, feeds and downloads need it: {expected}"))
        return ""
    if not is_plain_text(node):
        problems.append(Problem(path, line, f"{key}: is not plain text: {expected}"))
        return ""
    url = node.value.strip()
    parts = urlsplit(url)
    if (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment
            or any(c.isspace() or c in '<>"\\^`{|}%' for c in url)):
        problems.append(Problem(path, line, f"{key}: '{url}' is not usable: {expected}, without '?', '#' or '%'"))
        return ""
    if publishing and url.rstrip("/") == PLACEHOLDERS[key].rstrip("/"):
        variable = key.upper()
        problems.append(Problem(path, line, f"{key}: '{url}' is the placeholder: set {variable} in the environment "
                                            f"(mkdocs.yml reads it with !ENV) or write the real address here"))
        return ""
    return url


def resolve_env(node, environ: Mapping[str, str]) -> yaml.Node | None:
    """The value an `!ENV` node stands for, as MkDocs reads it: the first variable set, else the default.

    `!ENV NAME` names one variable; `!ENV [NAME, OTHER, default]` several, the last item being the
    default (pyyaml_env_tag's rules). A variable's value is a string, kept at the tag's line.
    """
    if isinstance(node, yaml.ScalarNode):
        names, default = [node], None
    elif isinstance(node, yaml.SequenceNode) and node.value:
        names, default = (node.value[:-1], node.value[-1]) if len(node.value) > 1 else (node.value, None)
    else:
        return node  # not a form !ENV accepts: reported as not plain text
    for name in names:
        if isinstance(name, yaml.ScalarNode) and name.value in environ:
            return yaml.ScalarNode(STR_TAG, environ[name.value], node.start_mark, node.end_mark)
    return default


def offline_zip_name(site_name: str) -> str:
    """The offline copy's file name without `.zip`, made from the site's name."""
    return f"{slugify(site_name) or 'site'}-offline"


def latest_download_url(settings: SiteSettings) -> str:
    """Where the latest GitHub Release offers the offline zip; "" without a repository."""
    if not settings.repo_url:
        return ""
    return f"{settings.repo_url}/releases/latest/download/{offline_zip_name(settings.name)}.zip"


def is_plain_text(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and bool(node.value.strip())
