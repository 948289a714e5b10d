"""bench/related_reuse.py: the render stage with and without the last render's related coverage, on a real build."""
from __future__ import annotations

from bench.corpus import write_corpus
from bench.related_reuse import measure
from publisher.pipeline import build_site


def test_a_summary_edit_keeps_every_coverage_and_a_keyword_edit_ranks_again(tmp_path):
    root = write_corpus(40, tmp_path / "bench")
    build_site(root, run_mkdocs=False)  # its page keys and related memo, as a build leaves them
    summary = measure(root, 1, "summary")
    assert summary["articles"] == 40 and summary["coverage_kept"] == 40
    assert summary["median_with_s"] > 0 and summary["median_without_s"] > 0
    keywords = measure(root, 1, "keywords")
    assert 0 < keywords["coverage_kept"] < 40  # the edited article at least is ranked again
