"""`python build.py serve` renders what the build renders: redirects at old addresses stay in site_src/."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest

from conftest import ALPHA_YML

from publisher.website import preview

from publisher.website import serve_hook
from publisher.pipeline import build_site

REDIRECT = "site_src/articles/troops-gather-at-the-border/index.html"


def moved_project(make_project):
    """The fixture project after its first article's slug changed, built: one redirect in site_src/."""
    root = make_project()
    build_site(root, run_mkdocs=False)
    (root / "metadata/001_alpha.yml").write_text(ALPHA_YML + "slug: troops-at-the-border\n")
    build_site(root, run_mkdocs=False)
    assert (root / REDIRECT).is_file()
    return root


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_preview_hook_leaves_site_src_as_the_build_made_it(make_project):
    root = moved_project(make_project)
    before = tree(root / "site_src")
    serve_hook.on_pre_build(SimpleNamespace(config_file_path=str(root / "mkdocs.yml")))
    assert tree(root / "site_src") == before


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_build_py_serve_serves_the_redirect_and_keeps_it(make_project):
    root = moved_project(make_project)
    port = free_port()
    server = subprocess.Popen([sys.executable, "build.py", "--quiet", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        page, deadline = None, time.monotonic() + 120
        while page is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/news-corpus-archive/articles/troops-gather-at-the-border/") as answer:
                    page = answer.read().decode()
            except OSError:
                time.sleep(0.5)
        assert page is not None and 'url=../troops-at-the-border/"' in page
        assert (root / REDIRECT).is_file()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)


def test_the_preview_shows_a_metadata_edit_and_builds_only_what_changed(make_project):
    root = make_project()
    port = free_port()
    server = subprocess.Popen([sys.executable, "build.py", "--quiet", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    address = f"http://127.0.0.1:{port}/news-corpus-archive/articles/treaty-talks-resume/"

    def page() -> str:
        try:
            with urllib.request.urlopen(address) as answer:
                return answer.read().decode()
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 120
        while "Treaty Talks Resume" not in page() and time.monotonic() < deadline:
            time.sleep(0.5)
        rights = next((root / "site_src").glob("rights.md")).stat().st_mtime_ns
        metadata = root / "metadata" / "002_beta.yml"
        original = metadata.read_text()
        for summary in ("Negotiators met again, the preview shows it.", "Negotiators met once more, the preview shows it."):
            metadata.write_text(original + f"summary: {summary}\n")
            deadline = time.monotonic() + 60
            while summary not in page() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert summary in page()
        assert (root / "site_src" / "rights.md").stat().st_mtime_ns == rights  # pages that do not show it are kept
    finally:
        os.killpg(server.pid, signal.SIGINT)
        _, log = server.communicate(timeout=30)
    assert "Traceback" not in log and "dirty" not in log.lower()
    # Each edit renders only the pages that show the summary, the second too: once the preview has
    # written site_src/, the build's record of it no longer holds, and what the preview remembers
    # between rebuilds is all it has.
    rounds = [line.split("Rendered ", 1)[1] for line in log.splitlines() if "Rendered " in line]
    total = int(rounds[0].split(" of ")[1].split()[0])
    edits = [int(line.split()[0]) for line in rounds[1:] if not line.endswith(" 0 file(s) of site_src/ changed")]
    assert len(edits) == 2 and all(0 < count < total for count in edits), rounds


@pytest.mark.parametrize("edit, shown_only", [
    (lambda text: text + "summary: Negotiators met again.\n", True),  # a field that neither cleaning nor keywords read
    (lambda text: text + "source_url: https://gazette.example/talks\n", True),
    (lambda text: text.replace("Treaty Talks Resume", "Treaty Talks Resume at Last"), False),  # cleaning reads the title, and the address follows it
    # A title that still marks the same headline, at the same address: shown on its neighbour's page too.
    (lambda text: text.replace("Treaty Talks Resume", "Treaty Talks") + "slug: treaty-talks-resume\n", True),
    (lambda text: text.replace("2022-10", "2023-04"), False),  # the date orders every listing
], ids=["summary", "source", "title", "title at the same address", "date"])
def test_the_preview_renders_what_a_full_build_of_the_same_inputs_renders(make_project, tmp_path, monkeypatch, edit, shown_only):
    root = make_project()
    build_site(root, run_mkdocs=False)
    config = SimpleNamespace(config_file_path=str(root / "mkdocs.yml"))
    preview._preview = preview._Preview()
    serve_hook.on_pre_build(config)
    metadata = root / "metadata" / "002_beta.yml"
    metadata.write_text(edit(metadata.read_text()))
    found = []
    real = preview.shown_only_since
    monkeypatch.setattr(preview, "shown_only_since", lambda *args: found.append(real(*args)) or found[-1])
    serve_hook.on_pre_build(config)
    assert [None if f is None else sorted(f.changed) for f in found] == [["002_beta"] if shown_only else None]
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("site", "site_src", ".cache", ".build"))
    (fresh / "published-pages.txt").unlink()
    shutil.copy2(root / "published-pages.txt", fresh / "published-pages.txt")
    build_site(fresh, run_mkdocs=False)
    assert tree(root / "site_src") == tree(fresh / "site_src")


class Serving:
    """`build.py serve` on root in the background: its pages over HTTP, its log once stopped."""

    def __init__(self, root, *options: str):
        self.port = free_port()
        self.server = subprocess.Popen([sys.executable, "build.py", "--quiet", "serve", "--dev-addr", f"127.0.0.1:{self.port}", *options],
                                       cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                       start_new_session=True)

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/news-corpus-archive/{path}") as answer:
                return answer.read().decode()
        except OSError:
            return ""

    def wait_for(self, path: str, words: str, seconds: float = 120) -> str:
        deadline = time.monotonic() + seconds
        while words not in (page := self.page(path)) and time.monotonic() < deadline:
            time.sleep(0.2)
        return page

    def stop(self) -> str:
        os.killpg(self.server.pid, signal.SIGINT)
        return self.server.communicate(timeout=30)[1]


@pytest.mark.parametrize("options", [(), ("--poll",)], ids=["file events", "polling"])
def test_one_metadata_edit_costs_the_preview_one_rebuild(make_project, options):
    root = make_project()
    serving = Serving(root, *options)
    try:
        assert "Treaty Talks Resume" in serving.wait_for("articles/treaty-talks-resume/", "Treaty Talks Resume")
        metadata = root / "metadata" / "002_beta.yml"
        metadata.write_text(metadata.read_text() + "summary: Negotiators met again, once rebuilt.\n")
        assert "once rebuilt" in serving.wait_for("articles/treaty-talks-resume/", "once rebuilt", 60)
        time.sleep(3)  # a second rebuild, queued by the hook's writes into site_src/, would have begun by now
    finally:
        log = serving.stop()
    assert "Traceback" not in log
    # The server's first build, then one for the edit.
    assert log.count("Building documentation") == 2 and log.count("Detected file changes") == 1, log


def test_the_preview_shows_an_edit_of_a_page_template_and_of_the_theme(make_project):
    root = make_project()
    serving = Serving(root)
    try:
        assert "Treaty Talks Resume" in serving.wait_for("articles/treaty-talks-resume/", "Treaty Talks Resume")
        template = root / "templates" / "article.md.j2"
        template.write_text(template.read_text() + "\nEdited page template.\n")
        assert "Edited page template." in serving.wait_for("articles/treaty-talks-resume/", "Edited page template.", 60)
        # No file of site_src/ changes with the theme: MkDocs must build every page again.
        theme = root / "templates" / "theme" / "main.html"
        saved = theme.with_name(".main.html.swp")  # saved as many editors do: a new file renamed over the old
        saved.write_text(theme.read_text().replace("{{ super() }}", '{{ super() }}\n  <meta name="edited" content="theme">', 1))
        os.replace(saved, theme)
        assert 'content="theme"' in serving.wait_for("articles/treaty-talks-resume/", 'content="theme"', 60)
        assert 'content="theme"' in serving.page("")
    finally:
        log = serving.stop()
    assert "Traceback" not in log


def test_sync_tree_rewrites_what_changed_keeps_the_rest_and_removes_what_is_gone(tmp_path):
    from publisher.build.write import sync_tree

    dest = tmp_path / "site_src"
    (dest / "articles").mkdir(parents=True)
    for rel, text in {"index.md": "home", "articles/a.md": "a", "articles/b.md": "b", "articles/gone.md": "x", "gone.txt": "x"}.items():
        (dest / rel).write_text(text)
    os.symlink("index.md", dest / "link.md")
    kept = {rel: (dest / rel).stat().st_ino for rel in ("index.md", "articles/b.md")}
    changed = sync_tree({"index.md": "home", "articles/a.md": "a again", "articles/b.md": None, "articles/new.md": b"new"}, dest)
    assert changed == {"articles/a.md", "articles/new.md", "articles/gone.md", "gone.txt", "link.md"}
    assert tree(dest) == {"index.md": b"home", "articles/a.md": b"a again", "articles/b.md": b"b", "articles/new.md": b"new"}
    assert {rel: (dest / rel).stat().st_ino for rel in kept} == kept
    assert sync_tree({}, tmp_path / "none") == set()
