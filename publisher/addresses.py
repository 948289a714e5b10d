"""What the pages, feeds and downloads take from mkdocs.yml: the site's name and public address."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .model import InputError, Problem

SITE_URL_EXAMPLE = "https://owner.github.io/news-corpus-archive/"


@dataclass(frozen=True)
class SiteSettings:
    """What the pages, feeds and downloads take from mkdocs.yml."""

    name: str
    url: str  # ends in '/'


def read_site_settings(config_file: Path) -> SiteSettings:
    """site_name and site_url from mkdocs.yml (the URL made to end in '/'); raise InputError."""
    path = config_file.name
    try:
        # compose, not load: mkdocs.yml may hold tags such as !ENV that only MkDocs constructs
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
    node = nodes.get("site_url")
    url = node.value.strip() if is_plain_text(node) else ""
    parts = urlsplit(url)
    if node is None:
        problems.append(Problem(path, 1, f"site_url: missing; citations, feeds and downloads need it: {expected}"))
    elif not is_plain_text(node):
        problems.append(Problem(path, node.start_mark.line + 1, f"site_url: is not plain text: {expected}"))
    elif (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment
            or any(c.isspace() or c in '<>"\\^`{|}%' for c in url)):
        problems.append(Problem(path, node.start_mark.line + 1, f"site_url: '{url}' is not usable: {expected}, without '?', '#' or '%'"))
    if problems:
        raise InputError(problems)
    return SiteSettings(name.value.strip(), url if url.endswith("/") else url + "/")


def is_plain_text(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and bool(node.value.strip())
