"""The corpus as data: corpus.json with its JSON Schema, corpus.csv, and the page about them."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from ..model import Article, Corpus
from ..settings import Settings
from .markup import TEMPLATES_DIR, make_environment
from .routes import (ALL_FEED, DATA_CSV, DATA_JSON, DATA_PAGE, DATA_SCHEMA, article_path, feed_path, offline_download_url, outlet_path,
                     page_url, raw_path, topic_path)

JSON_PATH = DATA_JSON
CSV_PATH = DATA_CSV
SCHEMA_PATH = DATA_SCHEMA
ABOUT_PATH = DATA_PAGE
SCHEMA_TEMPLATE = TEMPLATES_DIR / "corpus.schema.json"
LIST_SEPARATOR = "; "  # between the items of a list in one CSV cell
CSV_COLUMNS = ("id", "slug", "url", "title", "outlet", "outlet_name", "original_publisher", "authors", "date",
               "date_precision", "topics", "keywords", "summary", "language", "source_url", "archive_url",
               "collected", "sha256", "raw_text_url")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP's "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PIECE_ARTICLES = 500  # CSV rows made at a time


def describe_article(article: Article, corpus: Corpus, site_url: str) -> dict:
    """One article as a corpus.json record; the keys and their order follow the schema."""
    outlet = next(o for o in corpus.outlets if o.id == article.outlet)
    return {
        "id": article.id,
        "slug": article.slug,
        "url": page_url(article_path(article), site_url),
        "title": article.title,
        "outlet": article.outlet,
        "outlet_name": outlet.name,
        "original_publisher": article.original_publisher,
        "authors": list(article.authors),
        "date": article.date.iso,
        "date_precision": article.date.precision,
        "topics": list(article.topics),
        "keywords": [k.label for k in article.keywords],
        "summary": article.summary,
        "language": article.text_language(outlet),
        "source_url": article.source_url,
        "archive_url": article.archive_url,
        "collected": article.collected.iso if article.collected else None,
        "sha256": article.sha256,
        "raw_text_url": page_url(raw_path(article), site_url),
        "text": article.clean_text,
    }


def describe_corpus(corpus: Corpus, site_url: str, site_name: str) -> dict:
    """The whole of corpus.json as a value; its articles are made one by one as they are read (an iterator)."""
    return {
        "$schema": page_url(SCHEMA_PATH, site_url),
        "title": site_name,
        "site_url": site_url,
        "article_count": len(corpus.articles),
        "outlets": [{"id": o.id, "name": o.name, "country": o.country, "language": o.language,
                     "description": o.description, "homepage": o.homepage,
                     "url": page_url(outlet_path(o.id), site_url), "feed": page_url(feed_path("outlets", o.id), site_url)}
                    for o in corpus.outlets],
        "topics": [{"id": t.id, "title": t.title, "description": t.description,
                    "url": page_url(topic_path(t.id), site_url), "feed": page_url(feed_path("topics", t.id), site_url)}
                   for t in corpus.topics],
        "articles": (describe_article(a, corpus, site_url) for a in corpus.articles),
    }


def load_schema(site_url: str) -> dict:
    """The JSON Schema of corpus.json, with its public address as $id."""
    schema = json.loads(SCHEMA_TEMPLATE.read_text(encoding="utf-8"))
    return {"$schema": schema["$schema"], "$id": page_url(SCHEMA_PATH, site_url),
            **{k: v for k, v in schema.items() if k not in ("$schema", "$id")}}


def describe_type(spec: dict) -> str:
    """A field's type in words, for the About the data page."""
    if "enum" in spec:
        return "one of " + ", ".join(spec["enum"])
    if "anyOf" in spec:
        return " or ".join(describe_type(option) for option in spec["anyOf"])
    if "$ref" in spec:
        return {"#/$defs/url": "URL", "#/$defs/id": "id", "#/$defs/partial_date": "date"}[spec["$ref"]]
    kinds = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
    words = {"string": "text", "null": "null", "integer": "number", "object": "object"}
    return " or ".join(f"list of {describe_type(spec['items'])}" if k == "array" else words[k] for k in kinds)


def defuse_formula(cell: str) -> str:
    """Prefix a quote to a cell a spreadsheet would run as a formula; others stay as they are."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    return defuse_formula(str(value))


def csv_pieces(records: Iterable[dict]) -> Iterator[str]:
    """corpus.csv, some rows at a time: a header row, then one row per article, every cell defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for number, record in enumerate(records, 1):
        writer.writerow([csv_cell(record[name]) for name in CSV_COLUMNS])
        if number % PIECE_ARTICLES == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def to_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def json_lines_pieces(value: dict) -> Iterator[str]:
    """JSON with one top-level field, and one item of each top-level list, per line; a piece at a time.

    A changed article changes one line of the committed site_src/, and the compact items go
    through json's C encoder (indent= makes it fall back to Python, ten times slower here). A
    list may be an iterator: its items are made as they are written.
    """
    def dump(item) -> str:
        return json.dumps(item, ensure_ascii=False)

    yield "{\n"
    for number, (key, item) in enumerate(value.items()):
        separator = ",\n" if number else ""
        if isinstance(item, (list, Iterator)):
            listed = 0
            for listed, entry in enumerate(item, 1):
                yield (f"{separator}{dump(key)}: [\n" if listed == 1 else ",\n") + dump(entry)
            yield "\n]" if listed else f"{separator}{dump(key)}: []"
        else:
            yield f"{separator}{dump(key)}: {dump(item)}"
    yield "\n}\n"


def data_pieces(corpus: Corpus, settings: Settings) -> dict[str, Iterable[str]]:
    """corpus.json, corpus.csv, the schema and the About the data page, keyed by path inside site_src/,
    each as the pieces it is made of, to be read once: the corpus files, the text of every article,
    are made a few articles at a time as they are read, never whole (at 100,000 articles, half a
    gigabyte each)."""
    site_url, site_name = settings.url, settings.name
    schema = load_schema(site_url)
    fields = [(name, describe_type(spec), spec["description"], name in CSV_COLUMNS)
              for name, spec in schema["$defs"]["article"]["properties"].items()]
    about = make_environment().get_template("about-data.md.j2").render(
        page_path=ABOUT_PATH, site_name=site_name, corpus=corpus, fields=fields, csv_columns=CSV_COLUMNS,
        list_separator=LIST_SEPARATOR, formula_starts=[c for c in FORMULA_STARTS if c.isprintable()],
        json_path=JSON_PATH, csv_path=CSV_PATH, schema_path=SCHEMA_PATH, all_feed=ALL_FEED, feed_limit=settings.limits.feed_limit,
        offline_download=offline_download_url(settings.name, settings.repo_url, settings.version),
        citation=settings.citation,
    )
    return {
        JSON_PATH: json_lines_pieces(describe_corpus(corpus, site_url, site_name)),
        CSV_PATH: csv_pieces(describe_article(a, corpus, site_url) for a in corpus.articles),
        SCHEMA_PATH: [to_json(schema)],
        ABOUT_PATH: [about],
    }


def render_data(corpus: Corpus, settings: Settings) -> dict[str, str]:
    """data_pieces, each file whole."""
    return {path: "".join(pieces) for path, pieces in data_pieces(corpus, settings).items()}
