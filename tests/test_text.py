"""The text rules clean, infer and add share: blocks, normalising, markers and merged rules."""
from __future__ import annotations

from publisher.model import FurnitureRules, Outlet
from publisher.intake.text import matches_marker, merge_rules, normalise, number_blocks, split_blocks

GENERAL = FurnitureRules(furniture=("^Share$",), trailer=("^Comments$",))


def outlet(name: str, *furniture: str) -> Outlet:
    return Outlet(id=name, name=name, country="x", language="en", description="y", furniture=furniture)


def test_blocks_carry_the_line_they_start_on_and_keep_their_lines_as_written():
    text = "Title\n\n  a\u00a0 b\nc\n \t\n\n\nd\n"
    assert number_blocks(text) == [(1, ("Title",)), (3, ("  a\u00a0 b", "c")), (8, ("d",))]
    assert split_blocks(text) == [("Title",), ("  a\u00a0 b", "c"), ("d",)]


def test_normalise_collapses_every_space_and_folds_case():
    assert normalise("  The\u00a0HEADLINE\n here ") == "the headline here"


def test_markers_match_anywhere_and_no_markers_match_nothing():
    assert matches_marker(("^Share$", "BTC: "), "Send BTC: 1abc")
    assert not matches_marker((), "anything")


def test_merged_rules_are_the_general_ones_then_each_outlets_in_order():
    assert merge_rules(GENERAL, ()) is GENERAL
    merged = merge_rules(GENERAL, [outlet("a", "^A$"), outlet("b", "^B$")])
    assert merged == FurnitureRules(furniture=("^Share$", "^A$", "^B$"), trailer=("^Comments$",))
