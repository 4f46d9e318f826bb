"""Reads of the surveys app.

The satisfaction indices are computed in exactly one place, :func:`compute_indices` (cached by
:func:`satisfaction_indices`, which everything calls): per
question the share of "satisfied" + "very satisfied" among the answers on the 5-point scale
("not applicable" and unanswered questions are left out), averaged to the element, and the
elements averaged to the overall index; per agency (or pooled), per field, over a period or a
campaign. Everything else (pages, API, XLSX, report indicators, trends) calls it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils.translation import get_language

from danvan.org.models import Agency
from danvan.org.selectors import agencies_for, agency_scope_q, official_of
from danvan.shell.registry import Period
from danvan.surveys.models import (
    Answer,
    Campaign,
    CampaignAgency,
    CampaignStatus,
    Kiosk,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Response,
)
from danvan.surveys.sipas import NOT_APPLICABLE_LABEL, SATISFIED, SIPAS_ELEMENTS, Element

HUNDRED = Decimal(100)


def percent(value: Fraction | None) -> Decimal | None:
    """A share as a percentage with two decimals (half up), or None when there is no data."""
    if value is None:
        return None
    exact = Decimal(value.numerator) * HUNDRED / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def below_target(responses: int, target: int | None) -> bool:
    """The one definition of "the sample is below target"."""
    return target is not None and target > 0 and responses < target


# --- the index -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionIndex:
    code: str
    text: str
    answered: int  # answers on the scale (1-5)
    satisfied: int  # of which 4 or 5
    not_applicable: int
    distribution: tuple[int, int, int, int, int]

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.satisfied, self.answered) if self.answered else None

    @property
    def index(self) -> Decimal | None:
        return percent(self.share)


@dataclass(frozen=True)
class ElementIndex:
    key: str
    label: str
    in_index: bool
    questions: list[QuestionIndex]

    @property
    def share(self) -> Fraction | None:
        shares = [q.share for q in self.questions if q.share is not None]
        return sum(shares, Fraction(0)) / len(shares) if shares else None

    @property
    def index(self) -> Decimal | None:
        return percent(self.share)


@dataclass(frozen=True)
class SatisfactionIndex:
    """The indices of one group (an agency, a field, or everything pooled)."""

    agency_id: int | None
    agency_name: str
    field: str | None
    responses: int
    target: int | None = None
    elements: list[ElementIndex] = dc_field(default_factory=list)
    agency_code: str = ""
    month: date | None = None  # the first day of the month, when grouped by month

    @property
    def share(self) -> Fraction | None:
        shares = [e.share for e in self.elements if e.in_index and e.share is not None]
        return sum(shares, Fraction(0)) / len(shares) if shares else None

    @property
    def overall(self) -> Decimal | None:
        return percent(self.share)

    @property
    def below_target(self) -> bool:
        return below_target(self.responses, self.target)

    @property
    def shortfall(self) -> int:
        return max(0, (self.target or 0) - self.responses)

    def element(self, key: str) -> ElementIndex | None:
        return next((e for e in self.elements if e.key == key), None)

    @property
    def sipas_elements(self) -> list[ElementIndex | None]:
        """The five SIPAS elements in their order (None where the questionnaire has none)."""
        return [self.element(e.value) for e in SIPAS_ELEMENTS]


def _element_label(key: str) -> str:
    if key.startswith("custom:"):
        return key.split(":", 1)[1]
    return str(Element(key).label)


def _element_order(key: str, section_order: int) -> tuple[int, int, str]:
    keys = [e.value for e in SIPAS_ELEMENTS]
    return (keys.index(key), 0, key) if key in keys else (len(keys), section_order, key)


def _month(field: str) -> Substr:
    """ "YYYY-MM" of a date, computed by the database itself (Django's month truncation on SQLite
    calls a Python function for every row, several times slower over a year of answers)."""
    return Substr(Cast(field, output_field=CharField()), 1, 7)


def _first_day(month: str) -> date:
    year, number = month.split("-")[:2]
    return date(int(year), int(number), 1)


def _filters(
    prefix: str,
    *,
    agency_ids: Collection[int] | None,
    period: Period | None,
    campaign_id: int | None,
    field_name: str | None,
) -> Q:
    """The conditions on valid responses, for a query on responses (``prefix=""``) or on their
    answers (``prefix="response__"``): plain joins, no sub-select."""
    q = Q(**{f"{prefix}voided_at__isnull": True})
    if agency_ids is not None:
        q &= Q(**{f"{prefix}agency_id__in": list(agency_ids)})
    if campaign_id is not None:
        q &= Q(**{f"{prefix}campaign_id": campaign_id})
    if period is not None:
        q &= Q(
            **{f"{prefix}answered_on__gte": period.start, f"{prefix}answered_on__lte": period.end}
        )
    if field_name is not None:
        q &= Q(**{f"{prefix}field": field_name})
    return q


CACHE_SECONDS = 600
VERSION_KEY = "surveys:indices-version"


def indices_changed() -> None:
    """Every write that changes what the indices count calls this (in its transaction and again
    on commit): cached indices computed before are not used any more."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def satisfaction_indices(
    *,
    agency_ids: Collection[int] | None = None,
    period: Period | None = None,
    campaign_id: int | None = None,
    field_name: str | None = None,
    by_agency: bool = True,
    by_field: bool = False,
    by_month: bool = False,
) -> list[SatisfactionIndex]:
    """The satisfaction indices (see :func:`compute_indices`), kept in the cache until the data
    change: a results page asks for the same numbers many times while answers arrive rarely."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
    args = (
        sorted(agency_ids) if agency_ids is not None else None,
        (period.start.isoformat(), period.end.isoformat()) if period else None,
        campaign_id,
        field_name,
        by_agency,
        by_field,
        by_month,
        get_language(),
    )
    digest = hashlib.sha256(repr(args).encode()).hexdigest()[:32]
    key = f"surveys:indices:{version}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    rows = compute_indices(
        agency_ids=agency_ids,
        period=period,
        campaign_id=campaign_id,
        field_name=field_name,
        by_agency=by_agency,
        by_field=by_field,
        by_month=by_month,
    )
    cache.set(key, rows, CACHE_SECONDS)
    return rows


def compute_indices(
    *,
    agency_ids: Collection[int] | None = None,
    period: Period | None = None,
    campaign_id: int | None = None,
    field_name: str | None = None,
    by_agency: bool = True,
    by_field: bool = False,
    by_month: bool = False,
) -> list[SatisfactionIndex]:
    """The satisfaction indices of the valid responses that match, one row per group.

    ``agency_ids=None`` means every agency (the caller has scoped it). With ``by_agency=False``
    the agencies are pooled into one row (``agency_id=None``). With a campaign (and without
    ``by_field``) every participating agency gets a row, with its target sample, even when it has
    no response yet. Questions with the same code are counted together (across versions).

    Four queries whatever the volume: responses per group; answers on the scale per group,
    question, value (a plain GROUP BY, the heavy one); the questions met; the targets.
    """

    def conditions(prefix: str) -> Q:
        return _filters(
            prefix,
            agency_ids=agency_ids,
            period=period,
            campaign_id=campaign_id,
            field_name=field_name,
        )

    group: list[str] = []
    if by_agency:
        group.append("agency_id")
    if by_field:
        group.append("field")
    if by_month:
        group.append("month")

    responses = Response.objects.filter(conditions("")).annotate(month=_month("answered_on"))
    counts: dict[tuple[Any, ...], int] = {}
    if group:
        for row in responses.values(*group).annotate(n=Count("pk")).order_by():
            counts[tuple(row[g] for g in group)] = row["n"]
    else:
        counts[()] = responses.count()

    # Answers on the scale are the ones with a value or "not applicable"; other kinds have
    # neither, so no join to the questions is needed here.
    answer_group = [g if g == "month" else f"response__{g}" for g in group]
    cells = (
        Answer.objects.filter(conditions("response__"))
        .annotate(month=_month("response__answered_on"))
        .filter(Q(scale__isnull=False) | Q(not_applicable=True))
        .values_list(*answer_group, "question_id", "scale", "not_applicable")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # group -> question id -> [answered, satisfied, na, s1..s5]
    tally: dict[tuple[Any, ...], dict[int, list[int]]] = defaultdict(dict)
    for *key_values, question_id, value, na, n in cells:
        t = tally[tuple(key_values)].setdefault(question_id, [0] * 8)
        if na:
            t[2] += n
        elif value is not None:
            t[0] += n
            t[1] += n if value in SATISFIED else 0
            t[2 + value] += n
    questions: dict[int, Question] = Question.objects.select_related("section").in_bulk(
        {qid for per_question in tally.values() for qid in per_question}
    )

    # group -> element key -> question code -> (order, text, summed tallies)
    grouped: dict[tuple[Any, ...], dict[str, dict[str, tuple[tuple[int, int], str, list[int]]]]] = (
        defaultdict(lambda: defaultdict(dict))
    )
    element_meta: dict[str, tuple[bool, int]] = {}
    for key, per_question in tally.items():
        for qid, t in per_question.items():
            question = questions[qid]
            section = question.section
            element_key = section.element_key
            element_meta.setdefault(element_key, (section.in_index, section.order))
            order = (section.order, question.order)
            known = grouped[key][element_key].get(question.code)
            if known is None:
                grouped[key][element_key][question.code] = (order, question.text_local, list(t))
            else:
                for i, v in enumerate(t):
                    known[2][i] += v
                if order < known[0]:  # the earliest version's place and wording
                    grouped[key][element_key][question.code] = (
                        order,
                        question.text_local,
                        known[2],
                    )

    targets: dict[int, int] = {}
    participants: list[int] = []
    pooled_target: int | None = None
    target: int | None
    if campaign_id is not None and by_agency:
        plist = CampaignAgency.objects.filter(campaign_id=campaign_id)
        if agency_ids is not None:
            plist = plist.filter(agency_id__in=list(agency_ids))
        for participant_id, sample in plist.values_list("agency_id", "target_sample"):
            targets[participant_id] = sample
            participants.append(participant_id)
    elif campaign_id is not None:
        total = CampaignAgency.objects.filter(campaign_id=campaign_id)
        if agency_ids is not None:
            total = total.filter(agency_id__in=list(agency_ids))
        pooled_target = total.aggregate(t=Sum("target_sample"))["t"]

    keys = set(counts) | set(grouped)
    if participants and not by_field and not by_month:
        keys |= {(a,) for a in participants}
    if not group and not keys:
        keys = {()}
    names: dict[int, tuple[str, str]] = {}
    if by_agency:
        names = {
            pk: (name, code)
            for pk, name, code in Agency.objects.filter(
                pk__in={k[0] for k in keys}
            ).values_list(  # agency_id first
                "pk", "name", "code"
            )
        }

    result: list[SatisfactionIndex] = []
    for key in keys:
        agency_id = key[group.index("agency_id")] if by_agency else None
        field_value = key[group.index("field")] if by_field else None
        month = _first_day(key[group.index("month")]) if by_month else None
        elements = [
            ElementIndex(
                key=element_key,
                label=_element_label(element_key),
                in_index=element_meta[element_key][0],
                questions=[
                    QuestionIndex(
                        code=code,
                        text=text,
                        answered=t[0],
                        satisfied=t[1],
                        not_applicable=t[2],
                        distribution=(t[3], t[4], t[5], t[6], t[7]),
                    )
                    for code, (_order, text, t) in sorted(
                        by_code.items(), key=lambda kv: (kv[1][0], kv[0])
                    )
                ],
            )
            for element_key, by_code in sorted(
                grouped.get(key, {}).items(),
                key=lambda kv: _element_order(kv[0], element_meta[kv[0]][1]),
            )
        ]
        if by_agency and not by_field and not by_month:
            target = targets.get(agency_id) if campaign_id is not None and agency_id else None
        elif not group and campaign_id is not None:
            target = pooled_target
        else:
            target = None
        result.append(
            SatisfactionIndex(
                agency_id=agency_id,
                agency_name=names.get(agency_id, ("", ""))[0] if agency_id is not None else "",
                agency_code=names.get(agency_id, ("", ""))[1] if agency_id is not None else "",
                field=field_value,
                responses=counts.get(key, 0),
                target=target,
                elements=elements,
                month=month,
            )
        )
    result.sort(key=lambda r: (r.agency_name, r.field or "", r.month or date.min))
    return result


def satisfaction_index(
    *,
    agency_ids: Collection[int] | None = None,
    period: Period | None = None,
    campaign_id: int | None = None,
) -> SatisfactionIndex:
    """The pooled index of the agencies (one row)."""
    return satisfaction_indices(
        agency_ids=agency_ids, period=period, campaign_id=campaign_id, by_agency=False
    )[0]


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    index: SatisfactionIndex


def satisfaction_trend(
    *,
    start: date,
    end: date,
    agency_ids: Collection[int] | None = None,
    campaign_id: int | None = None,
) -> list[TrendPoint]:
    """The pooled index of each calendar month from ``start`` to ``end`` (one grouped query)."""
    periods = month_periods(start, end)
    if not periods:
        return []
    rows = satisfaction_indices(
        agency_ids=agency_ids,
        period=Period(periods[0].start, periods[-1].end),
        campaign_id=campaign_id,
        by_agency=False,
        by_month=True,
    )
    by_month = {r.month: r for r in rows}
    return [
        TrendPoint(
            p,
            by_month.get(
                p.start.replace(day=1),
                SatisfactionIndex(agency_id=None, agency_name="", field=None, responses=0),
            ),
        )
        for p in periods
    ]


def month_periods(start: date, end: date, *, limit: int = 24) -> list[Period]:
    """Calendar months from ``start`` to ``end`` (the last ``limit`` of them)."""
    periods: list[Period] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = date(year, month, 1)
        nyear, nmonth = (year + 1, 1) if month == 12 else (year, month + 1)
        last = date(nyear, nmonth, 1) - timedelta(days=1)
        periods.append(Period(max(first, start), min(last, end)))
        year, month = nyear, nmonth
    return periods[-limit:]


# --- who may see which results ---------------------------------------------------------------------
def result_agency_ids(user: Any) -> list[int] | None:
    """Agencies whose results ``user`` may read (None: every agency, for province-wide roles)."""
    if official_of(user) is None:
        return []
    if user.has_perm("surveys.view_results_all"):
        return None
    return [a.pk for a in agencies_for(user) if user.has_perm("surveys.view_results", a)]


def indices_for(
    *,
    user: Any,
    agency_ids: Collection[int] | None = None,
    period: Period | None = None,
    campaign_id: int | None = None,
    by_agency: bool = True,
    by_field: bool = False,
) -> list[SatisfactionIndex]:
    """:func:`satisfaction_indices` limited to what the user may read."""
    allowed = result_agency_ids(user)
    if allowed is not None:
        agency_ids = [a for a in (agency_ids or allowed) if a in set(allowed)]
    return satisfaction_indices(
        agency_ids=agency_ids,
        period=period,
        campaign_id=campaign_id,
        by_agency=by_agency,
        by_field=by_field,
    )


# --- questionnaires, campaigns, kiosks -------------------------------------------------------------
def questionnaires_for(user: Any) -> QuerySet[Questionnaire]:
    """Questionnaires are province-wide templates: every official reads them."""
    if official_of(user) is None:
        return Questionnaire.objects.none()
    return Questionnaire.objects.annotate(
        question_count=Count("questions", distinct=True),
        campaign_count=Count("campaigns", distinct=True),
    ).order_by("code", "-version")


def questionnaire_detail(pk: int) -> Questionnaire:
    return Questionnaire.objects.prefetch_related("sections__questions__choices").get(pk=pk)


def published_questionnaires() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(status=QuestionnaireStatus.PUBLISHED).order_by(
        "code", "-version"
    )


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    """The questions in answering order, with their section and choices (2 queries)."""
    return list(
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("section")
        .prefetch_related("choices")
        .order_by("section__order", "section_id", "order", "pk")
    )


def _response_count(campaign_ref: Any, agency_ref: Any = None) -> Subquery:
    qs = Response.objects.filter(campaign=campaign_ref, voided_at__isnull=True)
    if agency_ref is not None:
        qs = qs.filter(agency=agency_ref)
    return Subquery(
        qs.order_by().values("campaign").annotate(c=Count("pk")).values("c")[:1],
        output_field=IntegerField(),
    )


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    """Campaigns the user organises or takes part in (by their scope), with totals."""
    if official_of(user) is None:
        return Campaign.objects.none()
    scope = agency_scope_q(user, "agency")
    campaigns = Campaign.objects.all()
    if scope:  # an empty Q is the whole province (and "Q() | x" would be just x)
        participating = CampaignAgency.objects.filter(scope).values("campaign_id")
        campaigns = campaigns.filter(scope | Q(pk__in=participating))
    return (
        campaigns.select_related("agency__unit", "questionnaire")
        .annotate(
            target_total=Coalesce(
                Subquery(
                    CampaignAgency.objects.filter(campaign=OuterRef("pk"))
                    .order_by()
                    .values("campaign")
                    .annotate(t=Sum("target_sample"))
                    .values("t")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            response_total=Coalesce(_response_count(OuterRef("pk")), Value(0)),
            agency_count=Coalesce(
                Subquery(
                    CampaignAgency.objects.filter(campaign=OuterRef("pk"))
                    .order_by()
                    .values("campaign")
                    .annotate(c=Count("pk"))
                    .values("c")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
        .order_by("-starts_on", "-pk")
    )


@dataclass(frozen=True)
class Progress:
    participant: CampaignAgency
    responses: int

    @property
    def target(self) -> int:
        return self.participant.target_sample

    @property
    def below_target(self) -> bool:
        return below_target(self.responses, self.target)

    @property
    def percent(self) -> int:
        if not self.target:
            return 100 if self.responses else 0
        return min(100, round(100 * self.responses / self.target))


def campaign_progress(campaign: Campaign) -> list[Progress]:
    """Responses against the target sample, per participating agency (1 query)."""
    rows = (
        CampaignAgency.objects.filter(campaign=campaign)
        .select_related("agency__unit", "campaign")
        .annotate(
            responses=Coalesce(_response_count(OuterRef("campaign"), OuterRef("agency")), Value(0))
        )
        .order_by("agency__name")
    )
    return [Progress(p, p.responses) for p in rows]


def open_participant(agency: Agency | int, day: date) -> CampaignAgency | None:
    """The campaign that takes answers for ``agency`` on ``day`` (at most one is open)."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return (
        CampaignAgency.objects.filter(
            agency_id=agency_id,
            campaign__status=CampaignStatus.OPEN,
            campaign__starts_on__lte=day,
            campaign__ends_on__gte=day,
        )
        .select_related("campaign__questionnaire", "agency")
        .order_by("-campaign__starts_on")
        .first()
    )


