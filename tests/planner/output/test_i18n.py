"""Numbers in the language's marks (``planner.output.i18n.fmt_number``, ``fmt_count``)."""

from __future__ import annotations

import math

import pytest

from planner.output import i18n


@pytest.mark.parametrize(("value", "decimals", "sign", "expected"), [
    (-0.04, 1, True, "+0,0"),  # a difference too small to show is no difference
    (-0.3, 0, False, "0"),
    (-0.06, 1, True, "-0,1"),
])
def test_a_number_that_rounds_to_zero_has_no_minus(value: float, decimals: int, sign: bool,
                                                   expected: str) -> None:
    assert i18n.fmt_number(value, decimals, "vi", sign=sign) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (0.004, "vi", "0,004"),  # one item over 250 days is not none
    (0.0033, "en", "0.003"),
    (0.5, "vi", "0,50"),
])
def test_a_rare_mean_count_keeps_its_first_significant_digit(
        value: float, lang: i18n.Lang, expected: str) -> None:
    assert i18n.fmt_count(value, lang) == expected


def test_a_count_that_is_not_finite_is_written_not_raised() -> None:
    assert i18n.fmt_count(math.inf, "vi") == i18n.fmt_number(math.inf, 0, "vi")
    assert i18n.fmt_count(math.nan, "vi") == "–"
