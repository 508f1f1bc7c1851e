"""Memo files: reading, checking against library and templates, and writing back."""

from __future__ import annotations

from briefer.core.memos import memo_to_yaml, parse_memo, read_memo
from briefer.core.rules import check_memo

MEMO = """
format: 1
template: action-memo
marking: SBU
header:
  to: The Secretary
  subject: "Power: NO surprises"
sections:
  recommendation:
    - text: That you approve.
  background:
    - card: bg-emissions-shares
    - card: bg-china-coal-revival
      title: Coal, in brief
      body: |
        A shorter body.
"""


def test_memo_reads(write):
    memo, problems = read_memo(write("m.brief.yaml", MEMO))
    assert problems == []
    assert memo.template == "action-memo"
    assert memo.marking == "SBU"
    assert memo.header["subject"] == "Power: NO surprises"
    items = memo.sections["background"]
    assert items[0].card == "bg-emissions-shares"
    assert not items[0].is_override
    assert items[1].is_override
    assert items[1].title == "Coal, in brief"
    assert memo.sections["recommendation"][0].text == "That you approve."


def test_memo_checks_clean_against_bundled(write, bundled):
    memo, _ = read_memo(write("m.brief.yaml", MEMO))
    problems = check_memo(memo, bundled.library, bundled.templates)
    assert [p for p in problems if p.is_error] == []


def test_unknown_card(write, bundled):
    memo, _ = read_memo(write("m.brief.yaml", MEMO.replace("bg-emissions-shares", "no-such")))
    problems = check_memo(memo, bundled.library, bundled.templates)
    assert [(p.line, p.col, p.message) for p in problems if p.is_error] == [
        (11, 13, "unknown card 'no-such' in section 'background'")
    ]


def test_unknown_template_lists_known(write, bundled):
    memo, _ = read_memo(write("m.brief.yaml", MEMO.replace("action-memo", "press-release")))
    problems = check_memo(memo, bundled.library, bundled.templates)
    assert problems[0].line == 2
    assert "unknown template 'press-release'; known: action-memo, briefing-checklist" in (
        problems[0].message
    )


def test_unknown_section_lists_the_templates_sections(write, bundled):
    memo, _ = read_memo(write("m.brief.yaml", MEMO.replace("  background:", "  backgrund:")))
    problems = check_memo(memo, bundled.library, bundled.templates)
    errors = [p for p in problems if p.is_error]
    assert errors[0].line == 10
    assert "unknown section 'backgrund' for template 'action-memo'" in errors[0].message
    assert "bluf, recommendation, background, discussion" in errors[0].message


def test_kind_mismatch_is_a_warning(write, bundled):
    text = MEMO.replace("- card: bg-emissions-shares", "- card: risk-mixed-signals")
    memo, _ = read_memo(write("m.brief.yaml", text))
    problems = check_memo(memo, bundled.library, bundled.templates)
    warnings = [p for p in problems if not p.is_error]
    assert any("is a risk card; the" in p.message for p in warnings)


def test_unknown_item_key(write):
    memo, problems = read_memo(write("m.brief.yaml", MEMO.replace("title: Coal", "titel: Coal")))
    assert memo is None
    assert problems[0].line == 13
    assert "unknown key 'titel'" in problems[0].message


def test_item_needs_card_or_text(write):
    text = MEMO.replace("- text: That you approve.", "- marking: U")
    _, problems = read_memo(write("m.brief.yaml", text))
    assert "needs either 'card: ID' or 'text: ...'" in problems[0].message
    assert problems[0].line == 9


def test_unknown_header_field(write):
    _, problems = read_memo(write("m.brief.yaml", MEMO.replace("  to:", "  too:")))
    assert problems[0].line == 5
    assert "unknown key 'too'" in problems[0].message


def test_round_trip_keeps_every_word(write):
    memo, _ = read_memo(write("m.brief.yaml", MEMO))
    text = memo_to_yaml(memo)
    again, problems = parse_memo(text)
    assert problems == []
    assert again.header == memo.header
    assert again.marking == memo.marking
    assert [(s, i.to_data()) for s, i in again.items()] == [
        (s, i.to_data()) for s, i in memo.items()
    ]
    assert "body: |" in text


def test_tricky_text_round_trips():
    from briefer.core.memos import Memo, MemoItem

    tricky = ["NO", "012", "12:30", "2024-02-28", "a: b", "- dash", "#hash", "  lead", "x\r\ny"]
    memo = Memo(template="one-pager", sections={"bottom-line": [MemoItem(text=t) for t in tricky]})
    again, problems = parse_memo(memo_to_yaml(memo))
    assert problems == []
    got = [i.text for i in again.sections["bottom-line"]]
    assert got == tricky


def test_recommendations_read_as_that_you_sentences(write, bundled):
    text = MEMO.replace(
        "    - text: That you approve.\n",
        "    - text: We should approve.\n    - card: initiative-power-sector\n",
    )
    memo, _ = read_memo(write("m.brief.yaml", text))
    warnings = [(p.line, p.message) for p in check_memo(memo, bundled.library, bundled.templates)]
    assert (
        9,
        "a recommendation reads as one 'That you ...' sentence; this item of "
        "Recommendation does not start with 'That'",
    ) in warnings
    assert not any(line == 10 for line, _ in warnings)  # the card's short form does


def test_a_card_without_a_short_form_is_named_in_a_recommendation(write, bundled, tmp_path):
    import dataclasses

    memo, _ = read_memo(
        write(
            "m.brief.yaml",
            MEMO.replace(
                "    - text: That you approve.\n", "    - card: initiative-power-sector\n"
            ),
        )
    )
    card = bundled.library.get("initiative-power-sector")
    library = dataclasses.replace(bundled.library, cards={**bundled.library.cards})
    library.cards[card.id] = dataclasses.replace(card, short="")
    messages = [p.message for p in check_memo(memo, library, bundled.templates)]
    assert any("has no short form, so Recommendation shows its title" in m for m in messages)
