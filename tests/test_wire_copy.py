"""Wire copy: a story whose first block starts with its headline, with no blank line after it, builds."""
from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

from conftest import repo_inputs, write_project

from publisher.intake.clean import classify_blocks
from publisher.model import FurnitureRules

# The openings of two stories of the keyphrase development set (500N-KPCrowd v1.1), as they are printed:
# the headline, then on the next line the story, which repeats the headline before the dateline.
CRUZ = ("Penelope Cruz gets Hollywood Walk of Fame star\n"
        "Penelope Cruz gets Hollywood Walk of Fame star (AP) LOS ANGELES (AP) — Penelope Cruz has been enshrined in "
        "concrete. The Oscar-winning actress unveiled her star on the Hollywood Walk of Fame star Friday, flanked by "
        "leading men Javier Bardem and Johnny Depp.\n")
NAIRAC = ("NIreland man acquitted over 1977 murder of soldier\n"
          "NIreland man acquitted over 1977 murder of soldier (AP) DUBLIN (AP) — A 60-year-old Northern Ireland man "
          "has been acquitted on charges he helped to kidnap, imprison and murder an undercover British soldier who was "
          "abducted from a border pub in 1977. The killing of Capt. Robert Nairac, who tried to pass himself off as a "
          "Belfast IRA man during intelligence-gathering missions, remains a mystery of the Northern Ireland conflict.\n")
AP_OUTLET = """
ap:
  name: The Associated Press
  country: United States
  language: en
  description: American news agency.
"""


def blocks_of(text: str, title: str):
    return classify_blocks([tuple(text.rstrip("\n").split("\n"))], title, (), FurnitureRules())


def test_the_headline_is_split_off_and_the_story_stays():
    head, story = blocks_of(CRUZ, "Penelope Cruz gets Hollywood Walk of Fame star")
    assert head.kind == "furniture" and head.lines == ("Penelope Cruz gets Hollywood Walk of Fame star",) * 2
    assert story.kind == "paragraph" and story.lines[0].startswith("(AP) LOS ANGELES (AP) — Penelope Cruz has been enshrined")
    assert "".join(head.lines + story.lines).replace(" ", "") == CRUZ.replace("\n", "").replace(" ", "")  # no word lost


def test_a_deck_repeating_the_headline_is_split_off_the_story():
    text = "Belarus closes border\nBelarus closes border as minister warns of attacks\nThe border closed at noon."
    head, story = blocks_of(text, "Belarus closes border")
    assert head.lines == ("Belarus closes border", "Belarus closes border")
    assert story.lines == ("as minister warns of attacks", "The border closed at noon.")


def test_a_block_that_is_only_the_headline_or_a_credit_after_it_stays_furniture():
    for text in ("Belarus closes border\nBelarus  closes border\n", "Belarus closes border\nIsrael today\n"):
        (block,) = blocks_of(text, "Belarus closes border")
        assert block.kind == "furniture" and block.reason == "headline, shown as the page title"


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=root, capture_output=True, text=True)


def test_wire_stories_added_with_add_build_and_show_their_first_sentence(tmp_path):
    files = repo_inputs()
    files["metadata/outlets.yml"] = files["metadata/outlets.yml"] + AP_OUTLET.encode()
    root = write_project(tmp_path / "archive", files)
    for name, text, date in (("cruz.txt", CRUZ, "2011-04-01"), ("nairac.txt", NAIRAC, "2011-04-08")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        added = run(root, "add", str(tmp_path / name), "--outlet", "ap", "--date", date, "--topic", "belarusian-opposition")
        assert added.returncode == 0, added.stderr
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    for slug, first in (("penelope-cruz-gets-hollywood-walk-of-fame-star", "Penelope Cruz has been enshrined in concrete."),
                        ("nireland-man-acquitted-over-1977-murder-of-soldier",
                         "A 60-year-old Northern Ireland man has been acquitted on charges")):
        page = html.unescape((root / f"site/articles/{slug}/index.html").read_text(encoding="utf-8"))
        assert first in page, slug


def test_the_clean_memo_keeps_a_split_block():
    from publisher.intake.clean_stage import from_kinds, to_kinds
    from publisher.intake.text import split_blocks

    title = "Penelope Cruz gets Hollywood Walk of Fame star"
    text = CRUZ + "\nShe was joined by her mother.\n"
    blocks = classify_blocks(split_blocks(text), title, (), FurnitureRules())
    kinds = to_kinds(blocks, split_blocks(text))
    assert kinds == ("split", "paragraph")
    assert from_kinds(text, kinds, title) == blocks
    assert from_kinds(text, kinds, "Another title") is None  # the memo is ignored, the article cleaned again
