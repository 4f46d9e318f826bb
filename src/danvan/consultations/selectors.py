"""Reads of the consultations app: the back office's (scoped to the user) and the public's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from danvan.consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    ResponseOutcome,
    Section,
)
from danvan.core import search
from danvan.core.calendar import TZ
from danvan.core.models import Attachment
from danvan.org.selectors import agency_scope_q

SEARCH_CONSULTATION = "consultations.consultation"
SEARCH_COMMENT = "consultations.comment"
PUBLIC_STATUSES = (ConsultationStatus.OPEN, ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED)


def attachments_of(consultation: Consultation, purpose: str | None = None) -> list[Attachment]:
    qs = Attachment.objects.filter(
        owner_type=Consultation._meta.label_lower, owner_id=str(consultation.pk)
    )
    if purpose:
        qs = qs.filter(purpose=purpose)
    return list(qs.order_by("uploaded_at", "pk"))


def _with_counts(qs: QuerySet[Consultation]) -> QuerySet[Consultation]:
    return qs.select_related("agency__unit").annotate(
        n_published=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)),
        n_pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
    )


# --- back office --------------------------------------------------------------------------------
def consultations_for(user: Any, *, q: str = "", status: str = "") -> QuerySet[Consultation]:
    qs = Consultation.objects.filter(agency_scope_q(user))
    if status:
        qs = qs.filter(status=status)
    qs = search.filter_queryset(qs, SEARCH_CONSULTATION, q) if q else qs
    return _with_counts(qs).order_by("-opens_at", "-pk")


def consultation_for(user: Any, pk: int) -> Consultation:
    c = (
        Consultation.objects.filter(agency_scope_q(user))
        .select_related("agency__unit")
        .filter(pk=pk)
        .first()
    )
    if c is None:
        raise Http404
    return c


def comments_of(consultation: Consultation, *, status: str = "") -> QuerySet[Comment]:
    qs = consultation.comments.select_related("section", "response", "moderated_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("number")


def pending_comments_for(user: Any) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            agency_scope_q(user, field="consultation__agency"), status=CommentStatus.PENDING
        )
        .select_related("consultation__agency", "section")
        .order_by("submitted_at")
    )


# --- public -------------------------------------------------------------------------------------
def public_consultations(*, q: str = "", state: str = "") -> QuerySet[Consultation]:
    qs = Consultation.objects.filter(status__in=PUBLIC_STATUSES)
    if state in PUBLIC_STATUSES:
        qs = qs.filter(status=state)
    qs = search.filter_queryset(qs, SEARCH_CONSULTATION, q) if q else qs
    return _with_counts(qs).order_by("-opens_at", "-pk")


def public_consultation(pk: int) -> Consultation:
    c = (
        Consultation.objects.filter(pk=pk, status__in=PUBLIC_STATUSES)
        .select_related("agency__unit")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("order")), "affected_units"
        )
        .first()
    )
    if c is None:
        raise Http404
    return c


def public_comments(consultation: Consultation) -> list[Comment]:
    """Published comments with their section and response (the response shown only once the
    result is published)."""
    return list(
        consultation.comments.filter(status=CommentStatus.PUBLISHED)
        .select_related("section", "response")
        .order_by("number")
    )


def public_comment_search(q: str, limit: int = 50) -> list[Comment]:
    qs = Comment.objects.filter(
        status=CommentStatus.PUBLISHED, consultation__status__in=PUBLIC_STATUSES
    )
    qs = search.filter_queryset(qs, SEARCH_COMMENT, q)
    return list(qs.select_related("consultation", "section").order_by("-submitted_at")[:limit])


# --- the synthesis --------------------------------------------------------------------------------
@dataclass
class Synthesis:
    consultation: Consultation
    comments: list[Comment]  # published, each with section and response
    rejected_by_reason: dict[str, int]
    pending: int
    outcomes: dict[str, int]
    by_section: list[tuple[str, int]]

    @property
    def total_received(self) -> int:
        return len(self.comments) + sum(self.rejected_by_reason.values()) + self.pending

    @property
    def answered(self) -> int:
        return sum(self.outcomes.values())


def synthesis(consultation: Consultation) -> Synthesis:
    all_comments = list(
        consultation.comments.select_related("section", "response").order_by("number")
    )
    published = [c for c in all_comments if c.status == CommentStatus.PUBLISHED]
    rejected = Counter(
        c.moderation_reason for c in all_comments if c.status == CommentStatus.REJECTED
    )
    pending = sum(1 for c in all_comments if c.status == CommentStatus.PENDING)
    outcomes: Counter[str] = Counter()
    for c in published:
        response = getattr(c, "response", None) if _has_response(c) else None
        if response is not None:
            outcomes[response.outcome] += 1
    sections: Counter[str] = Counter()
    order: dict[str, int] = {}
    for c in published:
        label = c.section.label if c.section else "Toàn bộ dự thảo"
        sections[label] += 1
        order.setdefault(label, c.section.order if c.section else 0)
    return Synthesis(
        consultation=consultation,
        comments=published,
        rejected_by_reason=dict(rejected),
        pending=pending,
        outcomes={k: outcomes.get(k, 0) for k in ResponseOutcome.values},
        by_section=sorted(sections.items(), key=lambda kv: order[kv[0]]),
    )


def _has_response(comment: Comment) -> bool:
    try:
        comment.response  # noqa: B018 - reverse one-to-one: raises when there is none
    except Comment.response.RelatedObjectDoesNotExist:
        return False
    return True


def response_of(comment: Comment) -> Any:
    return comment.response if _has_response(comment) else None


# --- indicators ---------------------------------------------------------------------------------
def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    from datetime import timedelta

    return datetime.combine(start, time.min, TZ), datetime.combine(
        end + timedelta(days=1), time.min, TZ
    )


def consultations_held(agency_ids: list[int], start: date, end: date) -> int:
    """Consultations whose comment period was closed in the period."""
    lo, hi = _bounds(start, end)
    return Consultation.objects.filter(
        agency_id__in=agency_ids,
        status__in=(ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED),
        closed_at__gte=lo,
        closed_at__lt=hi,
    ).count()


def consultations_held_by_agency(
    agency_ids: list[int], start: date, end: date
) -> dict[int, Decimal | int | None]:
    """:func:`consultations_held` for each agency, in one query."""
    lo, hi = _bounds(start, end)
    rows = (
        Consultation.objects.filter(
            agency_id__in=agency_ids,
            status__in=(ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED),
            closed_at__gte=lo,
            closed_at__lt=hi,
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
    )
    found = {r["agency_id"]: r["n"] for r in rows}
    return {a: found.get(a, 0) for a in agency_ids}


def comments_received(agency_ids: list[int], start: date, end: date) -> int:
    lo, hi = _bounds(start, end)
    return Comment.objects.filter(
        consultation__agency_id__in=agency_ids, submitted_at__gte=lo, submitted_at__lt=hi
    ).count()


def share_answered(agency_ids: list[int], start: date, end: date) -> Decimal | None:
    """Share (%) of the published comments of consultations closed in the period that have a
    response. None when there is nothing to answer."""
    lo, hi = _bounds(start, end)
    qs = Comment.objects.filter(
        consultation__agency_id__in=agency_ids,
        status=CommentStatus.PUBLISHED,
        consultation__closed_at__gte=lo,
        consultation__closed_at__lt=hi,
        consultation__status__in=(ConsultationStatus.CLOSED, ConsultationStatus.PUBLISHED),
    )
    agg = qs.aggregate(total=Count("pk"), answered=Count("response"))
    if not agg["total"]:
        return None
    return (Decimal(agg["answered"]) * 100 / Decimal(agg["total"])).quantize(Decimal("0.1"))
