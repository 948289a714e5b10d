"""Reading YAML: nesting deep enough to crash the composer is refused before it is composed."""
from __future__ import annotations

import pytest

from publisher.intake.load import MAX_YAML_DEPTH, YamlProblem, parse_yaml

DEEP = f"nested more than {MAX_YAML_DEPTH} levels deep: metadata needs a few levels at most"


@pytest.mark.parametrize("text, line", [
    ("title: x\ntopics: " + "[" * 3_000 + "]" * 3_000 + "\n", 2),  # RecursionError before
    ("title: x\ntopics: " + "[" * 100_000 + "]" * 100_000 + "\n", 2),  # the interpreter crashed (exit 139) before
    ("title: x\nsummary: " + "{a: " * 3_000 + "}" * 3_000 + "\n", 2),
    ("title: x\ntopics:\n" + "".join(" " * (2 * depth) + "-\n" for depth in range(3_000)), 3 + MAX_YAML_DEPTH - 1),
    ("- " * 3_000 + "x\n", 1),
], ids=["flow-3000", "flow-100000", "mapping-3000", "block-3000", "compact-3000"])
def test_deep_nesting_is_refused_with_its_line(text, line):
    with pytest.raises(YamlProblem) as error:
        parse_yaml(text, "metadata/x.yml")
    assert (error.value.line, error.value.message) == (line, DEEP)


def test_nesting_up_to_the_limit_and_brackets_in_text_are_read():
    deep = "a: " + "[" * (MAX_YAML_DEPTH - 1) + "]" * (MAX_YAML_DEPTH - 1) + "\n"
    assert parse_yaml(deep, "x.yml").value["a"] is not None
    quoted = "title: '" + "[" * 200 + "'\n"
    assert parse_yaml(quoted, "x.yml").value == {"title": "[" * 200}
