"""Validation: every problem at once, as path:line: field: message."""
from __future__ import annotations

import datetime

import pytest

from conftest import FIXTURE_FILES
from publisher.intake.load import load_project
from publisher.model import PartialDate
from publisher.intake.validate import validate_project

TODAY = datetime.date(2026, 11, 23)


def problems_for(make_project, overrides):
    corpus, problems = validate_project(load_project(make_project(overrides)), TODAY)
    return corpus, [str(p) for p in problems]


def test_fixture_corpus_is_valid(make_project):
    corpus, problems = problems_for(make_project, {})
    assert problems == []
    assert [a.id for a in corpus.articles] == ["002_beta", "001_alpha"]  # oldest first
    alpha = corpus.articles[1]
    assert alpha.date == PartialDate(2023, 3, 19) and alpha.date.precision == "day"
    assert alpha.slug == "troops-gather-at-the-border"
    assert alpha.authors == ("Jane Reporter",)
    assert corpus.articles[0].date.label == "October 2022"


def test_unknown_outlet_names_the_registry_and_a_close_match(make_project):
    _, problems = problems_for(make_project, {"metadata/001_alpha.yml": FIXTURE_FILES["metadata/001_alpha.yml"].replace("daily-planet", "daily-plannet")})
    assert problems == ["metadata/001_alpha.yml:2: outlet: 'daily-plannet' is not in metadata/outlets.yml (did you mean 'daily-planet'?)"]


def test_unknown_topic_is_reported_on_its_own_line(make_project):
    text = FIXTURE_FILES["metadata/001_alpha.yml"].replace("  - alliance", "  - allience")
    _, problems = problems_for(make_project, {"metadata/001_alpha.yml": text})
    assert problems == ["metadata/001_alpha.yml:6: topics: 'allience' is not in metadata/topics.yml (did you mean 'alliance'?)"]


def test_dates_must_be_real_and_not_in_the_future(make_project):
    _, problems = problems_for(make_project, {
        "metadata/001_alpha.yml": FIXTURE_FILES["metadata/001_alpha.yml"].replace("2023-03-19", "2023-02-30"),
        "metadata/002_beta.yml": FIXTURE_FILES["metadata/002_beta.yml"].replace("2022-10", "2027-01"),
    })
    assert problems == [
        "metadata/001_alpha.yml:3: date: '2023-02-30' is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY",
        "metadata/002_beta.yml:3: date: '2027-01' is in the future (today is 2026-11-23)",
    ]


def test_missing_and_unknown_fields_with_a_hint(make_project):
    text = "titel: Treaty Talks Resume\noutlet: gazette\ndate: 2022-10\ntopics: [alliance]\n"
    _, problems = problems_for(make_project, {"metadata/002_beta.yml": text})
    assert problems == [
        "metadata/002_beta.yml:1: titel: unknown field (did you mean 'title'?)",
        "metadata/002_beta.yml:1: title: missing; every article needs one",
    ]


def test_wrong_types_say_what_was_found(make_project):
    text = FIXTURE_FILES["metadata/002_beta.yml"] + "authors: Jane Reporter\nsource_url: javascript:alert(1)\n"
    _, problems = problems_for(make_project, {"metadata/002_beta.yml": text})
    assert problems == [
        "metadata/002_beta.yml:6: authors: expected a list, got text 'Jane Reporter'",
        "metadata/002_beta.yml:7: source_url: 'javascript:alert(1)' is not an http(s) URL: expected one like 'https://example.org/article'",
    ]


def test_seed_and_metadata_must_come_in_pairs(make_project):
    _, problems = problems_for(make_project, {"seeds/003_orphan.txt": "Some text\n", "metadata/004_lonely.yml": FIXTURE_FILES["metadata/002_beta.yml"]})
    assert problems == [
        "metadata/004_lonely.yml: has no seed: expected seeds/004_lonely.txt",
        "seeds/003_orphan.txt: has no metadata: expected metadata/003_orphan.yml",
    ]


def test_duplicate_slugs_name_both_files(make_project):
    text = FIXTURE_FILES["metadata/002_beta.yml"] + "slug: troops-gather-at-the-border\n"
    _, problems = problems_for(make_project, {"metadata/002_beta.yml": text})
    assert problems == ["metadata/002_beta.yml:6: slug: 'troops-gather-at-the-border' is already used by metadata/001_alpha.yml: give this article its own slug"]


def test_yaml_syntax_error_has_its_line(make_project):
    _, problems = problems_for(make_project, {"metadata/002_beta.yml": "title: Treaty\noutlet: [gazette\ndate: 2022\n"})
    assert len(problems) == 1 and problems[0].startswith("metadata/002_beta.yml:3: YAML syntax error: ")


def test_all_problems_are_reported_sorted_by_file_and_line(make_project):
    _, problems = problems_for(make_project, {
        "metadata/002_beta.yml": FIXTURE_FILES["metadata/002_beta.yml"].replace("gazette", "nope").replace("2022-10", "soon"),
        "metadata/001_alpha.yml": FIXTURE_FILES["metadata/001_alpha.yml"].replace("border", "borders", 1),
    })
    assert [p.split(": ")[0] for p in problems] == ["metadata/001_alpha.yml:5", "metadata/002_beta.yml:2", "metadata/002_beta.yml:3"]


@pytest.mark.parametrize("text", [
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: mi-khaham, the non-joiner keeps the prefix apart
    "\u0915\u094d\u200d\u0937",  # Devanagari: the joiner asks for a half form
    "\u0d28\u0d4d\u200d",  # ends with the joiner: nothing after it, refused
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # an emoji family
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # the rainbow flag
])
def test_a_joiner_is_kept_only_where_its_script_needs_it(text):
    from publisher.intake.fields import FieldError, check_text

    if text.endswith("\u200d"):
        with pytest.raises(FieldError, match="U\\+200D ZERO WIDTH JOINER"):
            check_text(text, "title")
    else:
        assert check_text(text, "title") == text


@pytest.mark.parametrize("text", ["Bela\u200drus", "Bela\u200crus", "\u0645\u06cc\u200c Belarus", "\U0001f468\u200dx"])
def test_a_joiner_between_other_scripts_is_refused(text):
    from publisher.intake.fields import FieldError, check_text

    with pytest.raises(FieldError, match="ZERO WIDTH (NON-)?JOINER: remove it"):
        check_text(text, "title")
