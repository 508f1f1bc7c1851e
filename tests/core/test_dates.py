"""Dates in card and memo files are read exactly as strptime would read them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from briefer.core.rules import parse_date


def by_strptime(text: str, partial: bool) -> dt.date | None:
    text = text.strip()
    for shape in ("%Y-%m-%d", "%Y-%m", "%Y") if partial else ("%Y-%m-%d",):
        try:
            return dt.datetime.strptime(text, shape).date()
        except ValueError:
            continue
    return None


PIECES = st.sampled_from(
    ["2024", "0000", "1999", "-", "0", "1", "2", "3", "9", "12", "13", "30", "31", "32",
     " ", "\t", "x", "٢", "٠", "/", "05", "1-"]
)  # fmt: skip


@settings(max_examples=5000, deadline=None)
@given(st.lists(PIECES, max_size=7).map("".join), st.booleans())
def test_dates_read_as_strptime_reads_them(text, partial):
    assert parse_date(text, partial) == by_strptime(text, partial)


def test_the_shapes_a_card_uses():
    assert parse_date("2024-05-01") == dt.date(2024, 5, 1)
    assert parse_date(" 2024-5-1 ") == dt.date(2024, 5, 1)
    assert parse_date("2024-02-30") is None
    assert parse_date("2024-05") is None
    assert parse_date("2024-05", partial=True) == dt.date(2024, 5, 1)
    assert parse_date("2024", partial=True) == dt.date(2024, 1, 1)
    assert parse_date("0000", partial=True) is None
    assert parse_date("May 2024", partial=True) is None
