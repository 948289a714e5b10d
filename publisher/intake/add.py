"""Add a new text to the archive: copy it into seeds/, write its metadata with what the text tells."""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..build.lock import hold_build_lock
from ..build.memo import NONBLOCK
from ..build.write import defer_interrupts, make_work_dir, remove_quietly
from ..model import InputError, Problem
from ..pipeline import report_slow_markers
from ..settings import WORK_DIR, find_linked_paths
from .clean import classify_blocks
from .fields import FieldError, check_date, check_text, check_url, did_you_mean, quote_value
from .infer import Inference, infer_fields
from .load import MAX_FILE_BYTES, METADATA_DIR, OUTLETS_FILE, SEEDS_DIR, TOPICS_FILE, decode_seed, load_project
from .slugs import slugify
from .text import MarkerTimeout, merge_rules, normalise, split_blocks
from .validate import validate_outlets, validate_rules, validate_topics

SEQUENCE = re.compile(r"^(\d+)_")
HASH_DIGITS = 16


@dataclass(frozen=True)
class Given:
    """What the maintainer said on the command line; None or () where they said nothing."""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    topics: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Added:
    """What add_article wrote and how it got each value."""

    id: str
    seed_path: str
    metadata_path: str
    metadata: str
    inferred: tuple[tuple[str, str, str], ...] = ()  # (field, value, how it was found)
    left: tuple[tuple[str, str], ...] = ()  # (field, what to write)
    slug: str | None = None


def next_seed_id(existing_ids, data: bytes) -> str:
    """The next sequence number, then the first 16 hex digits of the text's SHA-256."""
    numbers = [int(m.group(1)) for m in (SEQUENCE.match(i) for i in existing_ids) if m]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{hashlib.sha256(data).hexdigest()[:HASH_DIGITS]}"


def reading_signature(text: str, title: str, authors, rules) -> str:
    """The article's words without white space differences or page furniture: its identity."""
    blocks = classify_blocks(split_blocks(text), title or "", tuple(authors or ()), rules)
    return normalise(" ".join(" ".join(b.lines) for b in blocks if b.kind != "furniture"))


def find_duplicate(project, data: bytes, text: str, title: str, authors, rules) -> tuple[str, str] | None:
    """The id of a seed that holds this text already, and how it matched."""
    digest = hashlib.sha256(data).hexdigest()
    docs = {doc.path.rsplit("/", 1)[1].rsplit(".", 1)[0]: doc for doc in project.metadata}
    signature = reading_signature(text, title, authors, rules)
    flat = normalise(text)
    for seed in project.seeds:
        if seed.sha256 == digest:
            return seed.id, f"the same bytes as {seed.path}"
        if seed.text and normalise(seed.text) == flat:
            return seed.id, f"the same text as {seed.path}, but for white space"
        meta = docs.get(seed.id)
        value = meta.value if meta is not None and isinstance(meta.value, dict) else {}
        recorded = value.get("title")
        old_title = recorded if isinstance(recorded, str) else ""
        old_authors = [a for a in value.get("authors") or [] if isinstance(a, str)] if isinstance(value.get("authors"), list) else []
        if not (seed.text and signature):
            continue
        try:
            old_signature = reading_signature(seed.text, old_title, old_authors, rules)
        except MarkerTimeout as error:
            error.source = seed.path  # the archive's seed, not the new file, holds the line
            raise
        # the new text read with its own inferred title, and with the reviewed title of the old one
        if old_signature in (signature, reading_signature(text, old_title, old_authors, rules)):
            return seed.id, f"the same article as {seed.path} once white space and page furniture are set aside"
    return None


def check_given(given: Given, outlets: dict, topic_ids: set, today: datetime.date) -> list[Problem]:
    """Check the command-line values as check would check them in the metadata file."""
    problems = []

    def fail(option: str, message: str):
        problems.append(Problem(option, 0, message))

    if given.outlet is not None and given.outlet not in outlets:
        fail("--outlet", f"{quote_value(given.outlet)} is not in {OUTLETS_FILE}{did_you_mean(given.outlet, outlets) or '; allowed: ' + ', '.join(sorted(outlets))}")
    for topic in given.topics:
        if topic not in topic_ids:
            fail("--topic", f"{quote_value(topic)} is not in {TOPICS_FILE}{did_you_mean(topic, topic_ids) or '; allowed: ' + ', '.join(sorted(topic_ids))}")
    checks: list[tuple[str, Any, str | None]] = [("--title", check_text, given.title), ("--date", check_date, given.date), ("--url", check_url, given.url)]
    checks += [("--author", check_text, author) for author in given.authors]
    for option, checker, value in checks:
        if value is None:
            continue
        try:
            result = checker(value)
        except FieldError as error:
            fail(option, str(error))
            continue
        if option == "--date" and result.iso > today.isoformat()[: len(result.iso)]:
            fail(option, f"'{result.iso}' is in the future (today is {today.isoformat()})")
    return problems


