"""metadata/keywords.yml tried as an attacker would: one line per problem, each `path:line: field: message`."""
from __future__ import annotations

import pytest

from test_bad_input import assert_refused

KEYWORDS = "metadata/keywords.yml"
EMPTY = "metadata/keywords.yml:1: the file is empty: give each keyword slug a label, aliases or hide, or delete the file"


@pytest.mark.parametrize("text", ["{}\n", "", "# no keywords yet\n"])
def test_an_empty_registry_is_said_to_be_empty(make_project, text):
    assert_refused(make_project, {KEYWORDS: text}, EMPTY)


def test_a_registry_that_is_no_mapping_says_what_it_is(make_project):
    assert_refused(make_project, {KEYWORDS: "- kyiv\n"},
                   "metadata/keywords.yml:1: expected keyword slugs, each with a label, aliases or hide, got a list")


@pytest.mark.parametrize("entry, expected", [
    ("kyiv:\n  lable: Kyiv\n", "metadata/keywords.yml:2: kyiv.lable: unknown field (did you mean 'label'?)"),
    ("kyiv:\n  aliases: Kiev\n", "metadata/keywords.yml:2: kyiv.aliases: expected a list, got text 'Kiev'"),
    ("kyiv: 5\n", "metadata/keywords.yml:1: kyiv: expected a mapping of fields, got a number"),
    ("kyiv:\n", "metadata/keywords.yml:1: kyiv: expected label, aliases or hide"),
])
def test_one_wrong_field_gives_one_line(make_project, entry, expected):
    assert_refused(make_project, {KEYWORDS: entry}, expected)


def test_ten_thousand_copies_of_one_alias_give_a_few_lines_and_a_count(make_project):
    block = "kyiv:\n  label: Kyiv\n  aliases:\n" + "  - Kiev\n" * 10_000
    assert_refused(make_project, {KEYWORDS: block},
                   "metadata/keywords.yml:5: kyiv.aliases: 'Kiev' repeats an alias listed before (line 4)",
                   "metadata/keywords.yml:6: kyiv.aliases: 'Kiev' repeats an alias listed before (line 4)",
                   "metadata/keywords.yml:7: kyiv.aliases: 'Kiev' repeats an alias listed before (line 4)",
                   "metadata/keywords.yml:8: kyiv.aliases: and 9,996 more like the line above, from this line on")


def test_copies_in_one_flow_list_are_one_line(make_project):
    block = "kyiv:\n  label: Kyiv\n  aliases: [" + ", ".join(["Kiev"] * 10_000) + "]\n"
    assert_refused(make_project, {KEYWORDS: block},
                   "metadata/keywords.yml:3: kyiv.aliases: 'Kiev' repeats an alias listed before (line 3)")