def open_agencies(day: date) -> QuerySet[CampaignAgency]:
    """Agencies taking answers on their public link today (for the public survey page)."""
    return (
        CampaignAgency.objects.filter(
            campaign__status=CampaignStatus.OPEN,
            campaign__allow_public_link=True,
            campaign__starts_on__lte=day,
            campaign__ends_on__gte=day,
        )
        .select_related("agency__unit", "campaign")
        .order_by("agency__unit__path", "agency__name")
    )


def published_campaigns() -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(results_published=True)
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("agency", "questionnaire")
        .annotate(response_total=Coalesce(_response_count(OuterRef("pk")), Value(0)))
        .order_by("-starts_on", "-pk")
    )


def kiosks_for(user: Any) -> QuerySet[Kiosk]:
    return (
        Kiosk.objects.filter(agency_scope_q(user, "agency"))
        .select_related("agency")
        .annotate(response_count=Count("responses", filter=Q(responses__voided_at__isnull=True)))
        .order_by("agency__name", "name")
    )


def recent_paper_responses(campaign: Campaign, user: Any, limit: int = 20) -> QuerySet[Response]:
    return (
        Response.objects.filter(campaign=campaign, channel="paper")
        .filter(agency_scope_q(user, "agency"))
        .select_related("agency", "entered_by")
        .order_by("-submitted_at")[:limit]
    )


