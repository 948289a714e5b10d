"""Read seeds/ and metadata/ into records that remember their file and line."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from ..model import Problem
from ..settings import METADATA_DIR, SEEDS_DIR

OUTLETS_FILE = f"{METADATA_DIR}/outlets.yml"
TOPICS_FILE = f"{METADATA_DIR}/topics.yml"
FURNITURE_FILE = f"{METADATA_DIR}/furniture.yml"
KEYWORDS_FILE = f"{METADATA_DIR}/keywords.yml"
REGISTRY_FILES = (OUTLETS_FILE, TOPICS_FILE, FURNITURE_FILE, KEYWORDS_FILE)
# Limits far above any real article (the corpus's largest seed is 11 KB, its longest line 947
# characters) that stop a stray dump, a minified page or a binary from reaching the build.
MAX_FILE_BYTES = 1_000_000
MAX_LINE_CHARS = 20_000
# Control characters other than tab and line ends: Python-Markdown deletes STX and ETX (its own
# placeholders) and a browser shows none of them, so the page could not show the words as they are.
# Metadata is three levels deep at most; composing nests a Python call per level, and deep enough
# nesting ends in a RecursionError (3,000 levels) or a crash of the interpreter (100,000 levels).
MAX_YAML_DEPTH = 50
_BLOCK_INDENT = re.compile(r"^[ \t?:-]*", re.MULTILINE)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")

# Plain YAML only: no Python objects, no binary, no sets.
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file and the line of every key and list item in it."""

    path: str
    value: Any
    lines: dict = field(default_factory=dict)
    parsed: bool = True  # False when the file could not be read or parsed

    def line_of(self, *keys) -> int:
        """The line of the innermost key given that the file has, else its first line."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return 1


@dataclass(frozen=True)
class Seed:
    id: str
    path: str
    data: bytes
    text: str  # decoded, BOM dropped, line ends normalised to \n
    sha256: str


@dataclass(frozen=True)
class Project:
    """Everything read from disk, before validation."""

    seeds: tuple[Seed, ...]
    metadata: tuple[YamlDoc, ...]
    outlets: YamlDoc | None
    topics: YamlDoc | None
    furniture: YamlDoc | None
    problems: tuple[Problem, ...]
    keywords: YamlDoc | None = None


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


# The live preview reads all 10,000 metadata files on every rebuild and one of them has changed.
# A file parsed once is not parsed again (its YamlDoc is shared: nothing changes one).
@functools.lru_cache(maxsize=1 << 15)
def parse_yaml(text: str, path: str) -> YamlDoc:
    """Parse one YAML document with the safe loader, keeping line numbers; raise YamlProblem."""
    try:
        check_depth(text)
        root = compose_fast(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, f"YAML syntax error: {error.problem or error.context}") from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise YamlProblem(line, f"contains the control character U+{error.character:04X}: a YAML file must be plain text") from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"YAML error: {error}") from None
    lines: dict = {}
    value = _to_python(root, (), lines, set()) if root is not None else None
    return YamlDoc(path, value, lines)


def check_depth(text: str) -> None:
    """Raise YamlProblem at the first collection nested deeper than MAX_YAML_DEPTH, before composing."""
    # Cheap bound first: a level needs a bracket, a brace, or more indent and indicators on its line.
    bound = text.count("[") + text.count("{") + max((len(m) for m in _BLOCK_INDENT.findall(text)), default=0)
    if bound <= MAX_YAML_DEPTH:
        return
    depth = 0
    # Events come one at a time without recursion; a syntax error is left for compose to report.
    with contextlib.suppress(yaml.YAMLError):
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise YamlProblem(event.start_mark.line + 1 if event.start_mark else 1, f"nested more than {MAX_YAML_DEPTH} levels deep: metadata needs a few levels at most")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1


def compose_fast(text: str):
    """Compose with libyaml when it is there (about 20 times faster at 10,000 files).

    On any error, compose again with the pure-Python loader, whose messages the tests pin down.
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.compose(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _to_python(node, keys: tuple, lines: dict, seen: set):
    line = node.start_mark.line + 1
    if id(node) in seen:
        # compose() hands back the anchored node again for every alias
        raise YamlProblem(line, "YAML anchors and aliases (& and *) are not allowed")
    seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        raise YamlProblem(line, f"YAML tag '{node.tag}' is not allowed: use plain values")
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = _to_python(key_node, keys, lines, seen)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise YamlProblem(key_line, f"key {key!r} must be text")
            if key in result:
                raise YamlProblem(key_line, f"{key}: appears twice in the same mapping")
            lines[keys + (key,)] = key_line
            result[key] = _to_python(value_node, keys + (key,), lines, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[keys + (index,)] = item.start_mark.line + 1
            items.append(_to_python(item, keys + (index,), lines, seen))
        return items
    if node.tag.endswith(":timestamp"):
        return node.value  # dates stay text: validation reads the precision from it
    try:
        return SafeConstructor().construct_object(node)
    except ConstructorError as error:
        raise YamlProblem(line, f"YAML value error: {error.problem}") from None


def decode_seed(data: bytes, path: str) -> tuple[str, list[Problem]]:
    """Decode a seed as UTF-8 (a BOM is dropped, CRLF and CR become LF); list what is wrong."""
    if not data.strip():
        return "", [Problem(path, 0, "the file is empty: a seed holds the article's text")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return "", [Problem(path, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}): save the file as UTF-8")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return "", [Problem(path, line, "contains a NUL byte: a seed must be plain text")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL.search(text)
    if control:
        line = text[: control.start()].count("\n") + 1
        return "", [Problem(path, line, f"contains the control character U+{ord(control.group()):04X}: a seed must be plain text (tabs and line ends are the only control characters allowed)")]
    for number, text_line in enumerate(text.split("\n"), 1):
        if len(text_line) > MAX_LINE_CHARS:
            return "", [Problem(path, number, f"line is {len(text_line):,} characters long: expected at most {MAX_LINE_CHARS:,}; paragraphs are separated by blank lines")]
    return text, []


def is_plain_file(path: Path) -> bool:
    """A regular file, not a link: a link could publish any file of the machine that builds."""
    return path.is_file() and not path.is_symlink()


def read_input(root: Path, rel: str, what: str) -> tuple[bytes | None, list[Problem]]:
    """Read one input file's bytes, refusing one too large to be what it claims to be."""
    path = root / rel
    if not is_plain_file(path) and path.exists():
        return None, [Problem(rel, 0, "is not a plain file (a symbolic link or a folder): seeds and metadata must be plain files in the repository")]
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [Problem(rel, 0, f"is {size:,} bytes: expected at most {MAX_FILE_BYTES:,} bytes for {what}")]
    return path.read_bytes(), []


def read_yaml_file(root: Path, rel: str) -> tuple[YamlDoc | None, list[Problem]]:
    """Read and parse one YAML file; a problem instead of a traceback for every mistake."""
    try:
        data, problems = read_input(root, rel, "a YAML file")
    except FileNotFoundError:
        return None, [Problem(rel, 0, "file is missing")]
    if data is None:
        return None, problems
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(rel, line, "not valid UTF-8: save the file as UTF-8")]
    try:
        return parse_yaml(text, rel), []
    except YamlProblem as problem:
        return None, [Problem(rel, problem.line, problem.message)]


def load_project(root: Path) -> Project:
    """Read every seed, metadata file and registry under root."""
    problems: list[Problem] = []
    seeds = []
    by_folded_id: dict[str, str] = {}
    for path in sorted((root / SEEDS_DIR).glob("*.txt")):
        rel = f"{SEEDS_DIR}/{path.name}"
        if not is_plain_file(path):
            problems.append(Problem(rel, 0, "is not a plain file (a symbolic link or a folder): seeds and metadata must be plain files in the repository"))
            continue
        first = by_folded_id.setdefault(path.stem.casefold(), rel)
        if first != rel:
            problems.append(Problem(rel, 0, f"id '{path.stem}' differs from {first} only in case: give it an id of its own (file systems that ignore case would mix them up)"))
        data, seed_problems = read_input(root, rel, "a seed (one article's text)")
        if data is None:
            problems += seed_problems
            seeds.append(Seed(path.stem, rel, b"", "", ""))
            continue
        text, seed_problems = decode_seed(data, rel)
        problems += seed_problems
        seeds.append(Seed(path.stem, rel, data, text, hashlib.sha256(data).hexdigest()))
    docs = []
    registries = set(REGISTRY_FILES)
    by_stem: dict[str, str] = {}
    for path in sorted((root / METADATA_DIR).glob("*.y*ml")):
        rel = f"{METADATA_DIR}/{path.name}"
        if rel in registries:
            continue
        if not is_plain_file(path):
            problems.append(Problem(rel, 0, "is not a plain file (a symbolic link or a folder): seeds and metadata must be plain files in the repository"))
            continue
        first = by_stem.setdefault(path.stem, rel)
        if first != rel:
            problems.append(Problem(rel, 0, f"is a second metadata file for '{path.stem}' after {first}: keep one"))
            continue
        doc, doc_problems = read_yaml_file(root, rel)
        problems += doc_problems
        docs.append(doc or YamlDoc(rel, None, parsed=False))
    outlets, found = read_yaml_file(root, OUTLETS_FILE)
    problems += found
    topics, found = read_yaml_file(root, TOPICS_FILE)
    problems += found
    furniture = None
    if (root / FURNITURE_FILE).exists():
        furniture, found = read_yaml_file(root, FURNITURE_FILE)
        problems += found
    keywords = None
    if (root / KEYWORDS_FILE).exists() or (root / KEYWORDS_FILE).is_symlink():
        keywords, found = read_yaml_file(root, KEYWORDS_FILE)
        problems += found
    return Project(tuple(seeds), tuple(docs), outlets, topics, furniture, tuple(problems), keywords)
