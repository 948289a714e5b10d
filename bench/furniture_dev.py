#!/usr/bin/env python3
"""Run the cleaner over a folder of news stories and list every block it hides, to read for lost prose.

  python -m bench.furniture_dev [FOLDER]    (default: ../shared/keyphrases/kpcrowd-dev/docsutf8)

Each file is a story: its first line the headline, then the text, one paragraph a line (the
500N-KPCrowd layout: each line is taken as a block, as a blank line would make it). Only
the general markers (metadata/furniture.yml) and the built-in rules apply: these stories come from
outlets the archive has no markers for, so whatever is hidden here is hidden by a general rule.
Prints each hidden block with its file and reason, then the count per reason.

--sentences makes each sentence a block of its own (the set's paragraphs are long lines): a harder
test, since a rule about one short line then meets every sentence of the set.
"""
from __future__ import annotations

import argparse
import collections
import datetime
import re
import sys
from pathlib import Path

from publisher.intake.clean import classify_blocks
from publisher.intake.load import load_project
from publisher.intake.text import split_blocks
from publisher.intake.validate import validate_project

REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO.parent / "shared" / "keyphrases" / "kpcrowd-dev" / "docsutf8"
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z\"“‘'])")


def read_blocks(path: Path, sentences: bool = False) -> list[str]:
    """The story's headline, then its paragraphs (or sentences), one block each."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    if sentences:
        lines = lines[:1] + [part for line in lines[1:] for part in SENTENCE_END.split(line)]
    return lines


def hidden_blocks(folder: Path, sentences: bool = False) -> list[tuple[str, str, str]]:
    """(file name, reason, text) of every block the cleaner hides in folder's stories."""
    rules = validate_project(load_project(REPO), datetime.date.today())[0].general_rules
    found = []
    for path in sorted(folder.glob("*.txt")):
        blocks = read_blocks(path, sentences)
        for block in classify_blocks(split_blocks("\n\n".join(blocks)), blocks[0], (), rules):
            if block.kind == "furniture":
                found.append((path.name, block.reason, "\n".join(block.lines)))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=DEV_SET)
    parser.add_argument("--sentences", action="store_true", help="each sentence a block")
    args = parser.parse_args(argv)
    found = hidden_blocks(args.folder, args.sentences)
    stories = len(list(args.folder.glob("*.txt")))
    blocks = sum(len(read_blocks(path, args.sentences)) for path in args.folder.glob("*.txt"))
    for name, reason, text in found:
        print(f"{name}: {reason}: {text[:300]!r}")
    print(f"{stories} stories, {blocks} blocks, {len(found)} hidden:")
    for reason, count in collections.Counter(reason for _n, reason, _t in found).most_common():
        print(f"  {count:4d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