def raw_answers(
    *, campaign: Campaign, agency_ids: Collection[int] | None
) -> tuple[list[Question], list[dict[str, Any]]]:
    """Anonymised raw answers of a campaign: one row per valid response, no contact details,
    no entering official, no network trace (for the XLSX export)."""
    questions = questions_of(campaign.questionnaire)
    responses = Response.objects.valid().filter(campaign=campaign)
    if agency_ids is not None:
        responses = responses.filter(agency_id__in=list(agency_ids))
    rows: dict[int, dict[str, Any]] = {}
    for r in responses.select_related("agency").order_by("agency__name", "answered_on", "pk"):
        rows[r.pk] = {
            "agency": r.agency.name,
            "channel": r.get_channel_display(),
            "answered_on": r.answered_on,
            "field": r.field,
            "answers": {},
        }
    answers = Answer.objects.filter(response__in=responses).values_list(
        "response_id", "question__code", "scale", "not_applicable", "number", "text", "choices"
    )
    for response_id, code, scale, na, number, text, choices in answers.iterator(chunk_size=5000):
        row = rows.get(response_id)
        if row is None:
            continue
        if na:
            value: Any = str(NOT_APPLICABLE_LABEL)
        elif scale is not None:
            value = scale
        elif number is not None:
            value = float(number)
        elif choices:
            value = ", ".join(choices)
        else:
            value = text
        row["answers"][code] = value
    return questions, list(rows.values())
