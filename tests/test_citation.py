"""The archive's citation: CITATION.cff is read by the build, shown on About the data, and checked."""
from __future__ import annotations

import re
import subprocess
import sys
from html import unescape

import yaml

from conftest import REPO


def cite_line(html: str) -> str:
    """The text of the About the data page's "cite this archive" paragraph."""
    match = re.search(r'<p class="archive-cite" id="cite-archive">(.*?)</p>', html, re.S)
    assert match, "no cite-archive paragraph"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_the_about_page_cites_the_archive_with_citation_cffs_values(built_site):
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    html = (built_site / "site" / "data" / "index.html").read_text()
    authors = ", ".join(author["name"] for author in cff["authors"])
    assert cite_line(html) == (f"{authors}. ({cff['date-released']}). {cff['title']} (version {cff['version']}, "
                               f"{cff['license']}) [Data set]. {cff['repository-code']}")
    assert cff["message"] in unescape(html)
    assert f"<code>v{cff['version']}</code>" in unescape(html)


def test_a_changed_citation_reaches_the_page_on_the_next_build(make_project):
    from publisher.pipeline import build_site

    root = make_project()
    build_site(root, run_mkdocs=False)
    citation = root / "CITATION.cff"
    citation.write_text(citation.read_text().replace('version: "1.0.0"', 'version: "1.0.1"'))
    build_site(root, run_mkdocs=False)  # only CITATION.cff changed: the build must not call it up to date
    page = (root / "site_src" / "data" / "index.md").read_text()
    assert "v&#49;.0.1" in page and "news-corpus-archive-1.0.1-offline.zip" in page


def test_a_broken_citation_is_refused_with_the_file_line_and_field(make_project):
    root = make_project()
    citation = root / "CITATION.cff"
    text = citation.read_text()
    repository = next(line for line in text.splitlines() if line.startswith("repository-code:"))
    citation.write_text(text.replace('version: "1.0.0"', 'version: "one"').replace("authors:\n  - name: \"News Corpus Archive maintainers\"\n", "")
                        .replace(repository, 'repository-code: "https://example.org/repo<script>"'))
    result = subprocess.run([sys.executable, "build.py", "check"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 1
    version_line = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("version:"))
    assert f"CITATION.cff:{version_line}: version: expected a semantic version X.Y.Z, as pyproject.toml's\n" in result.stderr
    assert "CITATION.cff:1: authors: missing: a citation needs it\n" in result.stderr
    # The same rule as every other address of the archive (intake/fields.is_http_url): no space, no markup.
    assert re.search(r"CITATION.cff:\d+: repository-code: expected the repository's http\(s\) address\n", result.stderr)
    citation.unlink()
    missing = subprocess.run([sys.executable, "build.py", "check"], cwd=root, capture_output=True, text=True)
    assert missing.returncode == 1 and missing.stderr.startswith("CITATION.cff: missing: the archive's citation")
