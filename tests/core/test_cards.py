"""Card files: each bad input gives its own message at the line of the offending value."""

from __future__ import annotations

from briefer.core.cards import load_library, read_card_file
from tests.conftest import card_yaml


def messages(problems):
    return [f"{p.line}:{p.col}: {p.message}" for p in problems]


def test_valid_card_reads_every_field(write):
    path = write(
        "c.yaml",
        """
        format: 1
        cards:
          - id: power
            kind: initiative
            title: Power sector
            body: |
              First paragraph.
            strategy: [s-one, s-two]
            tags: [coal, grid]
            marking: SBU
            sources:
              - title: A paper
                publisher: A press
                date: 2024-02-28
                url: https://example.org/x
            reviewed: 2026-11-22
        """,
    )
    cards, problems = read_card_file(path)
    assert problems == []
    card = cards[0]
    assert card.strategy == ("s-one", "s-two")
    assert card.tags == ("coal", "grid")
    assert card.marking == "SBU"
    assert card.sources[0].date == "2024-02-28"
    assert card.reviewed == "2026-11-22"
    assert card.body == "First paragraph.\n"


def test_wrong_top_level_shape(write):
    path = write("c.yaml", "- id: a\n- id: b\n")
    _, problems = read_card_file(path)
    assert messages(problems) == [
        "1:1: a card file must be a mapping of keys to values, not a list"
    ]


def test_missing_required_field(write):
    text = card_yaml("a").replace("    title: Title of a\n", "")
    path = write("c.yaml", "cards:\n" + text)
    cards, problems = read_card_file(path)
    assert cards == []
    assert messages(problems) == ["2:5: a card is missing the required key 'title'"]


def test_empty_required_field(write):
    path = write("c.yaml", "cards:\n" + card_yaml("a").replace("Title of a", "''"))
    _, problems = read_card_file(path)
    assert messages(problems) == ["4:12: 'title' in card 'a' is empty; it needs a value"]


def test_unknown_key_with_suggestion(write):
    path = write("c.yaml", "cards:\n" + card_yaml("a", tilte="Oops"))
    _, problems = read_card_file(path)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.line == 8
    assert "unknown key 'tilte' in a card; did you mean 'title'?" in problem.message


def test_unknown_top_level_key(write):
    path = write("c.yaml", "cadrs: []\n")
    _, problems = read_card_file(path)
    text = messages(problems)
    assert "1:1: unknown key 'cadrs' in a card file; did you mean 'cards'?" in text[0]


def test_duplicate_key(write):
    path = write("c.yaml", "cards:\n" + card_yaml("a") + "    title: Again\n")
    _, problems = read_card_file(path)
    assert problems[0].line == 10
    assert "duplicate key 'title' (first at line 4)" in problems[0].message


def test_unknown_kind_lists_allowed(write):
    path = write("c.yaml", "cards:\n" + card_yaml("a", kind="memo"))
    _, problems = read_card_file(path)
    assert len(problems) == 1
    assert problems[0].line == 3
    assert "unknown kind 'memo'" in problems[0].message
    assert "strategy, initiative, benefit, background, quote, talking-point, risk" in (
        problems[0].message
    )


def test_unknown_marking(write):
    path = write("c.yaml", "cards:\n" + card_yaml("a").replace("marking: U", "marking: TOPSECRET"))
    _, problems = read_card_file(path)
    assert problems[0].line == 6
    assert "unknown marking 'TOPSECRET'" in problems[0].message
    assert "U, SBU, C, S, TS" in problems[0].message


def test_bad_id(write):
    path = write("c.yaml", "cards:\n" + card_yaml("Bad_Id"))
    _, problems = read_card_file(path)
    assert problems[0].line == 2
    assert "only lowercase letters, digits and '-'" in problems[0].message


def test_duplicate_id_across_files_names_both_places(tmp_path, write):
    write("lib/one.yaml", "cards:\n" + card_yaml("same"))
    write("lib/two.yaml", "cards:\n" + card_yaml("other") + card_yaml("same"))
    library = load_library([tmp_path / "lib"])
    assert len(library.problems) == 1
    problem = library.problems[0]
    assert problem.path.endswith("two.yaml")
    assert problem.line == 10  # "cards:" + 8 lines for "other"
    assert "duplicate card id 'same'" in problem.message
    assert "one.yaml:2" in problem.message


