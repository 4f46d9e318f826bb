"""Reads of the feedback app. Everything an official sees comes through a selector that takes the
user and applies their scope (:func:`danvan.org.selectors.agency_scope_q`); the derived states
(overdue, due soon, answered on time / late) are defined once, here, as query expressions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import search
from danvan.core.calendar import TZ, as_local, get_calendar
from danvan.core.errors import NotFoundError
from danvan.core.models import Attachment
from danvan.core.text import fold, terms
from danvan.feedback.models import (
    OPEN_STATUSES,
    PUBLIC_EVENTS,
    Feedback,
    FeedbackEvent,
    ReplyTemplate,
    RoutingRule,
    Status,
)
from danvan.org.models import AdminUnit, Official, UnitLevel
from danvan.org.selectors import agency_scope_q, official_of

ATTACHMENT_OWNER = "feedback.feedback"
ERR_NOT_FOUND = gettext_noop("Không tìm thấy phản ánh.")
ERR_NOT_PUBLISHED = gettext_noop("Không tìm thấy phản ánh đã công khai.")
DUE_SOON_WORKING_DAYS = 2
PUBLIC_PAGE_SIZE = 20
SEARCH_KIND = "feedback.item"
PUBLIC_SEARCH_KIND = "feedback.public"


# --- derived states (the one definition) ---------------------------------------------------------
def due_soon_limit(now: datetime) -> datetime:
    """The end of the ``DUE_SOON_WORKING_DAYS``-th working day from today."""
    day = get_calendar().working_days_after(as_local(now).date(), DUE_SOON_WORKING_DAYS)
    return datetime.combine(day, time.max, TZ)


OPEN_Q = Q(status__in=OPEN_STATUSES)
ON_TIME_Q = Q(status=Status.ANSWERED, answered_at__lte=F("due_at"))
LATE_Q = Q(status=Status.ANSWERED, answered_at__gt=F("due_at"))


def overdue_q(now: datetime) -> Q:
    return OPEN_Q & Q(due_at__lt=now)


def due_soon_q(now: datetime, limit: datetime | None = None) -> Q:
    return OPEN_Q & Q(due_at__gte=now, due_at__lte=limit or due_soon_limit(now))


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_states(qs: QuerySet[Feedback], now: datetime | None = None) -> QuerySet[Feedback]:
    """Annotate ``state_overdue``, ``state_due_soon``, ``state_on_time`` and ``state_late``."""
    moment = now or timezone.now()
    return qs.annotate(
        state_overdue=_flag(overdue_q(moment)),
        state_due_soon=_flag(due_soon_q(moment)),
        state_on_time=_flag(ON_TIME_Q),
        state_late=_flag(LATE_Q),
    )


# --- the back office -----------------------------------------------------------------------------
def feedback_for(user: Any) -> QuerySet[Feedback]:
    """The items the user may see (their agency, their unit and below, or the province)."""
    return Feedback.objects.filter(agency_scope_q(user, field="agency")).select_related(
        "agency", "unit", "handler"
    )


@dataclass(frozen=True)
class InboxFilter:
    status: str = ""
    category: str = ""
    state: str = ""  # "open", "overdue", "due_soon", "mine"
    q: str = ""


def inbox(
    user: Any, f: InboxFilter | None = None, now: datetime | None = None
) -> QuerySet[Feedback]:
    f = f or InboxFilter()
    moment = now or timezone.now()
    qs = with_states(feedback_for(user), moment)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.state == "open":
        qs = qs.filter(OPEN_Q)
    elif f.state == "overdue":
        qs = qs.filter(overdue_q(moment))
    elif f.state == "due_soon":
        qs = qs.filter(due_soon_q(moment))
    elif f.state == "mine":
        qs = qs.filter(handler_id=getattr(user, "pk", None))
    if f.q:
        qs = search.filter_queryset(qs, SEARCH_KIND, f.q)
    return qs.order_by("-received_at", "-pk")


def overdue_for(user: Any, now: datetime | None = None) -> QuerySet[Feedback]:
    """The head's list: open items past their answer deadline, oldest deadline first."""
    moment = now or timezone.now()
    return (
        with_states(feedback_for(user), moment).filter(overdue_q(moment)).order_by("due_at", "pk")
    )


