"""Vietnamese full-text search on the active database (SQLite FTS5 or PostgreSQL tsvector):
with or without diacritics, đ/Đ, punctuation in the query, prefixes."""

from __future__ import annotations

import pytest

from danvan.core import search
from danvan.core.models import SearchEntry
from tests.world import World

pytestmark = pytest.mark.django_db

KIND = "test.petition"
TEXTS = {
    1: "Tranh chấp đất đai ở xã An Hòa",
    2: "Đơn khiếu nại về bồi thường giải phóng mặt bằng",
    3: "Báo cáo số 12/BC-UBND về công tác tiếp công dân",
    4: "Khiếu nại quyết định thu hồi đất của UBND huyện",
    5: "ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
}


@pytest.fixture
def indexed() -> None:
    for pk, text in TEXTS.items():
        search.index(KIND, pk, text)


def ids(query: str, kind: str = KIND) -> list[int]:
    return sorted(search.search_ids(kind, query))


@pytest.mark.usefixtures("indexed")
class TestQueries:
    def test_without_diacritics_finds_d_stroke(self) -> None:
        assert ids("dat dai") == [1]

    def test_with_diacritics(self) -> None:
        assert ids("đất đai") == [1]
        assert ids("ĐẤT ĐAI") == [1]

    def test_a_word_alone(self) -> None:
        # whole syllables: đất (1, 4, 5) — not "đai" nor "dân"
        assert ids("đất") == [1, 4, 5]

    def test_khieu_nai(self) -> None:
        assert ids("khieu nai") == [2, 4]
        assert ids("KHIẾU NẠI") == [2, 4]

    def test_a_document_symbol_is_not_a_syntax_error(self) -> None:
        assert ids("12/BC-UBND") == [3]
        assert ids("số 12/bc-ubnd") == [3]

    def test_punctuation_in_the_query(self) -> None:
        assert ids("khiếu nại: đất") == [4]
        assert ids('"khiếu nại" (đất)') == [4]
        assert ids("khiếu nại; đất*") == [4]

    def test_words_that_are_operators_elsewhere(self) -> None:
        search.index(KIND, 99, "Hồ sơ NOT OR AND near")
        assert ids("not or and") == [99]
        assert ids("near") == [99]

    def test_words_match_whole_syllables(self) -> None:
        assert ids("khieu na") == []
        assert ids("khie nai") == []
        assert ids("giai phong") == [2]

    def test_all_words_must_match(self) -> None:
        assert ids("khieu nai boi thuong") == [2]
        assert ids("khieu nai an hoa") == []

    def test_an_empty_or_punctuation_query_finds_nothing(self) -> None:
        assert ids("") == []
        assert ids("  ") == []
        assert ids(":/-") == []

    def test_a_word_that_is_not_there(self) -> None:
        assert ids("tham nhung") == []

    def test_the_limit(self) -> None:
        assert len(search.search_ids(KIND, "khieu nai", limit=1)) == 1


def test_addresses_numbers_and_paths_are_found_by_their_parts() -> None:
    # PostgreSQL's parser reads these as single tokens (email, float, file); the query is cut
    # into words, so the index must hold the same words
    search.index(
        KIND, 20, "Liên hệ nguyen.van.an@binhloi.gov.vn, tỷ lệ 3.5%, tệp C:/ho_so/don-1.pdf"
    )
    assert ids("nguyen.van.an@binhloi.gov.vn") == [20]
    assert ids("binhloi") == [20]
    assert ids("3.5") == [20]
    assert ids("don-1.pdf") == [20]


def test_kinds_are_isolated(indexed: None) -> None:
    search.index("test.other", 1, "Kế hoạch chuyển đổi số")
    search.index("test.other", 2, "Tranh chấp đất đai giữa hai hộ")
    assert ids("dat dai") == [1]
    assert ids("dat dai", "test.other") == [2]
    assert ids("chuyen doi so") == []
    assert ids("chuyen doi so", "test.other") == [1]


def test_reindexing_replaces_the_old_text(indexed: None) -> None:
    search.index(KIND, 1, "Đơn kiến nghị về môi trường")
    assert ids("dat dai") == []
    assert ids("moi truong") == [1]
    assert SearchEntry.objects.filter(kind=KIND, object_id=1).count() == 1


def test_index_joins_several_texts_and_skips_none() -> None:
    search.index(KIND, 7, "Nguyễn Văn Dân", None, "Xã Bình Lợi", "")
    assert ids("nguyen van dan") == [7]
    assert ids("binh loi") == [7]


def test_remove(indexed: None) -> None:
    search.remove(KIND, 2)
    assert ids("khieu nai") == [4]
    assert not SearchEntry.objects.filter(kind=KIND, object_id=2).exists()
    search.remove(KIND, 12345)  # nothing to remove: no error


def test_index_many_inserts_and_replaces(indexed: None) -> None:
    assert search.index_many(KIND, [(1, "Hộ kinh doanh cá thể"), (10, "Đăng ký kết hôn")]) == 2
    assert ids("dat dai") == []
    assert ids("ho kinh doanh") == [1]
    assert ids("ket hon") == [10]
    assert SearchEntry.objects.filter(kind=KIND).count() == len(TEXTS) + 1