def _scalar(value) -> str:
    """A value as YAML writes it on one line, quoted where YAML needs quotes."""
    return yaml.safe_dump({"v": value}, allow_unicode=True, width=1_000_000, default_flow_style=False)[3:].rstrip("\n")


def _comment(text: str) -> str:
    return "# " + " ".join(text.split())


def compose_metadata(values: dict, inferred: dict, hints: dict) -> str:
    """The metadata file: given values plain, inferred ones under a comment, missing ones empty with a hint."""
    out = []
    for name in ("title", "outlet", "date", "topics", "authors", "source_url", "slug"):
        value = values.get(name)
        if name == "slug" and value:
            out.append(_comment("Made from the title: the page's address. Once published it is kept; a new slug gets a redirect."))
        elif name in inferred:
            out.append(_comment(f"Inferred from the text ({inferred[name]}): check it, then delete this comment."))
        if value is None or value == ():
            if name in hints:
                out.append(_comment(hints[name]))
                out.append(f"{name}:" if name in ("title", "outlet", "date", "topics") else f"# {name}:")
            continue
        if isinstance(value, tuple):
            out.append(f"{name}:")
            out.extend(f"  - {_scalar(item)}" for item in value)
        else:
            # a date stays unquoted, as people write it; the loader keeps it as text
            out.append(f"{name}: {value if name == 'date' else _scalar(value)}")
    return "\n".join(out) + "\n"


def refuse_unless_regular(mode: int, name: str) -> None:
    """Raise InputError unless mode is a regular file's."""
    if stat.S_ISDIR(mode):
        raise InputError([Problem(name, 0, "is a folder: give the path of one text file")])
    if not stat.S_ISREG(mode):
        raise InputError([Problem(name, 0, "is not a regular file (a device, pipe or socket): give the path of one text file")])


