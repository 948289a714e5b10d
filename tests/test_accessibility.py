"""axe-core, from the npm registry, finds no serious or critical problem on the pages readers use."""
from __future__ import annotations

import pytest

from conftest import REPO
from searchui import search

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "article": "/articles/belarus-cracks-down-on-pro-ukraine-guerrillas-as-war-threatens-to-expand/",
    "topic": "/topics/belarusian-opposition/",
    "outlet": "/outlets/zerohedge/",
    "browse": "/browse/?year=2022&outlet=express",
    "statistics": "/statistics/",
}


def run_axe(page) -> list[dict]:
    """axe's violations on the page as loaded, keeping only the serious and critical ones."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (setup.sh does)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run()")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(n["target"][0] for n in v["nodes"])
                     for v in violations)


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_axe_finds_nothing_serious(kind, built_site, serve_dir, page):
    page.goto(serve_dir(built_site / "site") + PAGES[kind])
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # check what they hide too
    violations = run_axe(page)
    assert violations == [], describe(violations)


def test_axe_finds_nothing_serious_with_the_search_open(built_site, serve_dir, page):
    page.goto(serve_dir(built_site / "site") + "/")
    search(page, "Minsk").first.wait_for()
    page.locator(".archive-search__filters summary").click()
    violations = run_axe(page)
    assert violations == [], describe(violations)
