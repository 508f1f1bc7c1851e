"""The spell checker: what counts as a word, what it suggests, and the user's dictionary."""

from __future__ import annotations

from briefer.core.spelling import BUNDLED_WORDS, Speller, read_word_list


def words(speller: Speller, text: str) -> list[str]:
    return [m.word for m in speller.misspelled(text)]


def test_finds_misspellings_with_their_positions(tmp_path):
    speller = Speller(tmp_path / "dictionary.txt")
    text = "The envoy will recieve teh delegation."
    found = speller.misspelled(text)
    assert [(m.word, m.start) for m in found] == [("recieve", 15), ("teh", 23)]
    assert text[found[0].start : found[0].end] == "recieve"


def test_acronyms_codes_addresses_and_other_scripts_are_not_flagged(tmp_path):
    speller = Speller(tmp_path / "dictionary.txt")
    text = (
        "UNFCCC and the IPCC at COP28; see https://example.org/xyzzy or mail "
        "desk@example.org. 中美气候合作 and the Sunnylands statement, Xie Zhenhua's talks, "
        "coal-fired plants and decarbonization."
    )
    assert words(speller, text) == []
    assert words(speller, "the Sunylands statement") == ["Sunylands"]


def test_suggestions_come_in_the_words_own_case(tmp_path):
    speller = Speller(tmp_path / "dictionary.txt")
    assert speller.suggestions("recieve")[0] == "receive"
    assert speller.suggestions("Recieve")[0] == "Receive"
    assert "Sunnylands" in speller.suggestions("Sunylands")  # Briefer's own words too
    assert "decarbonisation" in speller.suggestions("decarbonisaton")
    assert speller.suggestions("qqqqqqqqqqqqqqqq") == []


def test_the_users_dictionary_is_written_and_read_back(tmp_path):
    path = tmp_path / "data" / "dictionary.txt"
    speller = Speller(path)
    assert words(speller, "Ambassador Qwertz") == ["Qwertz"]
    speller.add("Qwertz")
    assert words(speller, "Ambassador Qwertz") == []
    assert path.read_text(encoding="utf-8") == "qwertz\n"
    assert words(Speller(path), "Qwertz's visit") == []  # a possessive too
    ignoring = Speller(tmp_path / "other.txt")
    ignoring.ignore("Blorp")
    assert words(ignoring, "Blorp") == []
    assert not (tmp_path / "other.txt").exists()  # ignored, not added


def test_the_bundled_word_list_has_only_words_the_english_list_lacks():
    extra = read_word_list(BUNDLED_WORDS)
    assert {"sunnylands", "zhenhua", "decarbonization", "subnational"} <= extra
    assert all(" " not in w for w in extra)