def read_text_file(source: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; raise InputError for anything else."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; its type is refused just below.
        # Where os lacks the flag (Windows), the type is checked before opening instead.
        if not NONBLOCK:
            refuse_unless_regular(os.stat(source).st_mode, name)
        fd = os.open(source, os.O_RDONLY | NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError([Problem(name, 0, "no such file: give the path of the text to add")]) from None
    except OSError as error:
        raise InputError([Problem(name, 0, f"cannot be read ({error.strerror}): give the path of one text file")]) from None
    try:
        status = os.fstat(fd)
        refuse_unless_regular(status.st_mode, name)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # a file that grows while read is still cut off here
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise InputError([Problem(name, 0, f"is {max(status.st_size, len(data)):,} bytes: expected at most {MAX_FILE_BYTES:,} bytes for a seed (one article's text)")])
    return data


def write_both(root: Path, files: dict[str, bytes]) -> None:
    """Write new files as one step as far as a crash allows: all or none, never over an existing file.

    Each is written in full to the work folder first (a full disk stops it there), then linked into
    place, which fails rather than replace a file. Only a crash between two links leaves part: the
    seed comes first, and `add` of the same text again completes it (see find_unfinished).
    """
    work = make_work_dir(root, "add-")
    placed: list[Path] = []
    try:
        temps = {}
        for rel, data in files.items():
            temps[rel] = work / rel.replace("/", "-")
            temps[rel].write_bytes(data)
        with defer_interrupts():
            for rel, temp in temps.items():
                os.link(temp, root / rel)
                placed.append(root / rel)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        remove_quietly(work)


def find_unfinished(project, data: bytes) -> str | None:
    """The id of a seed with these bytes but no metadata: what an `add` killed half-way left."""
    documented = {doc.path.rsplit("/", 1)[1].rsplit(".", 1)[0] for doc in project.metadata}
    digest = hashlib.sha256(data).hexdigest()
    return next((seed.id for seed in project.seeds if seed.sha256 == digest and seed.id not in documented), None)


def add_article(root: Path, source: Path, given: Given, today: datetime.date, display: str | None = None) -> Added:
    """Copy source into seeds/ and write its metadata; raise InputError and write nothing on refusal."""
    name = display or str(source)
    data = read_text_file(source, name)
    text, problems = decode_seed(data, name)
    if problems:
        raise InputError([Problem(p.path, p.line, p.message.replace("a seed holds the article's text", "nothing to add")) for p in problems])
    links = find_linked_paths(root)
    if links:  # add writes into seeds/ and metadata/: never through a link
        raise InputError(links)
    project = load_project(root)
    unfinished = find_unfinished(project, data)
    if unfinished:
        # the interrupted add's seed is set aside, so it is neither a duplicate nor a second copy
        project = dataclasses.replace(project, seeds=tuple(s for s in project.seeds if s.id != unfinished))
    ignored: list[Problem] = []
    outlets = {o.id: o for o in validate_outlets(project.outlets, ignored)}
    topic_ids = {t.id for t in validate_topics(project.topics, ignored)}
    general = validate_rules(project.furniture, ignored)
    problems = check_given(given, outlets, topic_ids, today)
    if problems:
        raise InputError(problems)

    with report_slow_markers(root, name):
        found = infer_fields(text, tuple(outlets.values()), general, today, url=given.url, outlet_id=given.outlet)
        title = given.title or (str(found.title.value) if found.title else "")
        authors = given.authors or (found.authors.value if found.authors else ())
        duplicate = find_duplicate(project, data, text, title, authors, merge_rules(general, outlets.values()))
    if duplicate:
        seed_id, how = duplicate
        raise InputError([Problem(name, 0, f"already in the archive as {seed_id}: {how}; nothing was added")])

    values: dict = {"topics": tuple(given.topics), "source_url": given.url}
    inferred: dict[str, Inference] = {}
    for key, given_value, inference in (("title", given.title, found.title), ("outlet", given.outlet, found.outlet),
                                        ("date", given.date, found.date), ("authors", given.authors or None, found.authors)):
        if given_value:
            values[key] = check_date(given_value).iso if key == "date" else given_value
        elif inference is not None:
            values[key] = inference.value
            inferred[key] = inference
    seed_id = unfinished or next_seed_id([s.id for s in project.seeds] + [d.path.rsplit("/", 1)[1] for d in project.metadata], data)
    slug = None
    if values.get("title"):
        taken = set()
        for doc in project.metadata:
            if isinstance(doc.value, dict):
                taken.add(doc.value.get("slug") or slugify(str(doc.value.get("title") or "")))
        base = slugify(values["title"]) or seed_id.lower().replace("_", "-")
        slug = base
        for number in range(2, 1000):
            if slug not in taken:
                break
            slug = f"{base}-{number}"
        values["slug"] = slug
    hints = {
        "title": "Not found in the text: write the headline as printed.",
        "outlet": f"Not found in the text: one of the ids in {OUTLETS_FILE} ({', '.join(sorted(outlets))}), or add the outlet there first.",
        "date": "Not found in the text: YYYY-MM-DD, or YYYY-MM or YYYY when the text supports no more; say in a comment how you dated it.",
        "topics": f"Choose one or more ids from {TOPICS_FILE}: {', '.join(sorted(topic_ids))}.",
        "authors": "Not found in the text: list the authors if the page names them.",
        "source_url": "Where the text was found, if known.",
    }
    reasons = {key: inference.reason for key, inference in inferred.items()}
    metadata = compose_metadata(values, reasons, hints)
    left = tuple((key, hints[key]) for key in ("title", "outlet", "date", "topics") if not values.get(key))

    seed_path = f"{SEEDS_DIR}/{seed_id}.txt"
    metadata_path = f"{METADATA_DIR}/{seed_id}.yml"
    with hold_build_lock(root / WORK_DIR):  # a build starting now would empty the work folder
        write_both(root, {metadata_path: metadata.encode("utf-8")} if unfinished else {seed_path: data, metadata_path: metadata.encode("utf-8")})
    shown = tuple((key, ", ".join(value) if isinstance(value, tuple) else str(value), inferred[key].reason)
                  for key, value in values.items() if key in inferred)
    return Added(seed_id, seed_path, metadata_path, metadata, shown, left, slug)
