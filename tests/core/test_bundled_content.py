"""The bundled library: what the issue asks it to hold, all sourced and marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_library_loads_clean(bundled):
    assert bundled.problems == []


def test_three_strategies_seven_initiatives_linked(bundled):
    lib = bundled.library
    strategies = lib.of_kind("strategy")
    initiatives = lib.of_kind("initiative")
    assert len(strategies) == 3
    assert len(initiatives) == 7
    for card in initiatives:
        assert card.strategy, card.id
        assert all(lib.get(s).kind == "strategy" for s in card.strategy)


def test_three_benefits_each_side(bundled):
    benefits = bundled.library.of_kind("benefit")
    assert sum("for-us" in c.tags for c in benefits) == 3
    assert sum("for-china" in c.tags for c in benefits) == 3


def test_every_kind_is_present(bundled):
    from briefer.core.cards import CARD_KINDS

    assert {c.kind for c in bundled.library.cards.values()} == set(CARD_KINDS)


def test_every_card_sourced_marked_reviewed(bundled):
    for card in bundled.library.cards.values():
        assert card.sources, card.id
        assert card.marking == "U", card.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", card.reviewed), card.id


FIGURES = Path(__file__).resolve().parents[1] / "reference" / "seed-figures.txt"
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _figures(text: str) -> set[str]:
    return {n.rstrip(",.") for n in NUMBER.findall(text)}


def test_figures_match_the_seed_documents(bundled):
    """Every number written in a card appears in the seed documents (through the copy of
    their figures kept in the repository, so every clone checks it)."""
    lines = FIGURES.read_text(encoding="utf-8").splitlines()
    known = {line for line in lines if line and not line.startswith("#")}
    for card in bundled.library.cards.values():
        for number in _figures(card.body):
            assert number in known, (card.id, number)


def test_the_figures_copy_matches_the_seed_documents():
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}; the copy of their figures is used")
    seeds = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    lines = FIGURES.read_text(encoding="utf-8").splitlines()
    assert {line for line in lines if line and not line.startswith("#")} == _figures(seeds)


def test_example_memos_validate(capsys):
    from briefer.cli import main

    memos = sorted((Path(__file__).resolve().parents[2] / "content" / "memos").glob("*.brief.yaml"))
    assert len(memos) >= 2
    assert main(["validate", *map(str, memos)]) == 0


# The five seed documents, copied into the repository so every clone can check the cards
# against them (the copy is compared with ../shared/seeds when that folder is present).
SEED_COPY = Path(__file__).resolve().parents[1] / "reference" / "seeds"
_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_TITLED = re.compile(r"\*([^*]+)\*")  # titles are set in italics
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def _normal(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = text.replace("—", "-").replace("–", "-").replace("--", "-")
    return " ".join(text.lower().split())


def _seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEED_COPY.glob("*.txt"))}


def test_the_seed_copy_matches_the_documents():
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS}; the copy in the repository is used")
    for name, text in _seed_texts().items():
        assert (SEEDS / name).read_text(encoding="utf-8") == text, name


def _card_texts(card) -> str:  # noqa: ANN001
    return "\n".join((card.title, card.short, card.body))


_DOC_QUOTES = (
    re.compile(r'"([^"]+)"'),
    re.compile(r"“([^”]+)”"),
    re.compile(r"(?<!\w)['‘](.+?)['’](?!\w)", re.S),  # 'quote', not the ' in don't
)


def _document_quotes() -> list[str]:
    """What the documents themselves put in quotation marks."""
    spans = []
    for text in _seed_texts().values():
        for pattern in _DOC_QUOTES:
            spans += [_normal(m) for m in pattern.findall(text)]
    return spans


def test_every_quoted_phrase_is_quoted_in_a_document(bundled):
    """Text in quotation marks in a card is what a document itself puts in quotation marks
    (a person's words as reported, a slogan, a title), word for word: never the writer's
    paraphrase or reported speech."""
    quotes = _document_quotes()
    missing = []
    for card in bundled.library.cards.values():
        for phrase in _QUOTED.findall(_card_texts(card)):
            wanted = _normal(phrase).strip(" .,;:")
            if not any(wanted in quote for quote in quotes):
                missing.append((card.id, phrase))
    assert missing == []


def _grams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_no_card_repeats_twelve_words_of_a_document(bundled):
    """Cards are in their own words: outside quotations and titles, no run of 12 words is
    the same as a document's."""
    seed_grams: set[tuple[str, ...]] = set()
    for text in _seed_texts().values():
        seed_grams |= _grams(_WORD.findall(_normal(text)), 12)
    found = []
    for card in bundled.library.cards.values():
        text = _normal(_card_texts(card))
        for pattern in (_QUOTED, _TITLED):
            text = pattern.sub(" | ", text)  # a break: no run continues across it
        for piece in text.split("|"):
            shared = _grams(_WORD.findall(piece), 12) & seed_grams
            if shared:
                found.append((card.id, " ".join(sorted(shared)[0])))
    assert found == []


def test_no_lock_or_recovery_file_is_shipped():
    """A lock committed by mistake made the example book open read-only ("open elsewhere")
    on every other computer."""
    import shutil
    import subprocess

    repo = Path(__file__).resolve().parents[2]
    if shutil.which("git") is None or not (repo / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert [name for name in tracked if name.endswith(".lock")] == []
