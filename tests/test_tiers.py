"""The test tiers: every file and test the slow tier names exists, so a rename cannot drop one silently."""
from __future__ import annotations

import re

from conftest import REPO, SLOW_FILES, SLOW_TESTS


def test_every_slow_file_exists():
    assert sorted(name for name in SLOW_FILES if not (REPO / "tests" / name).is_file()) == []


def test_every_slow_test_is_defined_in_its_file():
    missing = []
    for entry in SLOW_TESTS:
        file, _, name = entry.partition("::")
        path = REPO / "tests" / file
        if not path.is_file() or not re.search(rf"^def {re.escape(name)}\(", path.read_text(), re.M):
            missing.append(entry)
    assert missing == []
