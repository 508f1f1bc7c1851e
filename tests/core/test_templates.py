"""Templates: the shipped five, and clear messages for bad ones."""

from __future__ import annotations

from briefer.core.templates import parse_length, read_template

GOOD = """
id: t
name: T
description: A test template.
heading: TEST MEMO
header: [to, from, subject]
page:
  size: a4
  margins: {top: 2.5cm, left: 20mm, right: 1in, bottom: 72pt}
fonts: {family: Arial, size: 11}
marking: {banner: true, portion_marks: false}
page_limit: 2
sections:
  - id: one
    title: One
    guidance: Say it.
    kinds: [background]
"""


def test_bundled_templates(bundled):
    ids = set(bundled.templates.templates)
    assert ids == {
        "information-memo",
        "action-memo",
        "talking-points",
        "briefing-checklist",
        "one-pager",
    }
    action = bundled.templates.get("action-memo")
    assert action.page_limit == 2
    assert any(s.role == "recommendation" for s in action.sections)
    assert bundled.templates.get("talking-points").page_limit == 1
    checklist = [s.id for s in bundled.templates.get("briefing-checklist").sections]
    assert checklist == ["scene-setter", "objectives", "talking-points", "background"]
    assert all(t.page.size == "letter" for t in bundled.templates.templates.values())


def test_good_template_reads(write):
    template, problems = read_template(write("t.yaml", GOOD))
    assert problems == []
    assert template.page.size == "a4"
    assert round(template.page.top, 2) == 70.87
    assert template.page.left == 20 * 72 / 25.4
    assert template.fonts.family == "Arial"
    assert template.fonts.size == 11
    assert template.portion_marks is False
    assert template.page_limit == 2


def test_unknown_section_kind(write):
    template, problems = read_template(write("t.yaml", GOOD.replace("[background]", "[memo]")))
    assert template is None
    assert problems[0].line == 16
    assert "unknown kind 'memo' in section 'one'" in problems[0].message


def test_unknown_header_field(write):
    _, problems = read_template(write("t.yaml", GOOD.replace("subject]", "sujet]")))
    assert problems[0].line == 5
    assert "unknown header field 'sujet'" in problems[0].message


def test_bad_margin(write):
    _, problems = read_template(write("t.yaml", GOOD.replace("2.5cm", "wide")))
    assert "'top' margin" in problems[0].message
    assert problems[0].line == 8


def test_bad_page_size(write):
    _, problems = read_template(write("t.yaml", GOOD.replace("a4", "legal")))
    assert "'size' in 'page' of template 't' is 'legal'; it must be one of: letter, a4" in (
        problems[0].message
    )


def test_missing_reference_docx(write):
    _, problems = read_template(write("t.yaml", GOOD + "reference_docx: nope.docx\n"))
    assert "reference_docx 'nope.docx'" in problems[0].message


def test_lengths():
    assert parse_length("1in") == 72
    assert parse_length("72") == 72
    assert parse_length("10 mm") == 10 * 72 / 25.4
    assert parse_length("one inch") is None


def test_section_show_and_citations(write):
    text = GOOD + "    show: short\ncitations: none\n"
    template, problems = read_template(write("t.yaml", text))
    assert problems == []
    assert template.sections[0].show == "short"
    assert template.citations == "none"
    default, _ = read_template(write("d.yaml", GOOD))
    assert default.sections[0].show == "body"
    assert default.citations == "numbered"
    recommendation, _ = read_template(write("r.yaml", GOOD + "    role: recommendation\n"))
    assert recommendation.sections[0].show == "short"  # the default for a recommendation


def test_bad_show_and_citations_are_named(write):
    template, problems = read_template(
        write("t.yaml", GOOD + "    show: everything\ncitations: footnotes\n")
    )
    assert template is None
    messages = [p.message for p in problems]
    assert any("'show'" in m and "body, short, title" in m for m in messages)
    assert any("'citations'" in m and "numbered, none" in m for m in messages)
