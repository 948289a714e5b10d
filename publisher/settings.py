"""One settings object, read once from mkdocs.yml (and CITATION.cff): the site's name and address, its folders and its limits."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .citation import Citation, read_citation
from .intake.fields import is_http_url
from .model import InputError, Problem

CONFIG = "mkdocs.yml"
SEEDS_DIR = "seeds"
METADATA_DIR = "metadata"
SITE_SRC = "site_src"
SITE = "site"
WORK_DIR = ".build"  # beside site_src/ and site/, so renames stay on one file system
LOCK_FILE = "lock"  # in WORK_DIR: the build lock's file, which clearing the work folder keeps
CACHE_DIR = ".cache"  # untracked (.gitignore); safe to delete at any time
KEYWORD_CACHE = f"{CACHE_DIR}/keywords.sqlite"
KEYWORD_MEMO = f"{CACHE_DIR}/keywords.memo.json"  # the last keyword stage, so a rebuild redoes only what an edit touches
CLEAN_MEMO = f"{CACHE_DIR}/clean.memo.json"  # how the last build classified each article's blocks
SITE_SRC_RECORD = f"{CACHE_DIR}/site_src.key"  # which build made site_src/, so a rebuild with no change reuses it
PAGE_KEYS = f"{CACHE_DIR}/site_src.pages.json"  # what each page of site_src/ was made of, so a rebuild renders only changed ones
RELATED_MEMO = f"{CACHE_DIR}/site_src.related.json"  # each article's related coverage, so a rebuild ranks only what may have moved
INPUT_RECORD = f"{CACHE_DIR}/inputs.json"  # each input file's size and times at the last build: a build with none changed reads none
SITE_RECORD = f"{CACHE_DIR}/site.key"  # which build made site/, so a rebuild with no change at all keeps it
PAGEFIND_CACHE = f"{CACHE_DIR}/pagefind"
SITE_SPARE = f"{CACHE_DIR}/site.spare"  # the site before the last one: the next incremental build brings it up to date
SEARCH_PAGES = f"{CACHE_DIR}/search-pages"  # the article pages cut to what Pagefind reads, so a rebuild cuts only changed ones
DIST = "dist"
MANIFEST_FILE = "published-pages.txt"
# Where the build reads, writes or keeps its state. A link at any of them (or inside the two
# folders that are the build's alone) could make it read or write any file of the machine.
WORKING_PATHS = (SEEDS_DIR, METADATA_DIR, SITE_SRC, SITE, WORK_DIR, CACHE_DIR, DIST, MANIFEST_FILE)
OWN_FOLDERS = (WORK_DIR, CACHE_DIR)
SITE_URL_EXAMPLE = "https://owner.github.io/news-corpus-archive/"
# The defaults mkdocs.yml ships: fine for a local build, refused by `check --publishing`.
PLACEHOLDERS = {"site_url": SITE_URL_EXAMPLE, "repo_url": "https://github.com/example-org/news-corpus-archive"}
ENV_TAG = "!ENV"
STR_TAG = "tag:yaml.org,2002:str"
LIMITS_SECTION = "archive"  # under `extra:` in mkdocs.yml; every key optional


@dataclass(frozen=True)
class Limits:
    """How long lists grow; mkdocs.yml may change each under `extra: archive:`."""

    page_size: int = 200  # articles per listing page, so no page grows with the corpus
    feed_limit: int = 50  # entries per feed; readers poll for what is new, the listings hold the rest
    related_limit: int = 5  # related articles under each article
    latest_limit: int = 10  # newest articles on the home page
    search_shard_size: int | None = None  # articles per shard of the search index, which an edit makes again; None: by the archive's size (search/index.py)


@dataclass(frozen=True)
class Settings:
    """Where the project's folders are, what the site is called and where it lives, and its limits."""

    root: Path
    name: str = "News Corpus Archive"
    url: str = ""  # ends in '/'
    limits: Limits = Limits()
    repo_url: str = ""  # the repository, without a trailing '/'; "" when mkdocs.yml names none
    citation: Citation | None = None  # CITATION.cff's; read_settings always reads it
    # mkdocs.yml's and CITATION.cff's bytes as read, for the code key and MkDocs: a run reads each once
    config_bytes: bytes = dataclasses.field(default=b"", repr=False, compare=False)
    citation_bytes: bytes = dataclasses.field(default=b"", repr=False, compare=False)

    @property
    def version(self) -> str:
        """The archive's release version (CITATION.cff's, which equals pyproject.toml's); "" if unknown."""
        return self.citation.version if self.citation else ""

    def path(self, rel: str) -> Path:
        """A path of the project, given relative to its root (one of the names above)."""
        return self.root / rel

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG


