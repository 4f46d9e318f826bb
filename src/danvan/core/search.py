"""Vietnamese full-text search over folded text, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Text is folded once, in Python (:func:`danvan.core.text.fold`: lower case, no diacritics, đ→d),
both when indexed and when queried, so "dat dai" finds "đất đai" on either database. Each query
term is reduced to its word characters and quoted, so punctuation ("12/BC-UBND", "khiếu nại:")
never breaks the query syntax. Words match whole syllables (no prefix matching: a Vietnamese
syllable is short, and a prefix such as "han" would fan out over many index entries).

On PostgreSQL the planner estimates the share of rows matching "thai & do & can & bo" as if the
syllables were independent; the syllables of a compound word ("thái độ", "cán bộ") are not, so it
underestimates badly, and a GIN scan must intersect the long lists of common syllables.
:func:`search_ids` therefore indexes pairs of adjacent syllables too and tries, in order: a few
thousand entries read without the index when every word and pair is among the most common
elements (read from ``pg_stats``: matches are dense); the entries that also have the query's pairs
(the GIN scan starts from the rarest pair), or one of them when the words were not typed side by
side; a few thousand entries read without the index when every word is common; then the plain
query for what is still missing.

Apps index their objects with :func:`index` (in their services, on create and change) under a
``kind`` they register, and filter their own scoped querysets with :func:`filter_queryset`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from danvan.core.models import SearchEntry
from danvan.core.text import terms

FTS_TABLE = "core_search_fts"
_kinds: dict[str, str] = {}


def register(kind: str, label: str) -> None:
    """Declare an index kind (e.g. ``onestop.procedure``)."""
    _kinds[kind] = label


def kinds() -> dict[str, str]:
    return dict(_kinds)


PAIR_JOIN = "0"  # "nguyen" + "van" → "nguyen0van": one token for PostgreSQL's parser


def pairs(words: list[str]) -> list[str]:
    """Adjacent syllables as one token: most Vietnamese words have two syllables."""
    return [a + PAIR_JOIN + b for a, b in itertools.pairwise(words)]


def _body(text: str | None) -> str:
    """The indexed text: the same folded words a query is cut into, separated by spaces. (Left
    with its punctuation, PostgreSQL's parser would read "12/bc-ubnd" as one file-path token, or
    an e-mail address or "3.5" as one token, which the query's words would never match.) On
    PostgreSQL the pairs of adjacent syllables follow, so that a GIN scan can start from a rare
    pair ("van0hung") instead of intersecting the long lists of common syllables."""
    words = terms(text)
    if connection.vendor == "postgresql":
        words = words + pairs(words)
    return " ".join(words)


def index(kind: str, object_id: int, *texts: str | None) -> None:
    body = _body(" ".join(t for t in texts if t))
    SearchEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults={"body": body})


def index_many(kind: str, rows: Iterable[tuple[int, str]], batch_size: int = 5000) -> int:
    """Bulk (re)index ``(object_id, text)`` pairs of a kind; returns how many."""
    entries = [SearchEntry(kind=kind, object_id=oid, body=_body(text)) for oid, text in rows]
    SearchEntry.objects.bulk_create(
        entries,
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["body"],
    )
    return len(entries)


def remove(kind: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def _sqlite_match(words: list[str]) -> str:
    return " ".join(f'"{w}"' for w in words)


def _pg_tsquery(words: list[str]) -> str:
    return " & ".join(f"'{w}'" for w in words)


DENSE_SHARE = 0.01  # every word in at least 1% of the entries: matches are dense
_STATS_TTL = 600.0
_NEVER = float("-inf")  # not 0.0: the monotonic clock starts near 0 when the machine boots
_stats: tuple[float, dict[str, float]] = (_NEVER, {})


def forget_statistics() -> None:
    """Read the planner statistics again on the next search (after ANALYZE)."""
    global _stats
    _stats = (_NEVER, {})


def _pg_common_elements() -> dict[str, float]:
    """The index's most common elements and their share of rows (from ANALYZE), cached."""
    global _stats  # a small per-process cache of the planner statistics
    now = time.monotonic()
    if now - _stats[0] < _STATS_TTL:
        return _stats[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'core_searchentry' AND attname = 'tsv'"
        )
        row = cursor.fetchone()
    found = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _stats = (now, {str(k): float(v) for k, v in found.items()})
    return _stats[1]


def matching_ids_sql(kind: str, query: str) -> tuple[str, list[str]] | None:
    """SQL selecting the object ids of ``kind`` that match ``query`` (None: empty query)."""
    words = terms(query)
    if not words:
        return None
    if connection.vendor == "postgresql":
        return (
            "SELECT object_id FROM core_searchentry "
            "WHERE kind = %s AND tsv @@ to_tsquery('simple', %s)",
            [kind, _pg_tsquery(words)],
        )
    return (
        f"SELECT e.object_id FROM {FTS_TABLE} f JOIN core_searchentry e ON e.id = f.rowid "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND e.kind = %s",
        [_sqlite_match(words), kind],
    )


DENSE_PROBE_ROWS = 5000


def _pg_ids(kind: str, tsquery: str, limit: int, *, probe: bool = False) -> list[int]:
    if probe:  # the first entries, read without the index
        sql = (
            "SELECT object_id FROM (SELECT object_id, tsv FROM core_searchentry WHERE kind = %s "
            "LIMIT %s) probe WHERE (tsv || ''::tsvector) @@ to_tsquery('simple', %s) LIMIT %s"
        )
        params: list[str | int] = [kind, DENSE_PROBE_ROWS, tsquery, limit]
    else:
        sql = (
            "SELECT object_id FROM core_searchentry WHERE kind = %s "
            "AND tsv @@ to_tsquery('simple', %s) LIMIT %s"
        )
        params = [kind, tsquery, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(r[0]) for r in cursor.fetchall()]


def _covering(words: list[str], with_pairs: list[str]) -> list[str]:
    """The pairs plus the words no pair contains: a pair token is indexed only where both its
    syllables are, so the words it covers need not be looked up again (some, like "tai" or "ba",
    are in nearly every entry)."""
    covered = {w for pair in with_pairs for w in pair.split(PAIR_JOIN)}
    return [*with_pairs, *(w for w in words if w not in covered)]


def _pg_search_ids(kind: str, words: list[str], limit: int) -> list[int]:
    """The same rows as the plain query, found faster:

    1. every word and pair among the most common elements: matches are dense, a few thousand
       entries read without the index usually hold enough;
    2. else, entries with all the query's pairs (the words in the order typed) through the index,
       which starts from the rarest pair;
    3. when one pair never occurs ("đất đai Ba Tri" is written "đất đai tại Ba Tri"), entries with
       all the other pairs (the rarest pairs are tried first as the missing one);
    4. every word common: a few thousand entries read without the index;
    5. then the plain query (all words, anywhere) for what is still missing.
    Each step adds only rows of the plain query; the answer is the same, found sooner.
    """
    both = pairs(words)
    common = _pg_common_elements()

    def dense(terms_: list[str]) -> bool:
        return bool(common) and all(common.get(t, 0.0) >= DENSE_SHARE for t in terms_)

    def steps() -> Iterator[tuple[list[str], bool]]:
        """(terms, read without the index?) in the order above."""
        if dense(words + both):
            yield words, True
        if both:
            yield _covering(words, both), False
        if len(both) > 1:
            rare_first = sorted(
                (t for t in both if common.get(t, 0.0) < DENSE_SHARE),
                key=lambda t: common.get(t, 0.0),
            )
            for missing in rare_first[:4]:
                rest = _covering(words, [t for t in both if t != missing])
                yield rest, dense(rest)
        if dense(words):
            yield words, True
        yield words, False

    found: dict[int, None] = {}  # the ids in the order found, each once
    for terms_, probe in steps():
        found.update(dict.fromkeys(_pg_ids(kind, _pg_tsquery(terms_), limit, probe=probe)))
        if len(found) >= limit:
            break
    return list(found)[:limit]


def filter_queryset[M: Model](qs: QuerySet[M], kind: str, query: str) -> QuerySet[M]:
    """Keep the rows of ``qs`` whose indexed text matches ``query`` (all rows if it is blank)."""
    sql = matching_ids_sql(kind, query)
    if sql is None:
        return qs
    # The SQL is ours; the user's words travel only as parameters.
    return qs.filter(pk__in=RawSQL(*sql))  # noqa: S611


def search_ids(kind: str, query: str, limit: int = 50) -> list[int]:
    """The first ``limit`` matching object ids (in no particular order)."""
    sql = matching_ids_sql(kind, query)
    if sql is None:
        return []
    if connection.vendor == "postgresql":
        return _pg_search_ids(kind, terms(query), limit)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql[0]} LIMIT %s", [*sql[1], limit])
        return [int(r[0]) for r in cursor.fetchall()]
