"""Vietnamese folding: the one comparison used by search and matching."""

from __future__ import annotations

import pytest

from danvan.core.text import fold, terms


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đất đai", "dat dai"),
        ("KHIẾU NẠI", "khieu nai"),
        ("Đơn  khiếu\tnại\n", "don khieu nai"),
        ("Ủy ban nhân dân xã An Hòa", "uy ban nhan dan xa an hoa"),
        ("ĐĂNG KÝ HỘ TỊCH", "dang ky ho tich"),
        ("Nguyễn Thị Ngọc Hương", "nguyen thi ngoc huong"),
    ],
)
def test_fold_lowers_and_removes_diacritics_and_d_stroke(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_fold_treats_composed_and_decomposed_input_alike() -> None:
    import unicodedata

    text = "Tranh chấp đất đai"
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
    assert fold(unicodedata.normalize("NFD", text)) == "tranh chap dat dai"


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_fold_of_nothing_is_empty(empty: str | None) -> None:
    assert fold(empty) == ""


def test_terms_drop_punctuation_of_a_document_symbol() -> None:
    assert terms("12/BC-UBND") == ["12", "bc", "ubnd"]


def test_terms_of_a_query_with_colon_and_diacritics() -> None:
    assert terms("khiếu nại: Đất") == ["khieu", "nai", "dat"]


def test_terms_of_punctuation_only_is_empty() -> None:
    assert terms(" :/-\"' ") == []
    assert terms(None) == []
