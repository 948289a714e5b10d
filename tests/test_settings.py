"""One settings object from mkdocs.yml: the site's name and address, and the limits under `extra: archive:`."""
from __future__ import annotations

import pytest

from publisher.model import InputError
from publisher.settings import Limits, read_settings


def set_limits(root, text: str) -> int:
    """Add `archive:` lines (indented by four) under mkdocs.yml's `extra:`; return the line of the first."""
    config = root / "mkdocs.yml"
    lines = config.read_text().splitlines()
    if "extra:" not in lines:
        lines.append("extra:")
    at = lines.index("extra:") + 1
    lines[at:at] = ["  archive:", *text.splitlines()]
    config.write_text("\n".join(lines) + "\n")
    return at + 2


def test_limits_default_when_mkdocs_yml_gives_none(make_project):
    settings = read_settings(make_project())
    assert settings.limits == Limits(page_size=200, feed_limit=50, related_limit=5, latest_limit=10)
    assert settings.url == "https://owner.github.io/news-corpus-archive/"


def test_limits_are_read_from_extra_archive(make_project):
    root = make_project()
    set_limits(root, "    page_size: 7\n    feed_limit: 3")
    assert read_settings(root).limits == Limits(page_size=7, feed_limit=3)


def test_bad_limits_are_reported_with_their_lines(make_project):
    root = make_project()
    line = set_limits(root, "    page_size: 0\n    pages: 3")
    with pytest.raises(InputError) as error:
        read_settings(root)
    assert [str(p) for p in error.value.problems] == [
        f"mkdocs.yml:{line}: extra.archive.page_size: expected a whole number above 0",
        f"mkdocs.yml:{line + 1}: extra.archive.pages: unknown setting; expected one of feed_limit, latest_limit, page_size, related_limit, search_shard_size",
    ]
