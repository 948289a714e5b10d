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


def yaml_alias_bomb() -> str:
    """Make nine levels of nine aliases each: a billion 'lol's once expanded."""
    lol = ",".join(['"lol"'] * 9)
    return f"a: &a [{lol}]\n" + "".join(f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def today_utc() -> str:
    """Return today's date in UTC as YYYY-MM-DD."""
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


TEN_MEGABYTE_SEED = (b"All work and no play.\n" * 476_626)[:10 * 1024 * 1024]
TEN_MEGABYTE_METADATA = ALPHA_YML + "# padding\n" * (1024 * 1024)
WRONG_TYPES = "title: 42\noutlet: daily-planet\ndate: true\ntopics:\n  - border\nauthors: Jane Reporter\n"
BETA_WITH_ALPHAS_TITLE = "title: Troops Gather at the Border\noutlet: gazette\ndate: 2022-10\ntopics:\n  - alliance\n"
SLUGS_THAT_LEAVE_THEIR_FOLDER = {"parent": "../evil", "absolute": "/etc/passwd", "subfolder": "articles/evil",
                                 "dot-dot": "..", "extension": "evil.md"}
URLS_THAT_ARE_NOT_HTTP = {"javascript": "javascript:alert(1)", "data": "data:text/html,<script>alert(1)</script>",
                          "protocol-relative": "//evil.example/x", "ftp": "ftp://files.example/x",
                          "space": "https://example.org/a b"}
CONTROL_CHARACTER_IN_SEED = "a seed must be plain text (tabs and line ends are the only control characters allowed)"
BIDI_CONTROL = "which reorders the text around it: remove it (right-to-left text needs no control characters)"

REFUSED = [
    # Encodings and bytes
    pytest.param({ALPHA: b"Headline\n\nCaf\xe9 society\n"},
                 [f"{ALPHA}:3: not valid UTF-8 (byte 0xe9 at offset 13): save the file as UTF-8"],
                 id="seed-not-utf8"),
    pytest.param({ALPHA_META: ALPHA_YML.encode().replace(b"Jane", b"J\xe9ne")},
                 [f"{ALPHA_META}:8: not valid UTF-8: save the file as UTF-8"],
                 id="metadata-not-utf8"),
    pytest.param({ALPHA: b"Headline\n\nA\x00B\n"},
                 [f"{ALPHA}:3: contains a NUL byte: a seed must be plain text"],
                 id="seed-nul-byte"),
    pytest.param({ALPHA_META: ALPHA_YML.replace("Jane", "Ja\x00ne")},
                 [f"{ALPHA_META}:8: contains the control character U+0000: a YAML file must be plain text"],
                 id="metadata-nul-byte"),
    # STX and ETX wrap Python-Markdown's stash placeholders, and Markdown deletes them from its
    # input: refused, so no text can name a stashed block and no word silently disappears.
    pytest.param({ALPHA: "Headline\n\nA\x02wzxhzdk:0\x03B\n"},
                 [f"{ALPHA}:3: contains the control character U+0002: {CONTROL_CHARACTER_IN_SEED}"],
                 id="seed-markdown-placeholder"),
    # U+0080-U+009F in a seed is nearly always Windows-1252 read as Latin-1 (mojibake).
    pytest.param({ALPHA: "Headline\n\nIt\u0092s late\n"},
                 [f"{ALPHA}:3: contains the control character U+0092: {CONTROL_CHARACTER_IN_SEED}"],
                 id="seed-c1-control"),
    pytest.param({ALPHA_META: alpha_yml(title='title: "Troops \\x02wzxhzdk:0\\x03 Gather"')},
                 [f"{ALPHA_META}:1: title: contains the control character U+0002: expected printable text"],
                 id="title-markdown-placeholder"),
    # Empty and oversized files
    pytest.param({ALPHA: b""},
                 [f"{ALPHA}: the file is empty: a seed holds the article's text"],
                 id="seed-empty"),
    pytest.param({ALPHA: b"\n \r\n\t\n"},
                 [f"{ALPHA}: the file is empty: a seed holds the article's text"],
                 id="seed-blank-lines-only"),
    pytest.param({ALPHA_META: b""},
                 [f"{ALPHA_META}:1: every article: expected a mapping of fields, got nothing"],
                 id="metadata-empty"),
    pytest.param({ALPHA: TEN_MEGABYTE_SEED},
                 [f"{ALPHA}: is 10,485,760 bytes: expected at most 1,000,000 bytes for a seed (one article's text)"],
                 id="seed-ten-megabytes"),
    pytest.param({ALPHA_META: TEN_MEGABYTE_METADATA},
                 [f"{ALPHA_META}: is {len(TEN_MEGABYTE_METADATA):,} bytes: expected at most 1,000,000 bytes for a YAML file"],
                 id="metadata-ten-megabytes"),
    pytest.param({ALPHA: "Headline\n\n" + "word " * 20_000 + "\n"},
                 [f"{ALPHA}:3: line is 100,000 characters long: expected at most 20,000; paragraphs are separated by blank lines"],
                 id="seed-100000-character-line"),
    pytest.param({ALPHA_META: alpha_yml(title="title: " + "x" * 100_000)},
                 [f"{ALPHA_META}:1: title: is 100000 characters long: expected at most 300"],
                 id="title-100000-characters"),
    # Invisible and direction-changing characters in one-line text
    pytest.param({ALPHA_META: alpha_yml(title="title: Troops\u200bGather at the Border")},
                 [f"{ALPHA_META}:1: title: contains the invisible character U+200B ZERO WIDTH SPACE: remove it"],
                 id="title-zero-width-space"),
    pytest.param({ALPHA_META: alpha_yml(title="title: Troops \u202eredroB eht ta rehtaG")},
                 [f"{ALPHA_META}:1: title: contains the bidirectional control U+202E RIGHT-TO-LEFT OVERRIDE, {BIDI_CONTROL}"],
                 id="title-right-to-left-override"),
    pytest.param({ALPHA_META: ALPHA_YML.replace("Jane Reporter", "Jane \u2067Reporter")},
                 [f"{ALPHA_META}:7: authors: contains the bidirectional control U+2067 RIGHT-TO-LEFT ISOLATE, {BIDI_CONTROL}"],
                 id="author-right-to-left-isolate"),
    pytest.param({ALPHA_META: alpha_yml(title="title: Troops Gather in Bela\u200drus")},
                 [f"{ALPHA_META}:1: title: contains the invisible character U+200D ZERO WIDTH JOINER: remove it "
                  "(kept only between two letters of Indic words, or inside an emoji sequence)"],
                 id="title-zero-width-joiner"),
    pytest.param({ALPHA_META: alpha_yml(title="title: Troops Gather in Bela\u200crus")},
                 [f"{ALPHA_META}:1: title: contains the invisible character U+200C ZERO WIDTH NON-JOINER: remove it "
                  "(kept only between two letters of Arabic-script (Persian), Syriac or Indic words)"],
                 id="title-zero-width-non-joiner"),
    pytest.param({ALPHA_META: alpha_yml(title="title: Troops Gather at the Bor\u00adder")},
                 [f"{ALPHA_META}:1: title: contains the invisible character U+00AD SOFT HYPHEN: remove it"],
                 id="title-soft-hyphen"),
    pytest.param({ALPHA_META: alpha_yml(title="title: Troops Gather\u200e at the Border")},
                 [f"{ALPHA_META}:1: title: contains the bidirectional control U+200E LEFT-TO-RIGHT MARK, {BIDI_CONTROL}"],
                 id="title-left-to-right-mark"),
    pytest.param({ALPHA_META: ALPHA_YML.replace("Jane Reporter", "Jane\u061c Reporter")},
                 [f"{ALPHA_META}:7: authors: contains the bidirectional control U+061C ARABIC LETTER MARK, {BIDI_CONTROL}"],
                 id="author-arabic-letter-mark"),
    pytest.param({"metadata/outlets.yml": OUTLETS_YML.replace("name: Daily Planet", "name: Daily Planet\u200f")},
                 [f"metadata/outlets.yml:2: daily-planet.name: contains the bidirectional control U+200F RIGHT-TO-LEFT MARK, {BIDI_CONTROL}"],
                 id="outlet-name-right-to-left-mark"),
    pytest.param({"metadata/topics.yml": TOPICS_YML.replace("Two countries and their treaty.", "Two countries\U000e0041 and their treaty.")},
                 ["metadata/topics.yml:6: alliance.description: contains the invisible character U+E0041 TAG LATIN CAPITAL LETTER A: remove it"],
                 id="topic-description-tag-character"),
    pytest.param({"metadata/outlets.yml": OUTLETS_YML.replace("name: Daily Planet", 'name: "Daily\\LPlanet"')},
                 ["metadata/outlets.yml:2: daily-planet.name: contains the control character U+2028: expected printable text"],
                 id="outlet-name-line-separator"),
    # YAML
    pytest.param({ALPHA_META: alpha_yml(outlet="outlet: [daily-planet")},
                 [f"{ALPHA_META}:3: YAML syntax error: expected ',' or ']', but got ':'"],
                 id="yaml-syntax-error"),
    pytest.param({ALPHA_META: alpha_yml(title="title: !!python/object/apply:os.system ['touch pwned']")},
                 [f"{ALPHA_META}:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: use plain values"],
                 id="yaml-python-tag"),
    pytest.param({ALPHA_META: alpha_yml(title="title: !include secrets.yml")},
                 [f"{ALPHA_META}:1: YAML tag '!include' is not allowed: use plain values"],
                 id="yaml-local-tag"),
    pytest.param({ALPHA_META: ALPHA_YML + yaml_alias_bomb()},
                 [f"{ALPHA_META}:10: YAML anchors and aliases (& and *) are not allowed"],
                 id="yaml-alias-bomb"),
    pytest.param({ALPHA_META: ALPHA_YML + "title: Another title\n"},
                 [f"{ALPHA_META}:10: title: appears twice in the same mapping"],
                 id="yaml-duplicate-key"),
    # Wrong types and dates
    pytest.param({ALPHA_META: WRONG_TYPES},
                 [f"{ALPHA_META}:1: title: expected text, got a number 42",
                  f"{ALPHA_META}:3: date: True is not a date: expected YYYY-MM-DD, or YYYY-MM or YYYY when the text supports no more",
                  f"{ALPHA_META}:6: authors: expected a list, got text 'Jane Reporter'"],
                 id="wrong-types"),
    pytest.param({ALPHA_META: alpha_yml(date="date: 2023-02-30")},
                 [f"{ALPHA_META}:3: date: '2023-02-30' is not a real date: expected YYYY-MM-DD, YYYY-MM or YYYY"],
                 id="date-impossible"),
    pytest.param({ALPHA_META: alpha_yml(date="date: 2999-01-01")},
                 [f"{ALPHA_META}:3: date: '2999-01-01' is in the future (today is {today_utc()})"],
                 id="date-in-the-future"),
    # Duplicates
    pytest.param({"metadata/001_alpha.yaml": ALPHA_YML},
                 [f"{ALPHA_META}: is a second metadata file for '001_alpha' after metadata/001_alpha.yaml: keep one"],
                 id="two-metadata-files-for-one-seed"),
    pytest.param({"seeds/001_ALPHA.txt": ALPHA_TXT, "metadata/001_ALPHA.yml": alpha_yml(slug="slug: upper-alpha")},
                 ["seeds/001_alpha.txt: id '001_alpha' differs from seeds/001_ALPHA.txt only in case: give it an id of its own (file systems that ignore case would mix them up)"],
                 id="seed-ids-differ-only-in-case"),
    pytest.param({"metadata/002_beta.yml": BETA_WITH_ALPHAS_TITLE},
                 ["metadata/002_beta.yml:1: slug: 'troops-gather-at-the-border' is already used by metadata/001_alpha.yml: give this article its own slug"],
                 id="duplicate-slug"),
    pytest.param({"metadata/outlets.yml": OUTLETS_YML + "gazette:\n  name: The Gazette again\n"},
                 ["metadata/outlets.yml:16: gazette: appears twice in the same mapping"],
                 id="duplicate-outlet-id"),
    # Names that try to leave their folder
    *(pytest.param({ALPHA_META: alpha_yml(slug=f"slug: '{slug}'")}, [f"{ALPHA_META}:10: slug: '{slug}' {NOT_A_SLUG}"],
                   id=f"slug-{name}")
      for name, slug in SLUGS_THAT_LEAVE_THEIR_FOLDER.items()),
    pytest.param({ALPHA_META: alpha_yml(outlet="outlet: ../daily-planet")},
                 [f"{ALPHA_META}:2: outlet: '../daily-planet' is not an id: expected lowercase ASCII letters, digits and hyphens"],
                 id="outlet-id-leaves-its-folder"),
    pytest.param({"metadata/topics.yml": TOPICS_YML + "/etc/border:\n  title: The border\n  description: Events on the border.\n"},
                 ["metadata/topics.yml:7: id '/etc/border' is not an id: expected lowercase ASCII letters, digits and hyphens"],
                 id="registry-id-leaves-its-folder"),
    # URLs
    *(pytest.param({ALPHA_META: alpha_yml(source_url=f"source_url: '{url}'")}, [f"{ALPHA_META}:9: source_url: '{url}' {NOT_A_URL}"],
                   id=f"url-{name}")
      for name, url in URLS_THAT_ARE_NOT_HTTP.items()),
    pytest.param({"metadata/outlets.yml": OUTLETS_YML.replace("https://dailyplanet.example/", "javascript:alert(document.cookie)//")},
                 [f"metadata/outlets.yml:3: daily-planet.homepage: 'javascript:alert(document.cookie)//' {NOT_A_URL}"],
                 id="outlet-homepage-not-http"),
    # Registries
    pytest.param({"metadata/outlets.yml": None},
                 ["metadata/outlets.yml: file is missing"],
                 id="outlet-registry-missing"),
    pytest.param({"metadata/topics.yml": None},
                 ["metadata/topics.yml: file is missing"],
                 id="topic-registry-missing"),
    pytest.param({"metadata/outlets.yml": "- daily-planet\n- gazette\n"},
                 ["metadata/outlets.yml:1: expected a mapping from id to entry, got a list"],
                 id="registry-is-a-list"),
    pytest.param({"metadata/topics.yml": ""},
                 ["metadata/topics.yml:1: expected a mapping from id to entry, got nothing"],
                 id="registry-empty"),
    pytest.param({"metadata/topics.yml": TOPICS_YML.replace("  description: Two countries and their treaty.\n", "")},
                 ["metadata/topics.yml:4: alliance.description: missing; a topic needs one"],
                 id="registry-entry-missing-a-field"),
    pytest.param({"metadata/outlets.yml": OUTLETS_YML.replace("name: Daily Planet", "name: 'Daily Planet")},
                 ["metadata/outlets.yml:8: YAML syntax error: expected <block end>, but found '<scalar>'"],
                 id="registry-yaml-syntax-error"),
]


@pytest.mark.parametrize("overrides, expected", REFUSED)
def test_bad_input_is_refused_with_exactly_its_problems(make_project, overrides, expected):
    assert_refused(make_project, overrides, *expected)


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


def test_an_article_with_nothing_to_read_is_refused_with_how_to_fix_it(make_project):
    """A text whose every block is the headline or furniture (a block that goes on after its headline
    keeps the rest: tests/test_wire_copy.py)."""
    import subprocess
    import sys

    root = make_project({"seeds/002_beta.txt": "Treaty Talks Resume\nTreaty Talks Resume\n\nREAD MORE: Something else entirely\n"})
    for command in (["build.py", "check"], ["build.py"]):
        done = subprocess.run([sys.executable, *command], cwd=root, capture_output=True, text=True)
        assert done.returncode == 1, done.stdout
        assert "seeds/002_beta.txt: no text to read: every block of it is the headline or page furniture." in done.stderr
        assert "put a blank line between the paragraphs" in done.stderr
    assert not (root / "site").exists()