def test_initiative_linked_to_unknown_strategy(tmp_path, write):
    write(
        "lib/c.yaml",
        "cards:\n"
        + card_yaml("s", kind="strategy")
        + card_yaml("i", kind="initiative", strategy="[s, nowhere]"),
    )
    library = load_library([tmp_path / "lib"])
    assert len(library.problems) == 1
    problem = library.problems[0]
    assert (problem.line, problem.col) == (16, 19)  # the 'nowhere' item of "strategy:"
    assert "links to unknown strategy 'nowhere' (no such card)" in problem.message
    assert "known strategies: s" in problem.message


def test_link_to_a_card_that_is_not_a_strategy(tmp_path, write):
    write(
        "lib/c.yaml",
        "cards:\n" + card_yaml("b") + card_yaml("i", kind="initiative", strategy="b"),
    )
    library = load_library([tmp_path / "lib"])
    assert "it is a 'background' card" in library.problems[0].message


def test_values_are_text_not_booleans_or_numbers(write):
    path = write(
        "c.yaml",
        "cards:\n"
        + card_yaml("a", title="NO").replace('"2026-11-22"', "12:30")
        + "    tags: [012, yes]\n",
    )
    cards, problems = read_card_file(path)
    # 12:30 is text (YAML 1.1 would make it a number), and a warning says it is no date.
    assert [p.message for p in problems] == [
        "'reviewed' in card 'a' is '12:30', not a date the checks can read; write it as YYYY-MM-DD"
    ]
    assert cards[0].title == "NO"
    assert cards[0].reviewed == "12:30"
    assert cards[0].tags == ("012", "yes")


def test_all_problems_in_one_pass(tmp_path, write):
    write(
        "lib/c.yaml",
        "cards:\n"
        + card_yaml("a", kind="memo")
        + card_yaml("b", colour="red")
        + card_yaml("c").replace("Title of c", "''"),
    )
    library = load_library([tmp_path / "lib"])
    assert len(library.problems) == 3


def test_good_cards_survive_a_bad_neighbour(tmp_path, write):
    write("lib/c.yaml", "cards:\n" + card_yaml("good") + card_yaml("bad", kind="nope"))
    library = load_library([tmp_path / "lib"])
    assert list(library.cards) == ["good"]
    assert len(library.problems) == 1


def test_newer_format_gets_clear_message(write):
    path = write("c.yaml", "format: 7\ncards: []\n")
    _, problems = read_card_file(path)
    assert problems[0].line == 1
    assert "format 7, made by a newer Briefer" in problems[0].message
    assert "Update Briefer" in problems[0].message


def test_memo_files_are_not_card_files(tmp_path, write, bundled):
    write("lib/c.yaml", "cards:\n" + card_yaml("a"))
    write("lib/m.brief.yaml", "template: one-pager\nsections: {}\n")
    library = load_library([tmp_path / "lib"])
    assert library.problems == []
    assert [p.name for p in library.files] == ["c.yaml"]


def test_citation_punctuation():
    from briefer.core.cards import Source

    assert Source(
        "Can the US & China work together on climate?", publisher="GZERO Media"
    ).citation() == ("Can the US & China work together on climate? GZERO Media.")
    assert Source(
        "A Paper.", author="Zhou Lin", date="2024-02-28", url="https://x.org"
    ).citation() == ("Zhou Lin. A Paper. 2024-02-28. https://x.org")


def test_short_form_is_one_sentence(write):
    path = write(
        "c.yaml",
        """
        cards:
          - id: one
            kind: strategy
            title: One
            short: That you approve one thing.
            body: Text.
            marking: U
            sources: [{title: A paper}]
            reviewed: "2026-11-22"
          - id: two
            kind: strategy
            title: Two
            short: |
              That you approve.

              And a second paragraph.
            body: Text.
            marking: U
            sources: [{title: A paper}]
            reviewed: "2026-11-22"
        """,
    )
    cards, problems = read_card_file(path)
    assert [c.short for c in cards] == ["That you approve one thing."]
    assert messages(problems) == [
        "13:12: 'short' in card 'two' must be one sentence, not several paragraphs"
    ]
