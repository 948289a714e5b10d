"""corpus.json, corpus.csv and their schema: published, valid, documented, safe in a spreadsheet."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import jsonschema

from htmlsite import links_from
from publisher.pages.data import CSV_COLUMNS, csv_cell, defuse_formula
from publisher.pipeline import prepare_corpus, check_corpus
from untrusted import ARCHIVE_URL, HOSTILE_PUBLISHER, HOSTILE_SOURCE, HOSTILE_TITLE

SITE = "https://owner.github.io/news-corpus-archive/"


def load_data(root):
    data_dir = root / "site" / "data"
    schema = json.loads((data_dir / "corpus.schema.json").read_text(encoding="utf-8"))
    corpus = json.loads((data_dir / "corpus.json").read_text(encoding="utf-8"))
    with open(data_dir / "corpus.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return schema, corpus, rows


def validate(schema, instance):
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_real_corpus_json_follows_its_schema_and_matches_the_articles(built_site):
    schema, data, rows = load_data(built_site)
    validate(schema, data)
    assert schema["$id"] == SITE + "data/corpus.schema.json" == data["$schema"]
    corpus = prepare_corpus(check_corpus(built_site))
    assert data["article_count"] == len(corpus.articles) == len(data["articles"]) == len(rows) == 5
    for article, record, row in zip(corpus.articles, data["articles"], rows):
        raw = (built_site / "seeds" / f"{article.id}.txt").read_bytes()
        assert record["id"] == row["id"] == article.id
        assert record["sha256"] == row["sha256"] == hashlib.sha256(raw).hexdigest()
        assert record["text"] == article.clean_text and "PayPal" not in record["text"]
        assert record["keywords"] == [k.label for k in article.keywords]
        assert row["keywords"] == "; ".join(record["keywords"])
        assert record["url"] == SITE + f"articles/{article.slug}/"
        assert (built_site / "site" / "articles" / article.slug / "index.html").exists()
        assert (built_site / "site" / record["raw_text_url"][len(SITE):]).read_bytes() == raw
    assert [o["id"] for o in data["outlets"]] == [o.id for o in corpus.outlets]
    assert [t["id"] for t in data["topics"]] == [t.id for t in corpus.topics]


def test_schema_rejects_a_record_that_breaks_it(built_site):
    schema, data, _ = load_data(built_site)
    broken = json.loads(json.dumps(data))
    broken["articles"][0]["date"] = "19 March 2023"
    del broken["articles"][1]["sha256"]
    validator = jsonschema.Draft202012Validator(schema)
    messages = sorted(e.message for e in validator.iter_errors(broken))
    assert messages == ["'19 March 2023' does not match '^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$'",
                        "'sha256' is a required property"]


def test_csv_has_metadata_and_keywords_but_no_text(built_site):
    _, _, rows = load_data(built_site)
    header = (built_site / "site" / "data" / "corpus.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(CSV_COLUMNS)
    assert "text" not in rows[0]
    kiev = next(r for r in rows if r["id"] == "001_4411e158f26d3872")
    assert (kiev["authors"], kiev["original_publisher"], kiev["date"], kiev["date_precision"]) == ("Lucas Leiroz", "InfoBrics", "2024-07", "month")
    assert kiev["source_url"] == "" and kiev["collected"] == ""


def test_untrusted_values_round_trip_in_json_and_are_defused_in_csv(untrusted_site):
    schema, data, rows = load_data(untrusted_site)
    validate(schema, data)
    record = next(r for r in data["articles"] if r["id"] == "003_gamma")
    assert record["title"] == HOSTILE_TITLE
    assert record["original_publisher"] == HOSTILE_PUBLISHER
    assert (record["source_url"], record["archive_url"], record["collected"]) == (HOSTILE_SOURCE, ARCHIVE_URL, "2024-01-02")
    assert record["authors"] == ["Jane Reporter", "Ludwig van Beethoven"]
    row = next(r for r in rows if r["id"] == "003_gamma")
    assert row["title"] == "'" + HOSTILE_TITLE
    assert row["original_publisher"] == "'" + HOSTILE_PUBLISHER
    assert row["summary"] == "'@SUM(1+1) is what a spreadsheet would run."
    assert row["source_url"] == HOSTILE_SOURCE
    assert row["authors"] == "Jane Reporter; Ludwig van Beethoven"
    assert row["date"] == "2023-04" and row["date_precision"] == "month"
    alpha = next(r for r in rows if r["id"] == "001_alpha")
    assert alpha["title"] == "Troops Gather at the Border" and alpha["original_publisher"] == ""
    quiet = next(t for t in data["topics"] if t["id"] == "quiet")
    assert quiet["feed"] == SITE + "feeds/topics/quiet.xml"


def test_every_formula_start_is_defused():
    for start in "=+-@\t\r":
        assert defuse_formula(start + "1+1") == "'" + start + "1+1"
    assert defuse_formula("1+1") == "1+1"
    assert defuse_formula("'=already quoted") == "'=already quoted"
    assert csv_cell(["=a", "b"]) == "'=a; b"
    assert csv_cell(None) == ""
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell('=HYPERLINK("x","y"), z')])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=HYPERLINK(\"x\",\"y\"), z"]


def test_about_the_data_page_is_in_the_navigation_and_documents_every_field(untrusted_site):
    site = untrusted_site / "site"
    schema = json.loads((site / "data" / "corpus.schema.json").read_text())
    assert "data/index.html" in links_from(site, "index.html")
    assert "data/index.html" in links_from(site, "articles/troops-gather-at-the-border/index.html")  # the nav is on every page
    out = links_from(site, "data/index.html")
    assert {"data/corpus.json", "data/corpus.csv", "data/corpus.schema.json", "feeds/all.xml",
            "feeds/outlets/gazette.xml", "feeds/topics/quiet.xml"} <= out
    page = (site / "data" / "index.html").read_text()
    for field in schema["$defs"]["article"]["properties"]:
        assert f"<th scope=\"row\" role=\"rowheader\"><code>{field.replace('_', '&#95;')}</code></th>" in page
    assert "starts with an added <code>'</code>" in page
    assert "<h1>About the data</h1>" in page
