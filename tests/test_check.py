"""`python build.py check`: every mistake at once, as path:line: field: message; nothing written, no traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ALPHA_YML, BETA_YML

from publisher.model import InputError
from publisher.pipeline import build_site, check_project


def run_check(root) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", "check"], cwd=root, capture_output=True, text=True)


def problems_of(root) -> list[str]:
    with pytest.raises(InputError) as error:
        check_project(root)
    return [str(p) for p in error.value.problems]


def listing(root) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.parametrize("alpha, expected", [
    (ALPHA_YML.replace("date: 2023-03-19", "date: [2023"),
     "metadata/001_alpha.yml:4: YAML syntax error: expected ',' or ']', but got ':'"),
    (ALPHA_YML.replace("title: Troops Gather at the Border\n", ""),
     "metadata/001_alpha.yml:1: title: missing; every article needs one"),
    (ALPHA_YML.replace("title: Troops Gather at the Border", "title:\n  - Troops"),
     "metadata/001_alpha.yml:1: title: expected text, got a list ['Troops']"),
    (ALPHA_YML.replace("outlet: daily-planet", "outlet: daily-plane"),
     "metadata/001_alpha.yml:2: outlet: 'daily-plane' is not in metadata/outlets.yml (did you mean 'daily-planet'?)"),
    (ALPHA_YML.replace("  - alliance", "  - aliance"),
     "metadata/001_alpha.yml:6: topics: 'aliance' is not in metadata/topics.yml (did you mean 'alliance'?)"),
    (ALPHA_YML.replace("authors:", "autors:"),
     "metadata/001_alpha.yml:7: autors: unknown field (did you mean 'authors'?)"),
    (ALPHA_YML.replace("date: 2023-03-19", "date: 2023-02-30"),
     "metadata/001_alpha.yml:3: date: '2023-02-30' is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY"),
    (ALPHA_YML.replace("date: 2023-03-19", "date: 19 March 2023"),
     "metadata/001_alpha.yml:3: date: '19 March 2023' is not a date: expected YYYY-MM-DD, or YYYY-MM or YYYY when the text supports no more"),
    (ALPHA_YML.replace("date: 2023-03-19", "date: 2999-01-01"),
     "metadata/001_alpha.yml:3: date: '2999-01-01' is in the future (today is {today})"),
    (ALPHA_YML + "slug: café-news\n",
     "metadata/001_alpha.yml:10: slug: 'café-news' is not a slug: expected lowercase ASCII letters, digits and single hyphens, at most 80 characters, like 'kiev-regime-sends-troops'"),
    (ALPHA_YML + "slug: ../../etc/passwd\n",
     "metadata/001_alpha.yml:10: slug: '../../etc/passwd' is not a slug: expected lowercase ASCII letters, digits and single hyphens, at most 80 characters, like 'kiev-regime-sends-troops'"),
    (ALPHA_YML + "slug: treaty-talks-resume\n",
     "metadata/002_beta.yml:1: slug: 'treaty-talks-resume' is already used by metadata/001_alpha.yml: give this article its own slug"),
    (ALPHA_YML.replace("source_url: https://dailyplanet.example/troops", "source_url: !!python/object/apply:os.system ['true']"),
     "metadata/001_alpha.yml:9: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: use plain values"),
])
def test_each_mistake_is_named_with_file_line_and_field(make_project, alpha, expected):
    import datetime
    root = make_project({"metadata/001_alpha.yml": alpha})
    expected = expected.format(today=datetime.datetime.now(datetime.timezone.utc).date().isoformat())
    assert problems_of(root) == [expected]


def test_seed_and_metadata_must_come_in_pairs(make_project):
    root = make_project({"seeds/003_gamma.txt": "Gamma Headline Here\n\nSome text.\n", "metadata/004_delta.yml": BETA_YML})
    assert problems_of(root) == [
        "metadata/004_delta.yml: has no seed: expected seeds/004_delta.txt",
        "seeds/003_gamma.txt: has no metadata: expected metadata/003_gamma.yml",
    ]


def test_every_problem_at_once_sorted_exit_1_no_traceback_nothing_written(make_project):
    root = make_project({
        "metadata/001_alpha.yml": ALPHA_YML.replace("outlet: daily-planet", "outlet: daily-plane").replace("authors:", "autors:"),
        "metadata/002_beta.yml": BETA_YML.replace("date: 2022-10", "date: 2022-13"),
    })
    before = listing(root)
    result = run_check(root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "metadata/001_alpha.yml:2: outlet: 'daily-plane' is not in metadata/outlets.yml (did you mean 'daily-planet'?)\n"
        "metadata/001_alpha.yml:7: autors: unknown field (did you mean 'authors'?)\n"
        "metadata/002_beta.yml:3: date: '2022-13' is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY\n"
        "3 problems found; nothing was written.\n")
    assert listing(root) == before


def test_check_passes_on_a_built_project_and_writes_nothing(make_project):
    root = make_project()
    build_site(root, run_mkdocs=False)
    before = listing(root)
    result = run_check(root)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "No problems: 2 articles, every published address kept.\n"
    assert listing(root) == before


def test_the_real_archive_passes_check():
    from conftest import REPO

    check_project(REPO)