def find_linked_paths(root: Path) -> list[Problem]:
    """A problem for each symbolic link at the build's working paths or inside its own folders."""
    paths = [root / rel for rel in WORKING_PATHS]
    for rel in OWN_FOLDERS:
        folder = root / rel
        if folder.is_dir() and not folder.is_symlink():
            paths += sorted(folder.iterdir())
    return [Problem(path.relative_to(root).as_posix(), 0,
                    "is a symbolic link: the build never follows one at its own paths, as it could read or write any "
                    "file of the machine; remove the link (and commit no link there)")
            for path in paths if path.is_symlink()]


def read_settings(root: Path, environ: Mapping[str, str] | None = None, publishing: bool = False) -> Settings:
    """The project's settings from root/mkdocs.yml and root/CITATION.cff; raise InputError naming each bad line."""
    problems = []
    try:
        settings = read_site_settings(root / CONFIG, environ, publishing)
    except InputError as error:
        problems, settings = list(error.problems), Settings(root)
    try:
        citation = read_citation(root)
    except InputError as error:
        raise InputError(problems + list(error.problems)) from None
    if problems:
        raise InputError(problems)
    return dataclasses.replace(settings, citation=citation, citation_bytes=citation.source)


def read_site_settings(config_file: Path, environ: Mapping[str, str] | None = None, publishing: bool = False) -> Settings:
    """Settings from a mkdocs.yml (`!ENV` resolved as MkDocs does, site_url made to end in '/'); raise InputError.

    publishing: also refuse an address still at its placeholder (PLACEHOLDERS).
    """
    path = config_file.name
    environ = os.environ if environ is None else environ
    try:
        # compose, not load: mkdocs.yml may hold tags that only MkDocs constructs; !ENV is resolved below
        data = config_file.read_bytes()
        root = yaml.compose(data.decode("utf-8"), Loader=yaml.SafeLoader)
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
    limits = read_limits(nodes.get("extra"), path, problems)
    if problems or name is None:
        raise InputError(problems)
    return Settings(config_file.parent, name.value.strip(), url if url.endswith("/") else url + "/", limits, repo_url.rstrip("/"),
                    config_bytes=data)


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
    if not is_http_url(url) or parts.query or parts.fragment or "%" in url:
        problems.append(Problem(path, line, f"{key}: '{url}' is not usable: {expected}, without '?', '#' or '%'"))
        return ""
    if publishing and url.rstrip("/") == PLACEHOLDERS[key].rstrip("/"):
        problems.append(Problem(path, line, f"{key}: '{url}' is the placeholder: set {key.upper()} in the environment "
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


def read_mkdocs_config(config_file: Path) -> dict:
    """The whole configuration as MkDocs reads it (inherited files merged, !ENV resolved), not yet validated."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, "rb") as handle:
        return yaml_load(handle)


def read_limits(extra, path: str, problems: list[Problem]) -> Limits:
    """The limits given under `extra: archive:`, the defaults for the rest."""
    section = {key.value: value for key, value in extra.value}.get(LIMITS_SECTION) if isinstance(extra, yaml.MappingNode) else None
    if not isinstance(section, yaml.MappingNode):
        return Limits()
    names = {field.name for field in dataclasses.fields(Limits)}
    given = {}
    for key, value in section.value:
        line = key.start_mark.line + 1
        if key.value not in names:
            problems.append(Problem(path, line, f"extra.{LIMITS_SECTION}.{key.value}: unknown setting; expected one of {', '.join(sorted(names))}"))
        elif not (isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:int" and value.value.isdigit() and int(value.value) > 0):
            problems.append(Problem(path, line, f"extra.{LIMITS_SECTION}.{key.value}: expected a whole number above 0"))
        else:
            given[key.value] = int(value.value)
    return Limits(**given)


def is_plain_text(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == STR_TAG and bool(node.value.strip())
