"""Plain paragraphs skip the markdown parser (and its import) and come out exactly as the
parser would make them."""

from __future__ import annotations

import itertools
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from briefer.core.workspace import Workspace
from briefer.render.compose import _MarkdownBlocks, parse_markdown, plain_paragraphs


def parsed(text: str):
    counter = itertools.count(1)
    return _MarkdownBlocks(lambda: next(counter)).convert(parse_markdown(text, lambda _: None))


# Words and the punctuation plain text may hold, placed anywhere (so most texts made from
# them are plain, and each way a line can start or end is tried) ...
ALLOWED = [
    "word",
    "Beijing",
    "2023",
    "1.",
    "2)",
    "COP28",
    " ",
    "  ",
    "\n",
    "\n\n",
    "-",
    "--",
    "---",
    "+",
    "=",
    "==",
    ".",
    ",",
    "(",
    ")",
    ":",
    "'",
    '"',
    "’",
    "—",
    "…",
    "é",
    "%",
    "$",
    "@",
    "/",
]
# ... and every character that could make markdown read text as more than paragraphs.
MARKUP = ["\t", "*", "_", "#", ">", "<", "&", "`", "[", "](x)", "!", "|", "~", "\\", "\u00a0"]


@settings(max_examples=4000, deadline=None)
@given(st.lists(st.sampled_from(ALLOWED), max_size=12).map("".join))
def test_plain_paragraphs_are_what_markdown_makes(text):
    plain = plain_paragraphs(text)
    if plain is not None:
        assert plain == parsed(text)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(ALLOWED + MARKUP), max_size=12).map("".join))
def test_markup_anywhere_still_reads_the_same(text):
    plain = plain_paragraphs(text)
    if plain is not None:
        assert plain == parsed(text)


def test_prose_takes_the_short_way_and_markdown_does_not():
    prose = (
        "Kerry and Xie met in Sunnylands on 15 November 2023; they agreed to 'accelerate'\n"
        "the substitution for coal, oil and gas generation.\n\n1990s figures (about 60%) "
        "apply — see p. 4/5."
    )
    assert plain_paragraphs(prose) == parsed(prose)
    assert len(plain_paragraphs(prose) or []) == 2
    for text in (
        "- a bullet",
        "1. first",
        "Title\n===",
        "Title\n---",
        "**bold**",
        "a_b_",
        "indented\n    code",
        "two spaces  \nbreak",
        "[link](https://example.org)",
        "<b>tag</b>",
        "AT&T",
        "tab\there",
    ):
        assert plain_paragraphs(text) is None, text


def test_every_bundled_card_reads_the_same_either_way():
    library = Workspace.load().library
    plain = 0
    for card in library.cards.values():
        for text in (card.body, card.short):
            blocks = plain_paragraphs(text)
            if blocks is not None:
                plain += 1
                assert blocks == parsed(text), card.id
    assert plain > 20  # the short way is the usual one


# Exports argv[1] to argv[2], then prints whether markdown-it was loaded.
EXPORT_SAYING_IF_MARKDOWN_LOADED = (
    "import sys\n"
    "from briefer.cli import main\n"
    "code = main(['export', sys.argv[1], '-o', sys.argv[2]])\n"
    "print('markdown_it' in sys.modules)\n"
    "sys.exit(code)\n"
)


def test_a_plain_memo_exports_without_importing_markdown_it(tmp_path):
    memo = tmp_path / "plain.brief.yaml"
    memo.write_text(
        "template: information-memo\nheader:\n  subject: Plain words\n"
        "sections:\n  summary:\n    - text: Nothing here needs a parser.\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            EXPORT_SAYING_IF_MARKDOWN_LOADED,
            str(memo),
            str(tmp_path / "plain.pdf"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert (tmp_path / "plain.pdf").stat().st_size > 1000
