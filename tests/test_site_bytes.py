"""bench/site_bytes.py and publisher/website/compact_hook.py: what a site costs on disk, and the whitespace the hook cuts."""
from __future__ import annotations

import re

from bench.site_bytes import main, measure_site_bytes
from publisher.website.compact_hook import compact_html


def test_every_file_is_counted_once_by_kind(built_site):
    site = built_site / "site"
    measured = measure_site_bytes(site)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert measured.files == len(files) and measured.bytes == sum(p.stat().st_size for p in files)
    kinds = {k.kind: k for k in measured.kinds}
    assert measured.articles == kinds["article page"].files == 5
    assert kinds["raw text"].files == len(list((site / "raw").iterdir()))
    assert kinds["search index"].files == sum(1 for p in (site / "pagefind").rglob("*") if p.is_file())
    assert kinds["redirect"].files == sum(1 for p in site.rglob("*.html") if b'http-equiv="refresh"' in p.read_bytes())


def test_built_pages_are_already_compact(built_site):
    site = built_site / "site"
    assert measure_site_bytes(site, compacted=True) == measure_site_bytes(site)
    page = next((site / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    outside = re.sub(r"<(pre|script|style|textarea|code|kbd)\b.*?</\1>", "<kept>", page, flags=re.S)
    assert not re.search(r"\n[ \t]|\n\n", outside)


def test_compaction_keeps_whitespace_that_is_content():
    html = ('<div>\n    <p>a  b</p>\n\n  </div>\n<pre><code>  two\n\n    spaces</code></pre>\n'
            '  <script>\n  const s = `x\n    y`;\n</script>\n<textarea>\n  kept</textarea>  \n  <STYLE>\n  p{}\n</STYLE>'
            '\n  <p><code>a\n  b</code></p>')
    assert compact_html(html) == ('<div>\n<p>a  b</p>\n</div>\n<pre><code>  two\n\n    spaces</code></pre>\n'
                                  '<script>\n  const s = `x\n    y`;\n</script>\n<textarea>\n  kept</textarea>\n<STYLE>\n  p{}\n</STYLE>'
                                  '\n<p><code>a\n  b</code></p>')


def test_missing_site_is_reported(tmp_path, capsys):
    assert main(["site_bytes.py", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"{tmp_path}: no built site here (run `python build.py` first)\n"
