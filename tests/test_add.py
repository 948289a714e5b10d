"""`python build.py add`: copy a scrape into seeds/, write its metadata, refuse what is already there."""
from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import repo_inputs, write_project

from publisher.intake.add import Given, add_article, next_seed_id
from publisher.model import InputError

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
TODAY = datetime.date(2026, 1, 1)


@pytest.fixture
def archive(tmp_path):
    """The real corpus in a temporary project, built once so its addresses are recorded."""
    root = write_project(tmp_path / "archive", repo_inputs())
    manifest = Path(__file__).resolve().parents[1] / "published-pages.txt"
    (root / "published-pages.txt").write_bytes(manifest.read_bytes())
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=root, capture_output=True, text=True)


def listing(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def test_next_seed_id_follows_the_naming_scheme():
    data = b"Some text\n"
    assert next_seed_id(["000_ece0d557dbdc8653", "004_b81497d0bf113f54"], data) == "005_" + hashlib.sha256(data).hexdigest()[:16]
    assert next_seed_id([], data).startswith("000_")


def test_add_from_a_raw_scrape_then_check_then_build(archive):
    """The maintainer's whole path: one command, fill in the topics, check, build."""
    source = PAGES / "zerohedge_byline_at_end.txt"
    seed_id = "005_" + hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    result = run(archive, "add", str(source), "--url", "https://www.zerohedge.com/geopolitical/lukashenko")
    assert result.returncode == 0, result.stderr
    assert (archive / f"seeds/{seed_id}.txt").read_bytes() == source.read_bytes()
    metadata = (archive / f"metadata/{seed_id}.yml").read_text()
    assert metadata == """\
# Inferred from the text (line 1, the first line that is not page furniture): check it, then delete this comment.
title: Lukashenko Says Belarus Will Not Send Troops Unless Attacked
# Inferred from the text (the URL is on zerohedge.com; line 9 matches its marker '^(?:[^\\n]+\\n)?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2}/\\d{2}/\\d{4} [-–] \\d{2}:\\d{2}$'): check it, then delete this comment.
outlet: zerohedge
# Inferred from the text (line 10 reads 'Thu, 02/16/2023 - 21:40'): check it, then delete this comment.
date: 2023-02-16
# Choose one or more ids from metadata/topics.yml: belarus-2020-election, belarus-ukraine-border, belarusian-opposition, donbas-ceasefire, russia-belarus-alliance, russian-invasion-of-ukraine, wagner-detentions-2020.
topics:
# Inferred from the text (line 9 names 'Tyler Durden' beside the dateline on line 10): check it, then delete this comment.
authors:
  - Tyler Durden
source_url: https://www.zerohedge.com/geopolitical/lukashenko
# Made from the title: the page's address. Once published it is kept; a new slug gets a redirect.
slug: lukashenko-says-belarus-will-not-send-troops-unless-attacked
"""
    assert result.stdout.splitlines()[0] == f"Wrote seeds/{seed_id}.txt (a byte-for-byte copy of {source}) and metadata/{seed_id}.yml."
    assert "  date: 2023-02-16  (line 10 reads 'Thu, 02/16/2023 - 21:40')" in result.stdout
    assert "Left for you to fill in:\n  topics: Choose one or more ids" in result.stdout
    assert result.stdout.endswith(f"Next: edit metadata/{seed_id}.yml, then run `python build.py check`.\n")

    check = run(archive, "check")
    assert check.returncode == 1
    assert check.stderr.splitlines()[0] == f"metadata/{seed_id}.yml:8: topics: missing; every article needs one"

    (archive / f"metadata/{seed_id}.yml").write_text(metadata.replace("topics:\n", "topics:\n  - russia-belarus-alliance\n"))
    check = run(archive, "check")
    assert check.returncode == 0, check.stderr  # new pages are news, not problems: the build records them
    lines = check.stdout.splitlines()
    assert lines[0] == "No problems: 6 articles, every published address kept."
    assert lines[1].endswith(" new pages; the build will record them in published-pages.txt:")
    assert int(lines[1].split()[0]) == len(lines) - 2
    assert "  articles/lukashenko-says-belarus-will-not-send-troops-unless-attacked.md" in lines
    assert f"  raw/{seed_id}.txt" in lines  # its original text, kept like a page
    assert all(line.startswith(("  keywords/", "  articles/", "  raw/")) for line in lines[2:])
    build = run(archive, "build")
    assert build.returncode == 0, build.stderr
    assert (archive / "site/articles/lukashenko-says-belarus-will-not-send-troops-unless-attacked/index.html").exists()
    assert run(archive, "check").returncode == 0


def test_given_values_are_written_without_a_comment(archive):
    added = add_article(archive, PAGES / "unknown_outlet_iso.txt",
                        Given(title="Bridge Over the Pripyat Approved", outlet="express", topics=("belarus-ukraine-border",),
                              authors=("Jan Kowal",)), TODAY)
    assert added.metadata.splitlines()[:4] == ["title: Bridge Over the Pripyat Approved", "outlet: express",
                                              "# Inferred from the text (line 3 reads 'Published: 2021-06-14T09:30:00Z'): check it, then delete this comment.",
                                              "date: 2021-06-14"]
    assert "topics:\n  - belarus-ukraine-border\nauthors:\n  - Jan Kowal\n" in added.metadata
    assert [name for name, _, _ in added.inferred] == ["date"]


def test_what_cannot_be_inferred_is_left_empty_and_check_names_it(archive):
    source = archive / "bare.txt"
    source.write_text("The council met again on Monday and nothing was decided, officials said after the meeting, which "
                      "ended late in the evening when the last of the delegates had left the hall and the lights went out.\n")
    added = add_article(archive, source, Given(), TODAY)
    assert [name for name, _ in added.left] == ["title", "outlet", "date", "topics"]
    result = run(archive, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:4] == [
        f"metadata/{added.id}.yml:2: title: missing; every article needs one",
        f"metadata/{added.id}.yml:4: outlet: missing; every article needs one",
        f"metadata/{added.id}.yml:6: date: missing; every article needs one",
        f"metadata/{added.id}.yml:8: topics: missing; every article needs one",
    ]


def test_a_slug_already_taken_gets_a_number(archive):
    source = archive / "same-title.txt"
    source.write_text("Lukashenko & Zelensky Forging Ukrainian-Belarusian Front Against Russia\n\nA different text altogether, published much later.\n")
    added = add_article(archive, source, Given(), TODAY)
    assert added.slug == "lukashenko-zelensky-forging-ukrainian-belarusian-front-against-russia-2"


@pytest.mark.parametrize("change", [
    lambda data: data.replace(b"  ", b" ").replace(b"\n", b"\r\n"),  # white space and line ends
    lambda data: data.split(b"\nTyler Durden")[0] + b"\n\nShare this:\n",  # byline dropped, furniture added
])
def test_refuses_the_same_article_with_only_whitespace_or_furniture_changed(archive, change):
    source = archive / "again.txt"
    source.write_bytes(change((archive / "seeds/003_f5749907f425ad4f.txt").read_bytes()))
    before = listing(archive)
    result = run(archive, "add", "again.txt")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("again.txt: already in the archive as 003_f5749907f425ad4f: the same ")
    assert listing(archive) == before


def test_refuses_the_same_bytes_naming_the_existing_id(archive):
    before = listing(archive)
    result = run(archive, "add", "seeds/001_4411e158f26d3872.txt")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("seeds/001_4411e158f26d3872.txt: already in the archive as 001_4411e158f26d3872: "
                             "the same bytes as seeds/001_4411e158f26d3872.txt; nothing was added\n"
                             "1 problem found; nothing was written.\n")
    assert listing(archive) == before


@pytest.mark.parametrize("content, message", [
    (b"", "empty.txt: the file is empty: nothing to add"),
    (b"  \n\n", "empty.txt: the file is empty: nothing to add"),
    (b"Headline\n\nCaf\xe9 society\n", "empty.txt:3: not valid UTF-8 (byte 0xe9 at offset 13): save the file as UTF-8"),
])
def test_refuses_an_empty_or_non_utf8_file(archive, content, message):
    (archive / "empty.txt").write_bytes(content)
    before = listing(archive)
    result = run(archive, "add", "empty.txt")
    assert result.returncode == 1
    assert result.stderr == f"{message}\n1 problem found; nothing was written.\n"
    assert listing(archive) == before


def test_refuses_a_missing_file(archive):
    result = run(archive, "add", "nowhere.txt")
    assert result.stderr == "nowhere.txt: no such file: give the path of the text to add\n1 problem found; nothing was written.\n"


def test_refuses_unknown_ids_and_bad_values_on_the_command_line(archive):
    before = listing(archive)
    result = run(archive, "add", str(PAGES / "unknown_outlet_iso.txt"), "--outlet", "zerohege", "--topic", "belarus-border",
                 "--date", "2022-02-30", "--url", "ftp://example.org/x")
    assert result.returncode == 1
    assert result.stderr == (
        "--date: '2022-02-30' is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY\n"
        "--outlet: 'zerohege' is not in metadata/outlets.yml (did you mean 'zerohedge'?)\n"
        "--topic: 'belarus-border' is not in metadata/topics.yml (did you mean 'belarus-ukraine-border'?)\n"
        "--url: 'ftp://example.org/x' is not an http(s) URL: expected one like 'https://example.org/article'\n"
        "4 problems found; nothing was written.\n")
    assert listing(archive) == before


def test_refuses_a_date_in_the_future(archive):
    with pytest.raises(InputError) as error:
        add_article(archive, PAGES / "unknown_outlet_iso.txt", Given(date="2026-02"), TODAY)
    assert [str(p) for p in error.value.problems] == ["--date: '2026-02' is in the future (today is 2026-01-01)"]


def test_refuses_to_write_through_a_linked_seeds_folder(archive, tmp_path):
    outside = tmp_path / "outside"
    (archive / "seeds").rename(outside)
    (archive / "seeds").symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    with pytest.raises(InputError) as error:
        add_article(archive, PAGES / "zerohedge_byline_at_end.txt", Given(), TODAY)
    assert [str(p) for p in error.value.problems] == [
        "seeds: is a symbolic link: the build never follows one at its own paths, as it could read or write any file "
        "of the machine; remove the link (and commit no link there)"]
    assert sorted(p.name for p in outside.iterdir()) == before


def fifo(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("make_source, message", [
    (lambda tmp_path: Path("/dev/zero"), "is not a regular file (a device, pipe or socket): give the path of one text file"),
    (fifo, "is not a regular file (a device, pipe or socket): give the path of one text file"),
    (lambda tmp_path: tmp_path, "is a folder: give the path of one text file"),
    (lambda tmp_path: tmp_path / "missing.txt", "no such file: give the path of the text to add"),
])
def test_refuses_what_is_not_a_regular_file_without_reading_it(archive, tmp_path, make_source, message):
    source = make_source(tmp_path)
    before = listing(archive)
    with pytest.raises(InputError) as error:
        add_article(archive, source, Given(), TODAY, display="the.txt")
    assert [str(p) for p in error.value.problems] == [f"the.txt: {message}"]
    assert listing(archive) == before


def test_refuses_a_text_larger_than_check_accepts(archive, tmp_path):
    source = tmp_path / "big.txt"
    source.write_bytes(b"Headline\n\n" + b"word " * 400_000)
    with pytest.raises(InputError) as error:
        add_article(archive, source, Given(), TODAY, display="big.txt")
    assert [str(p) for p in error.value.problems] == ["big.txt: is 2,000,010 bytes: expected at most 1,000,000 bytes for a seed (one article's text)"]


def test_an_add_killed_between_its_two_files_is_completed_by_the_next(archive):
    source = PAGES / sorted(p.name for p in PAGES.iterdir())[0]
    first = add_article(archive, source, Given(), TODAY)
    (archive / first.metadata_path).unlink()  # what a kill after the seed's link leaves
    again = add_article(archive, source, Given(), TODAY)
    assert (again.id, again.seed_path) == (first.id, first.seed_path)
    assert (archive / again.metadata_path).read_text() == first.metadata
    assert sorted(p.name for p in (archive / "seeds").iterdir()).count(Path(first.seed_path).name) == 1
    assert not [p for p in (archive / ".build").iterdir() if p.name != "lock"]


def test_a_failed_second_write_leaves_neither_file(archive, monkeypatch):
    from publisher.intake import add

    source = PAGES / sorted(p.name for p in PAGES.iterdir())[0]
    before = listing(archive)
    real_link, calls = os.link, []

    def link_then_fail(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_link(src, dst)

    monkeypatch.setattr(add.os, "link", link_then_fail)
    with pytest.raises(OSError):
        add_article(archive, source, Given(), TODAY)
    after = {path: data for path, data in listing(archive).items() if not path.startswith(".build/")}
    assert len(calls) == 2 and after == before
