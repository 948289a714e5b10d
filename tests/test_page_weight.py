"""bench/page_weight.py: each page kind's HTML and what it loads beyond the shared assets."""
from __future__ import annotations

from bench.page_weight import format_report, main, measure_site


def test_only_the_browse_page_loads_more_than_the_shared_assets(built_site):
    weights, shared = measure_site(built_site / "site")
    by_kind = {w.kind: w for w in weights}
    assert list(by_kind) == ["home", "article", "topic", "outlet", "keyword", "listing", "browse", "statistics"]
    assert by_kind["article"].pages == 5 and by_kind["outlet"].pages == 5
    assert [asset for asset, _ in by_kind["browse"].extra] == ["assets/browse-data.js", "assets/javascripts/browse.js"]
    assert all(not w.extra for w in weights if w.kind != "browse")
    assert "assets/stylesheets/archive.css" in dict(shared)
    data_size = dict(by_kind["browse"].extra)["assets/browse-data.js"]
    assert data_size == (built_site / "site" / "assets" / "browse-data.js").stat().st_size
    report = format_report(weights, shared)
    assert "| browse | 1 |" in report and "Shared assets, loaded by every page" in report


def test_missing_site_is_reported(tmp_path, capsys):
    assert main(["page_weight.py", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"{tmp_path}: no built site here (run `python build.py` first)\n"