def test_filter_queryset_on_a_real_model(world: World) -> None:
    from danvan.org.models import Agency

    for agency in Agency.objects.all():
        search.index("org.agency", agency.pk, agency.name, agency.code)
    # another kind with the same ids must not leak into the result
    search.index("test.noise", world.agencies["pc_p"].pk, "Bình Minh")

    found = search.filter_queryset(Agency.objects.all(), "org.agency", "binh minh")
    assert set(found) == {world.agencies["pc_b"]}
    found = search.filter_queryset(Agency.objects.all(), "org.agency", "Ủy ban nhân dân xã")
    assert set(found) == {world.agencies["pc_a1"], world.agencies["pc_b1"]}
    # combined with the caller's own scoping
    scoped = Agency.objects.filter(unit=world.units["a1"])
    assert list(search.filter_queryset(scoped, "org.agency", "uy ban")) == [world.agencies["pc_a1"]]
    # a blank query keeps every row
    assert (
        search.filter_queryset(Agency.objects.all(), "org.agency", "  ").count()
        == Agency.objects.count()
    )
    assert search.filter_queryset(Agency.objects.all(), "org.agency", "khong co gi").count() == 0


def test_register_declares_a_kind() -> None:
    search.register("test.registered", "Thử nghiệm")
    assert search.kinds()["test.registered"] == "Thử nghiệm"


@pytest.mark.django_db(transaction=True)
def test_dense_words_give_the_same_results_by_sequential_scan(
    django_assert_max_num_queries,
) -> None:
    """On PostgreSQL, words common to most entries are searched by sequential scan (the planner
    underestimates compound words); the answer must not change. On SQLite FTS5 merges lazily."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    search.index_many(KIND, [(i, f"Phản ánh thái độ cán bộ số {i}") for i in range(1, 301)])
    search.index_many("other.kind", [(i, "thái độ cán bộ") for i in range(1, 51)])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchentry")
        search.forget_statistics()
    with CaptureQueriesContext(connection) as ctx:
        found = search.search_ids(KIND, "thái độ cán bộ", limit=100)
    assert len(found) == 100 and set(found) <= set(range(1, 301))
    assert sorted(search.search_ids(KIND, "thái độ cán bộ", limit=1000)) == list(range(1, 301))
    assert search.search_ids(KIND, "thai do can bo so 7", limit=10) == [7]
    if connection.vendor == "postgresql":
        assert any("(tsv || ''::tsvector)" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_pairs_of_syllables_do_not_change_what_is_found() -> None:
    """Adjacent pairs speed PostgreSQL up; the answer is still "every word, anywhere"."""
    search.index(KIND, 1, "Ông Nguyễn Văn Hùng phản ánh")
    search.index(KIND, 2, "Văn bản của ông Hùng Nguyễn")  # same words, another order
    search.index(KIND, 3, "Ông Nguyễn Văn Hải")
    assert sorted(search.search_ids(KIND, "Nguyễn Văn Hùng")) == [1, 2]
    assert sorted(search.search_ids(KIND, "Nguyễn Văn Hùng", limit=1)) in ([1], [2])
    assert search.pairs(["nguyen", "van", "hung"]) == ["nguyen0van", "van0hung"]


@pytest.mark.django_db(transaction=True)
def test_every_path_gives_the_answer_of_a_plain_scan() -> None:
    """Words typed side by side or not, some pairs absent, common and rare words: the ids found
    are exactly the entries holding every word (checked by hand over the texts), on either
    database, whichever shortcut the search takes (after ANALYZE on PostgreSQL)."""
    import random

    from django.db import connection

    from danvan.core.text import terms

    rng = random.Random(5793)
    vocabulary = ["ông", "bà", "đất", "đai", "tại", "Ba", "Tri", "tái", "định", "cư", "Bình"]
    vocabulary += ["Đại", "khiếu", "nại", "thái", "độ", "cán", "bộ", "học", "bổng"]
    texts = {
        i: " ".join(["Ông/bà", *(rng.choice(vocabulary) for _ in range(rng.randint(3, 9))), "tại"])
        for i in range(1, 601)
    }
    texts[601] = "đất đai tại Ba Tri"
    texts[602] = "Ba Tri đất đai"
    search.index_many(KIND, list(texts.items()))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_searchentry")
        search.forget_statistics()
    queries = ["đất đai Ba Tri", "khiếu nại: đất", "tai dinh cu Binh Dai", "ba tai", "thai do"]
    queries += ["hoc bong can bo", "Bình Đại", "ông bà", "đai đất"]
    for query in queries:
        wanted = set(terms(query))
        expected = sorted(i for i, t in texts.items() if wanted <= set(terms(t)))
        assert sorted(search.search_ids(KIND, query, limit=10_000)) == expected, query
        few = search.search_ids(KIND, query, limit=5)
        assert len(few) == min(5, len(expected)) and set(few) <= set(expected), query
