"""Every reason's sentence renders in Vietnamese and English, no English word in Vietnamese."""

from __future__ import annotations

import re

import pytest

from planner.reason_text import keys, sentence

#: One value per argument name the catalogue uses (ids and times, as the solver writes them).
ARGS = {
    "skills": "KT1", "quantity": "(3,)", "cash_vnd": "25000", "at": "10:00",
    "windows": "08:00–10:00", "courier": "K1", "action": "pickup", "item": "X", "site": "A",
    "visit_min": "10", "service_min": "5", "session": "07:30–11:30", "too_small": "K2",
    "cls": "", "loads": "K1=:2,KT1:1;K2=:1", "more": "2", "couriers": "K1, K2", "limit_s": "1",
    "window": "11:00–12:00", "start": "07:00", "end": "18:00", "shift": "07:00–17:00",
    "duration_s": "3600", "max_s": "1800", "distance_m": "5000", "max_m": "1000",
    "dimension": "Q1", "amount": "3", "cap": "2", "limit_vnd": "100", "kind": "precedence",
    "n": "2", "s": "",
}
VIOLATIONS = sorted(k for k in keys() if k.startswith("v."))
REASONS = sorted(k for k in keys()
                 if not k.startswith("v.") and k not in {"load", "load_class", "more", "none"})
#: Ids and data values the arguments carry: not words of either language.
DATA = {"kt"}


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)}


def _cases() -> list[tuple[str, str | None]]:
    return [(k, p) for k in REASONS for p in (VIOLATIONS if k.startswith("alone") else [None])]


ENGLISH = set().union(*(_words(sentence(k, {**ARGS, **({"problem": p} if p else {})}, "en"))
                        for k, p in _cases())) - DATA


@pytest.mark.parametrize(("key", "problem"), _cases())
def test_every_reason_renders_in_both_languages(key: str, problem: str | None) -> None:
    """Each reason (and each violation inside ``alone``) fills every field in vi and en."""
    args = {**ARGS, **({"problem": problem} if problem else {})}
    vi, en = sentence(key, args, "vi"), sentence(key, args, "en")
    assert vi
    assert en != vi
    assert "{" not in vi + en


@pytest.mark.parametrize(("key", "problem"), _cases())
def test_no_english_word_in_vietnamese(key: str, problem: str | None) -> None:
    """The Vietnamese sentence shares no word with the English catalogue (ids aside)."""
    args = {**ARGS, **({"problem": problem} if problem else {})}
    leaked = (_words(sentence(key, args, "vi")) - DATA) & ENGLISH
    assert not leaked, sentence(key, args, "vi")


def test_vietnamese_formats_money_classes_and_actions() -> None:
    """Money in ₫ with dots, the ordinary class as 'thường', actions in Vietnamese."""
    vi = sentence("alone", {**ARGS, "problem": "v.cash", "action": "delivery",
                            "cash_vnd": "1250000"}, "vi")
    assert "1.250.000 ₫" in vi
    assert "giao X" in vi
    assert "thường" in sentence("incompatible", ARGS, "vi")
    assert "2 ordinary items" in sentence("incompatible", ARGS, "en")


def test_seconds_read_to_one_decimal_with_the_languages_decimal_mark() -> None:
    """A probe's budget of 0.751689 s reads "0,8 giây" and "0.8 s", not six decimals."""
    vi = sentence("not_probed", {"limit_s": "0.751689"}, "vi")
    en = sentence("not_probed", {"limit_s": "0.751689"}, "en")
    assert "0,8 giây" in vi
    assert "0.8 s" in en
    assert "0.751689" not in vi + en