def item_for(user: Any, pk: int, now: datetime | None = None) -> Feedback:
    item = with_states(feedback_for(user), now).filter(pk=pk).first()
    if item is None:
        raise NotFoundError(_(ERR_NOT_FOUND))
    return item


def events_of(item: Feedback, *, public_only: bool = False) -> list[FeedbackEvent]:
    qs = item.events.select_related("actor", "agency", "to_agency").order_by("at", "pk")
    if public_only:
        qs = qs.filter(kind__in=PUBLIC_EVENTS)
    return list(qs)


def attachments_of(item: Feedback, purpose: str | None = None) -> list[Attachment]:
    qs = Attachment.objects.filter(owner_type=ATTACHMENT_OWNER, owner_id=str(item.pk))
    if purpose:
        qs = qs.filter(purpose=purpose)
    return list(qs.order_by("pk"))


def handlers_for(item: Feedback) -> QuerySet[Official]:
    """Officials of the agency holding the item who may be given it."""
    return (
        Official.objects.filter(agency_id=item.agency_id, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )


def templates_for(user: Any, category: str | None = None) -> QuerySet[ReplyTemplate]:
    official = official_of(user)
    scope = Q(agency__isnull=True)
    if official is not None:
        scope |= Q(agency_id=official.agency_id)
    qs = ReplyTemplate.objects.filter(scope).select_related("agency")
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("category", "title")


def routing_rules_for(user: Any) -> QuerySet[RoutingRule]:
    """Every rule (the routing is province-wide knowledge), with their units and agencies."""
    return RoutingRule.objects.select_related("unit", "agency").order_by("unit__path", "category")


def communes() -> QuerySet[AdminUnit]:
    """The current communes and wards (the place list of the form)."""
    return (
        AdminUnit.objects.filter(level=UnitLevel.COMMUNE, valid_to__isnull=True)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


# --- duplicates ----------------------------------------------------------------------------------
_STOP = frozenset(
    [
        "cua",
        "cac",
        "nhung",
        "trong",
        "cho",
        "duoc",
        "khong",
        "voi",
        "nay",
        "tai",
        "den",
        "mot",
        "nguoi",
        "thi",
        "khi",
        "rat",
        "xin",
        "toi",
        "chung",
        "nhieu",
        "lam",
        "viec",
        "van",
        "con",
        "cung",
        "nhu",
        "theo",
        "tren",
        "duoi",
        "sau",
        "truoc",
        "hien",
        "nam",
        "ngay",
        "thang",
        "dang",
        "bao",
        "phan",
        "anh",
        "kien",
        "nghi",
    ]
)


@dataclass(frozen=True)
class Similar:
    item: Feedback
    score: int
    shared_words: int
    same_place: bool


def _keywords(item: Feedback, limit: int = 8) -> list[str]:
    seen: list[str] = []
    for word in terms(f"{item.title} {item.content}"):
        if len(word) >= 3 and word not in _STOP and word not in seen and not word.isdigit():
            seen.append(word)
        if len(seen) >= limit:
            break
    return seen


def similar_items(user: Any, item: Feedback, limit: int = 10) -> list[Similar]:
    """Possible duplicates of ``item`` among the items of the same agency that are not
    duplicates themselves: scored by the keywords they share (full-text search) and by the place
    (same commune, same address)."""
    words = Counter[int]()
    for word in _keywords(item):
        for pk in search.search_ids(SEARCH_KIND, word, limit=500):
            words[pk] += 1
    same_unit_ids: set[int] = set()
    base = feedback_for(user).filter(agency_id=item.agency_id).exclude(pk=item.pk)
    base = base.exclude(status=Status.MERGED)
    if item.unit_id:
        same_unit_ids = set(
            base.filter(unit_id=item.unit_id)
            .order_by("-received_at")
            .values_list("pk", flat=True)[:100]
        )
    text_ids = [pk for pk, n in words.most_common(300) if n >= 2 or not same_unit_ids]
    candidates = base.filter(pk__in=set(text_ids) | same_unit_ids)
    address = fold(item.address)
    out = []
    for other in candidates:
        shared = words.get(other.pk, 0)
        same_place = bool(item.unit_id and other.unit_id == item.unit_id)
        same_address = bool(address and fold(other.address) == address)
        score = shared * 2 + (2 if same_place else 0) + (2 if same_address else 0)
        if shared == 0 and not same_address:
            continue
        out.append(Similar(other, score, shared, same_place or same_address))
    out.sort(key=lambda s: (-s.score, -s.item.received_at.timestamp()))
    return out[:limit]


# --- the public side -----------------------------------------------------------------------------
def published() -> QuerySet[Feedback]:
    return Feedback.objects.filter(published_at__isnull=False).select_related("agency", "unit")


@dataclass(frozen=True)
class PublicPage:
    items: list[Feedback]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _public_search_ids(words: list[str], category: str, offset: int, limit: int) -> list[int]:
    """Published items matching ``words``, most recently published first, without counting or
    sorting every match: the full-text index is read in descending entry order (entries of the
    public kind are created at publication) and stops after ``limit`` rows."""
    table = Feedback._meta.db_table
    join = f" JOIN {table} fb ON fb.id = e.object_id" if category else ""
    extra = " AND fb.category = %s" if category else ""
    params: list[Any]
    if connection.vendor == "postgresql":
        parts = [f"'{w}'" for w in words]  # whole syllables, as danvan.core.search matches
        sql = (
            f"SELECT e.object_id FROM core_searchentry e{join} "  # noqa: S608
            f"WHERE e.kind = %s AND e.tsv @@ to_tsquery('simple', %s){extra} "
            "ORDER BY e.id DESC LIMIT %s OFFSET %s"
        )
        params = [PUBLIC_SEARCH_KIND, " & ".join(parts)]
    else:
        quoted = [f'"{w}"' for w in words]
        fts = search.FTS_TABLE
        sql = (
            f"SELECT e.object_id FROM {fts} f JOIN core_searchentry e ON e.id = f.rowid{join} "  # noqa: S608
            f"WHERE {fts} MATCH %s AND e.kind = %s{extra} "
            "ORDER BY f.rowid DESC LIMIT %s OFFSET %s"
        )
        params = [" ".join(quoted), PUBLIC_SEARCH_KIND]
    if category:
        params.append(category)
    params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(r[0]) for r in cursor.fetchall()]


def public_list(*, q: str = "", category: str = "", page: int = 1) -> PublicPage:
    """The published answers, newest first, searchable without diacritics ("dat dai" finds
    "đất đai") and filterable by category. Only the ``public_*`` columns are ever shown."""
    page = max(1, page)
    offset = (page - 1) * PUBLIC_PAGE_SIZE
    words = terms(q)
    if words:
        ids = _public_search_ids(words, category, offset, PUBLIC_PAGE_SIZE + 1)
        by_id = published().in_bulk(ids)
        rows = [by_id[pk] for pk in ids if pk in by_id]
    else:
        qs = published()
        if category:
            qs = qs.filter(category=category)
        rows = list(qs.order_by("-published_at", "-pk")[offset : offset + PUBLIC_PAGE_SIZE + 1])
    return PublicPage(
        items=rows[:PUBLIC_PAGE_SIZE], number=page, has_next=len(rows) > PUBLIC_PAGE_SIZE
    )


def public_item(pk: int) -> Feedback:
    item = published().filter(pk=pk).first()
    if item is None:
        raise NotFoundError(_(ERR_NOT_PUBLISHED))
    return item


@dataclass(frozen=True)
class Tracking:
    item: Feedback
    events: list[FeedbackEvent]
    answered_by: Feedback | None  # the item whose published answer applies (itself or the root)


def track(code: str) -> Tracking | None:
    """What the tracking page shows for a code: status, public timeline, the published answer
    (of the item itself, or of the one it was merged into)."""
    item = (
        Feedback.objects.select_related("agency", "unit", "duplicate_of__agency")
        .filter(code=code)
        .first()
    )
    if item is None:
        return None
    root = item
    seen = {item.pk}
    while root.duplicate_of_id is not None:
        nxt = Feedback.objects.select_related("agency", "unit").get(pk=root.duplicate_of_id)
        if nxt.pk in seen:
            break
        seen.add(nxt.pk)
        root = nxt
    answered_by = root if root.published_at is not None else None
    return Tracking(item=item, events=events_of(item, public_only=True), answered_by=answered_by)


def public_status(item: Feedback) -> str:
    """Open311's two statuses."""
    return "open" if item.status in OPEN_STATUSES else "closed"
