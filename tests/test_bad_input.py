"""The catalogue of bad input: the build names file, line, field and what is expected, and writes nothing.

Each case builds, in this process, a fixture project that already holds a previous site: validation
must refuse it with exactly the problems given, and every file of the project, inputs and previous
site alike, must be byte-identical afterwards. What the command line adds (each problem on its own
line of stderr, the count, exit status 1) is checked once here and in test_cli.py.
The last cases are input that looks odd but is accepted (encodings, line ends, scripts), built for real.
"""
from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ALPHA_TXT, ALPHA_YML, OUTLETS_YML, TOPICS_YML
from publisher.model import InputError
from publisher.pipeline import build_site

ALPHA = "seeds/001_alpha.txt"
ALPHA_META = "metadata/001_alpha.yml"
NOT_A_SLUG = "is not a slug: expected lowercase ASCII letters, digits and single hyphens, at most 80 characters, like 'kiev-regime-sends-troops'"
NOT_A_URL = "is not an http(s) URL: expected one like 'https://example.org/article'"
PREVIOUS_SITE = {"site_src/index.md": b"# The previous build\n", "site/index.html": b"<p>The previous build</p>\n"}


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python build.py` in the project folder, as a user runs it."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "build.py", *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file and folder under root: bytes for files, the target for links, '' for folders."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[rel] = ""
            else:
                found[rel] = path.read_bytes()
    return found


def assert_refused(make_project, overrides: dict, *expected: str) -> None:
    """The build refuses with exactly these problems and changes no file."""
    root = make_project({**PREVIOUS_SITE, **overrides})
    before = snapshot(root)
    with pytest.raises(InputError) as error:
        build_site(root)
    assert [str(problem) for problem in error.value.problems] == list(expected)
    assert snapshot(root) == before


def test_the_command_line_prints_each_problem_then_the_count_exits_1_and_writes_nothing(make_project):
    root = make_project({**PREVIOUS_SITE, ALPHA: b"Headline\n\nCaf\xe9 society\n", ALPHA_META: ALPHA_YML + "title: Again\n"})
    before = snapshot(root)
    result = run_build(root)
    assert result.stderr.splitlines() == [
        f"{ALPHA_META}:10: title: appears twice in the same mapping",
        f"{ALPHA}:3: not valid UTF-8 (byte 0xe9 at offset 13): save the file as UTF-8",
        "2 problems found; nothing was written.",
    ]
    assert (result.returncode, result.stdout) == (1, "")
    assert snapshot(root) == before


def alpha_yml(**fields: str) -> str:
    """The fixture article's metadata with some lines replaced ('key: value' text) or added."""
    lines = ALPHA_YML.splitlines()
    for key, line in fields.items():
        index = next((i for i, old in enumerate(lines) if old.startswith(f"{key}:")), None)
        if index is None:
            lines.append(line)
        else:
            lines[index] = line
    return "\n".join(lines) + "\n"


# Encodings and bytes

def test_seed_that_is_not_utf8(make_project):
    assert_refused(make_project, {ALPHA: b"Headline\n\nCaf\xe9 society\n"},
                   f"{ALPHA}:3: not valid UTF-8 (byte 0xe9 at offset 13): save the file as UTF-8")


def test_metadata_that_is_not_utf8(make_project):
    assert_refused(make_project, {ALPHA_META: ALPHA_YML.encode().replace(b"Jane", b"J\xe9ne")},
                   f"{ALPHA_META}:8: not valid UTF-8: save the file as UTF-8")


def test_seed_with_a_nul_byte(make_project):
    assert_refused(make_project, {ALPHA: b"Headline\n\nA\x00B\n"},
                   f"{ALPHA}:3: contains a NUL byte: a seed must be plain text")


def test_metadata_with_a_nul_byte(make_project):
    assert_refused(make_project, {ALPHA_META: ALPHA_YML.replace("Jane", "Ja\x00ne")},
                   f"{ALPHA_META}:8: contains the control character U+0000: a YAML file must be plain text")


def test_seed_with_markdown_placeholder_characters(make_project):
    # STX and ETX wrap Python-Markdown's stash placeholders, and Markdown deletes them from its
    # input: refused, so no text can name a stashed block and no word silently disappears.
    assert_refused(make_project, {ALPHA: "Headline\n\nA\x02wzxhzdk:0\x03B\n"},
                   f"{ALPHA}:3: contains the control character U+0002: a seed must be plain text (tabs and line ends are the only control characters allowed)")


def test_seed_with_a_c1_control_character(make_project):
    # U+0080-U+009F in a seed is nearly always Windows-1252 read as Latin-1 (mojibake).
    assert_refused(make_project, {ALPHA: "Headline\n\nIt\u0092s late\n"},
                   f"{ALPHA}:3: contains the control character U+0092: a seed must be plain text (tabs and line ends are the only control characters allowed)")


def test_markdown_placeholder_characters_in_a_title(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(title='title: "Troops \\x02wzxhzdk:0\\x03 Gather"')},
                   f"{ALPHA_META}:1: title: contains the control character U+0002: expected printable text")


# Empty and oversized files

def test_empty_seed(make_project):
    assert_refused(make_project, {ALPHA: b""}, f"{ALPHA}: the file is empty: a seed holds the article's text")


def test_seed_of_blank_lines_only(make_project):
    assert_refused(make_project, {ALPHA: b"\n \r\n\t\n"}, f"{ALPHA}: the file is empty: a seed holds the article's text")


def test_empty_metadata(make_project):
    assert_refused(make_project, {ALPHA_META: b""}, f"{ALPHA_META}:1: every article: expected a mapping of fields, got nothing")


def test_ten_megabyte_seed(make_project):
    assert_refused(make_project, {ALPHA: (b"All work and no play.\n" * 476_626)[:10 * 1024 * 1024]},
                   f"{ALPHA}: is 10,485,760 bytes: expected at most 1,000,000 bytes for a seed (one article's text)")


def test_ten_megabyte_metadata(make_project):
    padded = ALPHA_YML + "# padding\n" * (1024 * 1024)
    assert_refused(make_project, {ALPHA_META: padded},
                   f"{ALPHA_META}: is {len(padded):,} bytes: expected at most 1,000,000 bytes for a YAML file")


def test_seed_with_a_100000_character_line(make_project):
    assert_refused(make_project, {ALPHA: "Headline\n\n" + "word " * 20_000 + "\n"},
                   f"{ALPHA}:3: line is 100,000 characters long: expected at most 20,000; paragraphs are separated by blank lines")


def test_title_of_100000_characters(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(title="title: " + "x" * 100_000)},
                   f"{ALPHA_META}:1: title: is 100000 characters long: expected at most 300")


# Invisible and direction-changing characters in one-line text

def test_zero_width_space_in_a_title(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(title="title: Troops\u200bGather at the Border")},
                   f"{ALPHA_META}:1: title: contains the invisible character U+200B ZERO WIDTH SPACE: remove it")


def test_right_to_left_override_in_a_title(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(title="title: Troops \u202eredroB eht ta rehtaG")},
                   f"{ALPHA_META}:1: title: contains the bidirectional control U+202E RIGHT-TO-LEFT OVERRIDE, which reorders the text around it: remove it (right-to-left text needs no control characters)")


def test_right_to_left_isolate_in_an_author(make_project):
    assert_refused(make_project, {ALPHA_META: ALPHA_YML.replace("Jane Reporter", "Jane \u2067Reporter")},
                   f"{ALPHA_META}:7: authors: contains the bidirectional control U+2067 RIGHT-TO-LEFT ISOLATE, which reorders the text around it: remove it (right-to-left text needs no control characters)")


def test_line_separator_in_an_outlet_name(make_project):
    outlets = OUTLETS_YML.replace("name: Daily Planet", 'name: "Daily\\LPlanet"')
    assert_refused(make_project, {"metadata/outlets.yml": outlets},
                   "metadata/outlets.yml:2: daily-planet.name: contains the control character U+2028: expected printable text")


# YAML

def test_yaml_syntax_error(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(outlet="outlet: [daily-planet")},
                   f"{ALPHA_META}:3: YAML syntax error: expected ',' or ']', but got ':'")


def test_yaml_python_tag(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(title="title: !!python/object/apply:os.system ['touch pwned']")},
                   f"{ALPHA_META}:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: use plain values")


def test_yaml_local_tag(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(title="title: !include secrets.yml")},
                   f"{ALPHA_META}:1: YAML tag '!include' is not allowed: use plain values")


def test_yaml_alias_bomb(make_project):
    lol = ",".join(['"lol"'] * 9)
    bomb = f"a: &a [{lol}]\n" + "".join(f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    assert_refused(make_project, {ALPHA_META: ALPHA_YML + bomb},
                   f"{ALPHA_META}:10: YAML anchors and aliases (& and *) are not allowed")


def test_yaml_duplicate_key(make_project):
    assert_refused(make_project, {ALPHA_META: ALPHA_YML + "title: Another title\n"},
                   f"{ALPHA_META}:10: title: appears twice in the same mapping")


# Wrong types and dates

def test_wrong_types(make_project):
    metadata = "title: 42\noutlet: daily-planet\ndate: true\ntopics:\n  - border\nauthors: Jane Reporter\n"
    assert_refused(make_project, {ALPHA_META: metadata},
                   f"{ALPHA_META}:1: title: expected text, got a number 42",
                   f"{ALPHA_META}:3: date: True is not a date: expected YYYY-MM-DD, or YYYY-MM or YYYY when the text supports no more",
                   f"{ALPHA_META}:6: authors: expected a list, got text 'Jane Reporter'")


def test_impossible_date(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(date="date: 2023-02-30")},
                   f"{ALPHA_META}:3: date: '2023-02-30' is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY")


def test_future_date(make_project):
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert_refused(make_project, {ALPHA_META: alpha_yml(date="date: 2999-01-01")},
                   f"{ALPHA_META}:3: date: '2999-01-01' is in the future (today is {today})")


# Duplicates

def test_two_metadata_files_for_one_seed(make_project):
    assert_refused(make_project, {"metadata/001_alpha.yaml": ALPHA_YML},
                   f"{ALPHA_META}: is a second metadata file for '001_alpha' after metadata/001_alpha.yaml: keep one")


def test_seed_ids_that_differ_only_in_case(make_project):
    assert_refused(make_project, {"seeds/001_ALPHA.txt": ALPHA_TXT, "metadata/001_ALPHA.yml": alpha_yml(slug="slug: upper-alpha")},
                   "seeds/001_alpha.txt: id '001_alpha' differs from seeds/001_ALPHA.txt only in case: give it an id of its own (file systems that ignore case would mix them up)")


def test_duplicate_slug(make_project):
    beta = "title: Troops Gather at the Border\noutlet: gazette\ndate: 2022-10\ntopics:\n  - alliance\n"
    assert_refused(make_project, {"metadata/002_beta.yml": beta},
                   "metadata/002_beta.yml:1: slug: 'troops-gather-at-the-border' is already used by metadata/001_alpha.yml: give this article its own slug")


def test_duplicate_outlet_id(make_project):
    assert_refused(make_project, {"metadata/outlets.yml": OUTLETS_YML + "gazette:\n  name: The Gazette again\n"},
                   "metadata/outlets.yml:16: gazette: appears twice in the same mapping")


# Names that try to leave their folder

@pytest.mark.parametrize("slug", ["../evil", "/etc/passwd", "articles/evil", "..", "evil.md"])
def test_slug_that_leaves_its_folder(make_project, slug):
    assert_refused(make_project, {ALPHA_META: alpha_yml(slug=f"slug: '{slug}'")}, f"{ALPHA_META}:10: slug: '{slug}' {NOT_A_SLUG}")


def test_outlet_id_that_leaves_its_folder(make_project):
    assert_refused(make_project, {ALPHA_META: alpha_yml(outlet="outlet: ../daily-planet")},
                   f"{ALPHA_META}:2: outlet: '../daily-planet' is not an id: expected lowercase ASCII letters, digits and hyphens")


def test_registry_id_that_leaves_its_folder(make_project):
    topics = TOPICS_YML + "/etc/border:\n  title: The border\n  description: Events on the border.\n"
    assert_refused(make_project, {"metadata/topics.yml": topics},
                   "metadata/topics.yml:7: id '/etc/border' is not an id: expected lowercase ASCII letters, digits and hyphens")


def test_seed_that_is_a_symbolic_link(make_project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("A private key\n\nthat must never be published\n")
    root = make_project({**PREVIOUS_SITE, ALPHA: None})
    (root / ALPHA).symlink_to(secret)
    before = snapshot(root)
    result = run_build(root)
    assert result.stderr.splitlines() == [
        f"{ALPHA_META}: has no seed: expected seeds/001_alpha.txt",
        f"{ALPHA}: is not a plain file (a symbolic link or a folder): seeds and metadata must be plain files in the repository",
        "2 problems found; nothing was written.",
    ]
    assert result.returncode == 1
    assert snapshot(root) == before


# URLs

@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "//evil.example/x", "ftp://files.example/x", "https://example.org/a b"])
def test_url_that_is_not_http(make_project, url):
    assert_refused(make_project, {ALPHA_META: alpha_yml(source_url=f"source_url: '{url}'")},
                   f"{ALPHA_META}:9: source_url: '{url}' {NOT_A_URL}")


def test_outlet_homepage_that_is_not_http(make_project):
    outlets = OUTLETS_YML.replace("https://dailyplanet.example/", "javascript:alert(document.cookie)//")
    assert_refused(make_project, {"metadata/outlets.yml": outlets},
                   f"metadata/outlets.yml:3: daily-planet.homepage: 'javascript:alert(document.cookie)//' {NOT_A_URL}")


# Registries

def test_missing_outlet_registry(make_project):
    assert_refused(make_project, {"metadata/outlets.yml": None}, "metadata/outlets.yml: file is missing")


def test_missing_topic_registry(make_project):
    assert_refused(make_project, {"metadata/topics.yml": None}, "metadata/topics.yml: file is missing")


def test_registry_that_is_a_list(make_project):
    assert_refused(make_project, {"metadata/outlets.yml": "- daily-planet\n- gazette\n"},
                   "metadata/outlets.yml:1: expected a mapping from id to entry, got a list")


def test_empty_registry(make_project):
    assert_refused(make_project, {"metadata/topics.yml": ""},
                   "metadata/topics.yml:1: expected a mapping from id to entry, got nothing")


def test_registry_entry_missing_a_field(make_project):
    topics = TOPICS_YML.replace("  description: Two countries and their treaty.\n", "")
    assert_refused(make_project, {"metadata/topics.yml": topics},
                   "metadata/topics.yml:4: alliance.description: missing; a topic needs one")


def test_registry_with_a_yaml_syntax_error(make_project):
    assert_refused(make_project, {"metadata/outlets.yml": OUTLETS_YML.replace("name: Daily Planet", "name: 'Daily Planet")},
                   "metadata/outlets.yml:8: YAML syntax error: expected <block end>, but found '<scalar>'")


# Accepted: odd but valid input builds, and the page shows the words

def build_ok(make_project, overrides: dict) -> Path:
    root = make_project(overrides)
    inputs = {rel: data for rel, data in snapshot(root).items() if rel.startswith(("seeds/", "metadata/"))}
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Built 2 articles into site_src/ and site/.\n"
    assert {rel: data for rel, data in snapshot(root).items() if rel.startswith(("seeds/", "metadata/"))} == inputs
    return root


def paragraphs(root: Path, slug: str) -> list[str]:
    markdown = (root / "site_src" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
    body = markdown.split('<div class="archive-text"', 1)[1].split("</div>", 1)[0]
    return [line for line in body.splitlines() if line.startswith("<p>")]


def test_byte_order_mark_crlf_and_cr_line_ends_are_read_as_lf(make_project):
    alpha = "\ufeff" + ALPHA_TXT.replace("\n", "\r\n")
    beta = "Treaty Talks Resume\r\rNegotiators met in the capital.\rThey talked.\r"
    root = build_ok(make_project, {ALPHA: alpha.encode(), "seeds/002_beta.txt": beta.encode(),
                                   ALPHA_META: ("\ufeff" + ALPHA_YML.replace("\n", "\r\n")).encode()})
    assert paragraphs(root, "troops-gather-at-the-border") == [
        "<p>Troops gathered at the northern border on Monday, officials said.</p>",
        "<p>The alliance treaty obliges both countries to respond to any attack.</p>",
    ]
    assert paragraphs(root, "treaty-talks-resume") == ["<p>Negotiators met in the capital.<br>They talked.</p>"]
    # the published original keeps the file's bytes, BOM and line ends included
    assert (root / "site" / "raw" / "001_alpha.txt").read_bytes() == alpha.encode()
    assert (root / "site" / "raw" / "002_beta.txt").read_bytes() == beta.encode()


def test_cyrillic_and_belarusian_titles_get_transliterated_slugs(make_project):
    root = build_ok(make_project, {
        ALPHA_META: alpha_yml(title="title: Лукашэнка сустрэўся з Пуціным"),
        "metadata/002_beta.yml": "title: Путин встретился с Лукашенко\noutlet: gazette\ndate: 2022-10\ntopics:\n  - alliance\n",
    })
    belarusian = (root / "site" / "articles" / "lukashenka-sustreusia-z-putsinym" / "index.html").read_text(encoding="utf-8")
    russian = (root / "site" / "articles" / "putin-vstretilsia-s-lukashenko" / "index.html").read_text(encoding="utf-8")
    assert "<title>Лукашэнка сустрэўся з Пуціным - News Corpus Archive</title>" in belarusian
    assert "<title>Путин встретился с Лукашенко - News Corpus Archive</title>" in russian


def test_right_to_left_and_zero_width_characters_in_a_seed_stay_in_their_paragraph(make_project):
    # In the body they are part of the words and are kept; each paragraph is its own HTML block,
    # where the browser's bidirectional algorithm ends any embedding.
    text = "Headline\n\nשלום \u202eevil\u202c and zero\u200bwidth\n\nمرحبا بالعالم\n"
    root = build_ok(make_project, {ALPHA: text})
    assert paragraphs(root, "troops-gather-at-the-border") == [
        "<p>Headline</p>",
        "<p>שלום \u202eevil\u202c and zero\u200bwidth</p>",
        "<p>مرحبا بالعالم</p>",
    ]


def test_arabic_title_is_accepted(make_project):
    root = build_ok(make_project, {ALPHA_META: alpha_yml(title="title: مرحبا بالعالم")})
    page = (root / "site" / "articles" / "mrhb-bl-lm" / "index.html").read_text(encoding="utf-8")
    assert "<title>مرحبا بالعالم - News Corpus Archive</title>" in page
