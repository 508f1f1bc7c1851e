"""`briefer check`: every code in the table, on memo files written for the purpose, read
back through --json; plus the text form, the exit codes and --strict."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from briefer.cli import main
from briefer.core.cards import read_card_file
from briefer.core.checks import CODES

TODAY = dt.date.today().isoformat()


def card(card_id: str, kind: str = "background", **extra: str) -> str:
    fields = {
        "kind": kind,
        "title": f"Title of {card_id}",
        "body": f"Body of {card_id}.",
        "marking": "U",
        "reviewed": TODAY,
    }
    fields.update(extra)
    lines = [f"  - id: {card_id}"] + [f"    {k}: {v!r}" for k, v in fields.items() if v]
    if "nosource" not in card_id:
        lines.append("    sources: [{title: A paper}]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "cards.yaml").write_text(
        "cards:\n"
        + card("fresh")
        + card("nosource")
        + card("old", reviewed="2001-02-03")
        + card("never", reviewed="")
        + card("overdue", review_by="2001-01-01")
        + card("sbu", kind="talking-point", marking="SBU")
        + card("secret", marking="C")
        + card("strat", kind="strategy", short="That you approve the strategy.")
        + card("strat-plain", kind="strategy"),
        encoding="utf-8",
    )
    (folder / "broken.yaml").write_text(
        "cards:\n" + card("broken", kind="no-such-kind"), encoding="utf-8"
    )
    return folder


def check(capsys, tmp_path, library, memo: str, *extra: str) -> tuple[int, list[dict]]:
    path = tmp_path / "m.brief.yaml"
    path.write_text(textwrap.dedent(memo).lstrip(), encoding="utf-8")
    code = main(["check", str(path), "--library", str(library), "--json", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out)


def line_of(tmp_path, needle: str, nth: int = 0) -> int:
    """The 1-based line of the nth line of the checked memo that holds ``needle``."""
    lines = (tmp_path / "m.brief.yaml").read_text(encoding="utf-8").splitlines()
    return [i + 1 for i, line in enumerate(lines) if needle in line][nth]


def test_a_finished_memo_is_ready(capsys, tmp_path, library):
    code, found = check(
        capsys,
        tmp_path,
        library,
        """
        template: information-memo
        header:
          to: The Secretary
          from: Office
          through: Deputy
          subject: Ready
          drafted-by: A. Drafter
          cleared: B. Clearer
        sections:
          summary: [{card: fresh}]
          background: [{card: fresh}]
        """,
    )
    assert found == []
    assert code == 0


def test_every_code_is_reported_where_it_applies(capsys, tmp_path, library):
    fresh_version = read_card_file(library / "cards.yaml")[0][0].version()
    code, found = check(
        capsys,
        tmp_path,
        library,
        f"""
        template: action-memo
        marking: C
        header:
          to: The Secretary
          from: ""
          subject: Checks
          event: Not shown by this template
          classified-by: J. Smith
        sections:
          bluf:
            - text: "A [link](javascript:alert(1))."
          recommendation:
            - card: strat-plain
            - text: We should act.
          background:
            - card: nosource
            - card: old
            - card: never
            - card: overdue
            - card: missing-card
            - card: broken
            - card: fresh
              version: "0000000000"
            - card: fresh
              version: "0000000000"
              body: Reworded.
            - card: fresh
              version: "{fresh_version}"
          discussion:
            - card: sbu
          nowhere: [{{text: x}}]
        """,
    )
    assert code == 2
    by_code: dict[str, list[dict]] = {}
    for finding in found:
        by_code.setdefault(finding["code"], []).append(finding)
    expected = {
        "header-field-empty",
        "header-field-not-shown",
        "unknown-section",
        "card-missing",
        "card-invalid",
        "card-unsourced",
        "card-stale",
        "card-review-overdue",
        "card-changed-since-added",
        "reworded-card-changed",
        "classification-block-missing",
        "kind-not-accepted",
        "short-form-missing",
        "not-that-you",
        "link-not-written",
    }
    assert expected <= set(by_code), expected - set(by_code)
    # where each one points, and how bad it is
    empty = {f["field"]: f["severity"] for f in by_code["header-field-empty"]}
    assert empty == {
        "from": "error",
        "through": "warning",
        "drafted-by": "error",  # the action memo requires its clearance fields
        "cleared": "error",
    }
    missing = by_code["card-missing"][0]
    assert (missing["line"], missing["section"], missing["card"]) == (
        line_of(tmp_path, "missing-card"),
        "background",
        "missing-card",
    )
    assert by_code["card-invalid"][0]["card"] == "broken"
    assert "no-such-kind" in by_code["card-invalid"][0]["message"]
    assert [f["card"] for f in by_code["card-stale"]] == ["old", "never"]
    assert by_code["card-review-overdue"][0]["card"] == "overdue"
    assert by_code["card-unsourced"][0]["severity"] == "warning"
    changed = [f["line"] for f in by_code["card-changed-since-added"]]
    assert changed == [line_of(tmp_path, "card: fresh", 0)]
    assert [f["line"] for f in by_code["reworded-card-changed"]] == [
        line_of(tmp_path, "card: fresh", 1)
    ]
    block = by_code["classification-block-missing"][0]
    assert block["severity"] == "error"
    assert "Reason, Declassify on" in block["message"]
    assert {f["line"] for f in by_code["not-that-you"]} == {
        line_of(tmp_path, "card: strat-plain"),
        line_of(tmp_path, "We should act."),
    }
    assert by_code["unknown-section"][0]["section"] == "nowhere"


def test_marking_above_audience_and_required_section(capsys, tmp_path, library):
    """External talking points carry U only: an SBU card or typed text is an error."""
    code, found = check(
        capsys,
        tmp_path,
        library,
        """
        template: talking-points
        header: {subject: Points, event: Meeting, from: Office}
        sections:
          if-raised:
            - card: sbu
            - text: A line for internal use.
              marking: SBU
        """,
    )
    assert code == 2
    above = [f for f in found if f["code"] == "marking-above-audience"]
    assert [(f["line"], f.get("card")) for f in above] == [(5, "sbu"), (6, None)]
    assert "above the U that template 'talking-points' (external audience)" in (above[0]["message"])
    required = [f for f in found if f["code"] == "required-section-empty"]
    assert required[0]["section"] == "key-points"
    assert required[0]["severity"] == "error"


def test_over_page_limit_and_unknown_template(capsys, tmp_path, library):
    words = "Words that run on. " * 500
    code, found = check(
        capsys,
        tmp_path,
        library,
        f"""
        template: one-pager
        header: {{subject: Long, from: Office}}
        sections:
          bottom-line:
            - text: "{words}"
        """,
    )
    over = [f for f in found if f["code"] == "over-page-limit"]
    assert over
    assert over[0]["severity"] == "error"
    assert "over the 1-page limit" in over[0]["message"]
    assert code == 2
    code, found = check(capsys, tmp_path, library, "template: press-release\nsections: {}\n")
    assert [f["code"] for f in found] == ["unknown-template"]
    assert code == 2


def test_text_output_strict_and_codes_documented(capsys, tmp_path, library, repo):
    path = tmp_path / "w.brief.yaml"
    path.write_text(
        "template: information-memo\n"
        "header: {to: T, from: F, subject: S, through: D, drafted-by: A, cleared: B}\n"
        "sections:\n  summary: [{card: old}]\n  background: [{card: fresh}]\n",
        encoding="utf-8",
    )
    assert main(["check", str(path), "--library", str(library)]) == 0
    out, err = capsys.readouterr()
    assert f"{path.name}:4:" in out or ":4:" in out
    assert "warning: card 'old' was last reviewed on 2001-02-03" in out
    assert "[card-stale]" in out
    assert "0 errors, 1 warning: ready to go" in err
    assert main(["check", str(path), "--library", str(library), "--strict"]) == 2
    capsys.readouterr()
    readme = (repo / "README.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"`{code}`" in readme, code


def test_counts_are_said_in_words_not_with_a_parenthesised_s():
    from briefer.core.problems import counted

    assert counted(0, "error") == "0 errors"
    assert counted(1, "warning") == "1 warning"
    assert counted(2, "page") == "2 pages"
    assert counted(1234, "card") == "1,234 cards"


def test_export_says_when_a_memo_that_is_not_ready_goes_out_unmarked(tmp_path, capsys, repo):
    """The window asks before a memo whose checks find errors goes out, and marks it a
    draft; the command line cannot ask, so it says so (and --draft marks it)."""
    memo = tmp_path / "unfinished.brief.yaml"
    memo.write_text(
        "format: 1\ntemplate: information-memo\nheader:\n  date: June 1, 2025\n"
        "sections:\n  summary:\n    - card: bg-china-coal-revival\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.pdf"
    assert main(["export", str(memo), "-o", str(out)]) == 0  # written, as before
    err = capsys.readouterr().err
    assert f"not ready: the checks find 4 errors (briefer check {memo} lists them)" in err
    assert main(["check", str(memo)]) == 2
    assert capsys.readouterr().err.startswith("4 errors")  # the same count as check's
    assert main(["export", str(memo), "-o", str(out), "--draft"]) == 0
    assert "not ready" not in capsys.readouterr().err
    ready = repo / "content" / "memos" / "meeting-talking-points.brief.yaml"
    assert main(["export", str(ready), "-o", str(tmp_path / "ready.pdf")]) == 0
    assert "not ready" not in capsys.readouterr().err


def test_check_lays_the_pages_out_only_to_hold_them_to_a_limit(repo):
    """An information memo has no page limit: check reads it and stops there (a 2,600-page
    memo took 26 s to lay out for nothing); talking points have one, so they are laid out."""
    import subprocess
    import sys

    probe = (
        "import sys; from briefer.cli import main; main(['check', sys.argv[1]]); "
        "print('laid out' if 'reportlab' in sys.modules else 'read only')"
    )
    said = {}
    for name in ("state-of-play", "meeting-talking-points"):
        memo = repo / "content" / "memos" / f"{name}.brief.yaml"
        run = subprocess.run(
            [sys.executable, "-c", probe, str(memo)], capture_output=True, text=True, check=False
        )
        said[name] = run.stdout.strip().splitlines()[-1]
    assert said == {"state-of-play": "read only", "meeting-talking-points": "laid out"}
