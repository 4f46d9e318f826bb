"""Writes of the surveys app. Each service is keyword-only, runs in one transaction, checks the
actor's permission, validates, and writes the audit trail.

Citizens' answers are deliberately **not** written to the audit trail: an audit record keeps the
client's address, which would tie an anonymous answer to a person. The response row itself is the
record; officials' actions (paper entry, voiding, campaign work) are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core import audit, crypto, deadlines
from danvan.core.calendar import TZ, as_local
from danvan.core.errors import (
    InvalidTransition,
    NotFoundError,
    PermissionDeniedError,
    RateLimited,
    ValidationFailed,
)
from danvan.core.models import Channel
from danvan.core.notify import notify
from danvan.org.models import Agency
from danvan.surveys.answers import Contact, clean_answers, clean_contact
from danvan.surveys.models import (
    Answer,
    Campaign,
    CampaignAgency,
    CampaignStatus,
    Choice,
    Invitation,
    Kiosk,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Response,
    ResponseChannel,
    Section,
)
from danvan.surveys.selectors import indices_changed, open_participant, questions_of
from danvan.surveys.sipas import target_sample

ERR_NOT_ALLOWED = gettext_noop("Bạn không có quyền thực hiện thao tác này.")
ERR_NOT_DRAFT = gettext_noop(
    "Phiếu đã ban hành thì không sửa được. Hãy tạo phiên bản mới để chỉnh sửa."
)
ERR_CODE_TAKEN = gettext_noop("Mã câu hỏi “{code}” đã có trong phiếu này.")
ERR_CHOICES_NEEDED = gettext_noop("Câu hỏi lựa chọn cần ít nhất hai phương án.")
ERR_CHOICE_CODES = gettext_noop("Mã các phương án lựa chọn không được trùng nhau.")
ERR_NUMBER_BOUNDS = gettext_noop("Giá trị nhỏ nhất phải nhỏ hơn hoặc bằng giá trị lớn nhất.")
ERR_NA_SCALE_ONLY = gettext_noop("Chỉ câu hỏi thang 5 mức mới có lựa chọn “Không áp dụng”.")
ERR_EMPTY_QUESTIONNAIRE = gettext_noop("Phiếu chưa có câu hỏi nào nên chưa ban hành được.")
ERR_NO_SCALE = gettext_noop("Phiếu cần ít nhất một câu hỏi thang 5 mức tính vào chỉ số hài lòng.")
ERR_NOT_PUBLISHED = gettext_noop("Chỉ dùng được phiếu khảo sát đã ban hành.")
ERR_DATES = gettext_noop("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
ERR_MARGIN = gettext_noop("Sai số cho phép phải lớn hơn 0 và nhỏ hơn 1 (ví dụ 0,05).")
ERR_CAMPAIGN_NOT_DRAFT = gettext_noop(
    "Đợt khảo sát đã bắt đầu nên không thay đổi được nội dung này."
)
ERR_CAMPAIGN_NOT_OPEN = gettext_noop("Đợt khảo sát không ở trạng thái đang khảo sát.")
ERR_NO_PARTICIPANTS = gettext_noop("Đợt khảo sát chưa có cơ quan được khảo sát.")
ERR_OVERLAP = gettext_noop(
    "{agency} đang được khảo sát trong đợt “{campaign}” có thời gian trùng với đợt này. Mỗi cơ "
    "quan chỉ tham gia một đợt đang mở tại một thời điểm."
)
ERR_HAS_RESPONSES = gettext_noop("Cơ quan đã có phiếu trả lời nên không bỏ khỏi đợt được.")
ERR_NOT_PARTICIPANT = gettext_noop("Cơ quan này không thuộc đợt khảo sát.")
ERR_TOKEN_UNKNOWN = gettext_noop(
    "Đường dẫn khảo sát không đúng. Vui lòng kiểm tra lại mã QR hoặc đường dẫn trong tin nhắn."
)
ERR_TOKEN_USED = gettext_noop(
    "Phiếu khảo sát này đã được trả lời. Mỗi đường dẫn chỉ dùng được một lần — cảm ơn ông/bà "
    "đã tham gia."
)
ERR_TOKEN_EXPIRED = gettext_noop("Đường dẫn khảo sát đã hết hạn sử dụng.")
ERR_CLOSED = gettext_noop("Đợt khảo sát chưa bắt đầu hoặc đã kết thúc, nên chưa nhận được phiếu.")
ERR_NO_SURVEY = gettext_noop("Hiện {agency} không có đợt khảo sát nào đang nhận ý kiến.")
ERR_PUBLIC_OFF = gettext_noop("Đợt khảo sát này không nhận phiếu qua đường dẫn công khai.")
ERR_KIOSK_OFF = gettext_noop("Đợt khảo sát này không nhận phiếu qua máy tại quầy.")
ERR_KIOSK_UNKNOWN = gettext_noop("Máy khảo sát không đúng hoặc đã ngừng sử dụng.")
ERR_RATE_SOURCE = gettext_noop(
    "Ông/bà đã gửi nhiều phiếu trong thời gian ngắn. Để kết quả khách quan, vui lòng thử lại "
    "sau một giờ."
)
ERR_RATE_AGENCY = gettext_noop(
    "Hệ thống đang nhận quá nhiều phiếu cho cơ quan này. Vui lòng thử lại sau ít phút."
)
ERR_RATE_KIOSK = gettext_noop("Máy khảo sát gửi quá nhiều phiếu trong một giờ.")
ERR_PAPER_DUP = gettext_noop("Phiếu giấy số “{ref}” của cơ quan này đã được nhập trước đó.")
ERR_PAPER_DATE = gettext_noop(
    "Ngày trả lời phải nằm trong thời gian của đợt khảo sát ({start} – {end}) và không sau hôm nay."
)
ERR_ALREADY_VOID = gettext_noop("Phiếu này đã bị hủy trước đó.")
ERR_VOID_REASON = gettext_noop("Vui lòng ghi lý do hủy phiếu.")

INVITATION_RULE = "surveys.invitation_valid"
KIOSK_BACKDATE_DAYS = 7  # a kiosk's queued answer may carry a time this far back


def _changed() -> None:
    """The data the indices count changed: forget cached indices now (with a database cache this
    is part of the transaction) and again once committed (for a cache outside the database)."""
    indices_changed()
    transaction.on_commit(indices_changed)


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDeniedError(_(ERR_NOT_ALLOWED))


def _require_draft(questionnaire: Questionnaire) -> None:
    if not questionnaire.is_draft:
        raise InvalidTransition(_(ERR_NOT_DRAFT))


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# --- questionnaires --------------------------------------------------------------------------------
@transaction.atomic
def questionnaire_create(
    *, actor: Any, code: str, title: str, title_en: str = "", intro: str = "", intro_en: str = ""
) -> Questionnaire:
    """A new questionnaire (version 1 of a new code, or the next version of an existing code)."""
    _require(actor, "surveys.manage_questionnaire")
    latest = Questionnaire.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0
    questionnaire = Questionnaire(
        code=code,
        version=latest + 1,
        title=title,
        title_en=title_en,
        intro=intro,
        intro_en=intro_en,
        created_by=actor,
    )
    questionnaire.full_clean()
    questionnaire.save()
    audit.record(actor=actor, action="surveys.questionnaire_create", obj=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    title: str,
    title_en: str = "",
    intro: str = "",
    intro_en: str = "",
) -> Questionnaire:
    _require(actor, "surveys.manage_questionnaire")
    _require_draft(questionnaire)
    before = audit.snapshot(questionnaire, ["title", "title_en", "intro", "intro_en"])
    questionnaire.title, questionnaire.title_en = title, title_en
    questionnaire.intro, questionnaire.intro_en = intro, intro_en
    questionnaire.full_clean()
    questionnaire.save()
    audit.record(
        actor=actor,
        action="surveys.questionnaire_update",
        obj=questionnaire,
        changes=audit.changes_of(questionnaire, before),
    )
    return questionnaire


@transaction.atomic
def section_add(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    element: str,
    title: str,
    title_en: str = "",
    in_index: bool = True,
) -> Section:
    _require(actor, "surveys.manage_questionnaire")
    _require_draft(questionnaire)
    last = questionnaire.sections.aggregate(o=Max("order"))["o"]
    section = Section(
        questionnaire=questionnaire,
        order=(last or 0) + 1,
        element=element,
        title=title,
        title_en=title_en,
        in_index=in_index,
    )
    section.full_clean()
    section.save()
    audit.record(
        actor=actor,
        action="surveys.section_add",
        obj=section,
        data={"questionnaire": questionnaire.pk, "element": element},
    )
    return section


@transaction.atomic
def section_delete(*, actor: Any, section: Section) -> None:
    _require(actor, "surveys.manage_questionnaire")
    _require_draft(section.questionnaire)
    audit.record(
        actor=actor,
        action="surveys.section_delete",
        obj=section,
        data={"questionnaire": section.questionnaire_id},
    )
    section.delete()


@dataclass(frozen=True)
class ChoiceIn:
    code: str
    label: str
    label_en: str = ""


def _check_question(
    *,
    questionnaire: Questionnaire,
    code: str,
    kind: str,
    allow_na: bool,
    min_value: Decimal | None,
    max_value: Decimal | None,
    choices: Sequence[ChoiceIn],
    exclude_pk: int | None = None,
) -> None:
    taken = Question.objects.filter(questionnaire=questionnaire, code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationFailed(_(ERR_CODE_TAKEN).format(code=code), errors={"code": ""})
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len([c for c in choices if c.label.strip()]) < 2:
            raise ValidationFailed(_(ERR_CHOICES_NEEDED), errors={"choices": ""})
        codes = [c.code for c in choices]
        if len(set(codes)) != len(codes):
            raise ValidationFailed(_(ERR_CHOICE_CODES), errors={"choices": ""})
    if allow_na and kind != QuestionKind.SCALE:
        raise ValidationFailed(_(ERR_NA_SCALE_ONLY), errors={"allow_na": ""})
    if min_value is not None and max_value is not None and min_value > max_value:
        raise ValidationFailed(_(ERR_NUMBER_BOUNDS), errors={"min_value": ""})


def _save_choices(question: Question, kind: str, choices: Sequence[ChoiceIn]) -> None:
    question.choices.all().delete()
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return
    rows = []
    for i, c in enumerate(c for c in choices if c.label.strip()):
        choice = Choice(
            question=question,
            order=i + 1,
            code=c.code.strip() or str(i + 1),
            label=c.label.strip(),
            label_en=c.label_en.strip(),
        )
        choice.full_clean(exclude=["question"])
        rows.append(choice)
    Choice.objects.bulk_create(rows)


@transaction.atomic
def question_add(
    *,
    actor: Any,
    section: Section,
    code: str,
    kind: str,
    text: str,
    text_en: str = "",
    help: str = "",
    help_en: str = "",
    required: bool = True,
    allow_na: bool = False,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    choices: Sequence[ChoiceIn] = (),
) -> Question:
    _require(actor, "surveys.manage_questionnaire")
    questionnaire = section.questionnaire
    _require_draft(questionnaire)
    code = code.strip()
    _check_question(
        questionnaire=questionnaire,
        code=code,
        kind=kind,
        allow_na=allow_na,
        min_value=min_value,
        max_value=max_value,
        choices=choices,
    )
    last = section.questions.aggregate(o=Max("order"))["o"]
    question = Question(
        questionnaire=questionnaire,
        section=section,
        order=(last or 0) + 1,
        code=code,
        kind=kind,
        text=text,
        text_en=text_en,
        help=help,
        help_en=help_en,
        required=required,
        allow_na=allow_na,
        min_value=min_value if kind == QuestionKind.NUMBER else None,
        max_value=max_value if kind == QuestionKind.NUMBER else None,
    )
    question.full_clean()
    question.save()
    _save_choices(question, kind, choices)
    audit.record(
        actor=actor,
        action="surveys.question_add",
        obj=question,
        data={"questionnaire": questionnaire.pk, "code": code, "kind": kind},
    )
    return question


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question: Question,
    code: str,
    kind: str,
    text: str,
    text_en: str = "",
    help: str = "",
    help_en: str = "",
    required: bool = True,
    allow_na: bool = False,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    choices: Sequence[ChoiceIn] = (),
) -> Question:
    _require(actor, "surveys.manage_questionnaire")
    _require_draft(question.questionnaire)
    code = code.strip()
    _check_question(
        questionnaire=question.questionnaire,
        code=code,
        kind=kind,
        allow_na=allow_na,
        min_value=min_value,
        max_value=max_value,
        choices=choices,
        exclude_pk=question.pk,
    )
    fields = ["code", "kind", "text", "text_en", "help", "help_en", "required", "allow_na"]
    before = audit.snapshot(question, fields)
    question.code, question.kind, question.text, question.text_en = code, kind, text, text_en
    question.help, question.help_en = help, help_en
    question.required, question.allow_na = required, allow_na
    question.min_value = min_value if kind == QuestionKind.NUMBER else None
    question.max_value = max_value if kind == QuestionKind.NUMBER else None
    question.full_clean()
    question.save()
    _save_choices(question, kind, choices)
    audit.record(
        actor=actor,
        action="surveys.question_update",
        obj=question,
        changes=audit.changes_of(question, before),
    )
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    _require(actor, "surveys.manage_questionnaire")
    _require_draft(question.questionnaire)
    audit.record(
        actor=actor,
        action="surveys.question_delete",
        obj=question,
        data={"questionnaire": question.questionnaire_id, "code": question.code},
    )
    question.delete()


@transaction.atomic
def questionnaire_publish(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """Freeze a draft: from now on it can be used by campaigns and no longer edited."""
    _require(actor, "surveys.manage_questionnaire")
    _require_draft(questionnaire)
    questions = questions_of(questionnaire)
    if not questions:
        raise InvalidTransition(_(ERR_EMPTY_QUESTIONNAIRE))
    if not any(q.kind == QuestionKind.SCALE and q.section.in_index for q in questions):
        raise InvalidTransition(_(ERR_NO_SCALE))
    for q in questions:
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(q.choices.all()) < 2:
            raise InvalidTransition(f"{q.code}: {_(ERR_CHOICES_NEEDED)}")
    questionnaire.status = QuestionnaireStatus.PUBLISHED
    questionnaire.published_at = timezone.now()
    questionnaire.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="surveys.questionnaire_publish",
        obj=questionnaire,
        data={"code": questionnaire.code, "version": questionnaire.version},
    )
    return questionnaire


@transaction.atomic
def questionnaire_retire(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    _require(actor, "surveys.manage_questionnaire")
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise InvalidTransition(_(ERR_NOT_PUBLISHED))
    questionnaire.status = QuestionnaireStatus.RETIRED
    questionnaire.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="surveys.questionnaire_retire", obj=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_new_version(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """A draft copy (sections, questions, choices) as the next version of the same code."""
    _require(actor, "surveys.manage_questionnaire")
    latest = Questionnaire.objects.filter(code=questionnaire.code).aggregate(v=Max("version"))["v"]
    copy = Questionnaire.objects.create(
        code=questionnaire.code,
        version=(latest or 0) + 1,
        title=questionnaire.title,
        title_en=questionnaire.title_en,
        intro=questionnaire.intro,
        intro_en=questionnaire.intro_en,
        based_on=questionnaire,
        created_by=actor,
    )
    for section in questionnaire.sections.prefetch_related("questions__choices"):
        new_section = Section.objects.create(
            questionnaire=copy,
            order=section.order,
            element=section.element,
            title=section.title,
            title_en=section.title_en,
            in_index=section.in_index,
        )
        for q in section.questions.all():
            new_q = Question.objects.create(
                questionnaire=copy,
                section=new_section,
                order=q.order,
                code=q.code,
                kind=q.kind,
                text=q.text,
                text_en=q.text_en,
                help=q.help,
                help_en=q.help_en,
                required=q.required,
                allow_na=q.allow_na,
                min_value=q.min_value,
                max_value=q.max_value,
            )
            Choice.objects.bulk_create(
                Choice(
                    question=new_q, order=c.order, code=c.code, label=c.label, label_en=c.label_en
                )
                for c in q.choices.all()
            )
    audit.record(
        actor=actor,
        action="surveys.questionnaire_new_version",
        obj=copy,
        data={"based_on": questionnaire.pk, "version": copy.version},
    )
    return copy


@transaction.atomic
def questionnaire_create_sipas(*, actor: Any) -> Questionnaire:
    """A draft of the ready SIPAS-style questionnaire (the five elements, Vietnamese and English),
    as the next version of code ``sipas``: the organiser reviews it, adapts it and publishes."""
    from danvan.surveys import sipas_questionnaire as spec

    q = questionnaire_create(
        actor=actor,
        code=spec.CODE,
        title=spec.TITLE,
        title_en=spec.TITLE_EN,
        intro=spec.INTRO,
        intro_en=spec.INTRO_EN,
    )
    for s in spec.SECTIONS:
        section = section_add(
            actor=actor,
            questionnaire=q,
            element=s.element,
            title=s.title,
            title_en=s.title_en,
            in_index=s.in_index,
        )
        for x in s.questions:
            question_add(
                actor=actor,
                section=section,
                code=x.code,
                kind=x.kind,
                text=x.text,
                text_en=x.text_en,
                help=x.help,
                help_en=x.help_en,
                required=x.required,
                allow_na=x.allow_na,
                min_value=Decimal(x.min_value) if x.min_value is not None else None,
                max_value=Decimal(x.max_value) if x.max_value is not None else None,
                choices=[ChoiceIn(code, label, label_en) for code, label, label_en in x.choices],
            )
    return q


# --- campaigns -------------------------------------------------------------------------------------
def _check_campaign(campaign: Campaign) -> None:
    if campaign.ends_on < campaign.starts_on:
        raise ValidationFailed(_(ERR_DATES), errors={"ends_on": _(ERR_DATES)})
    if not Decimal(0) < Decimal(campaign.margin) < Decimal(1):
        raise ValidationFailed(_(ERR_MARGIN), errors={"margin": _(ERR_MARGIN)})


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    agency: Agency,
    title: str,
    starts_on: date,
    ends_on: date,
    title_en: str = "",
    margin: Decimal = Decimal("0.05"),
    allow_public_link: bool = True,
    allow_kiosk: bool = True,
    participants: Sequence[tuple[Agency, int]] = (),
) -> Campaign:
    """A campaign in preparation, organised by ``agency``; ``participants`` are (agency, N)."""
    _require(actor, "surveys.add_campaign")
    _require(actor, "surveys.change_campaign", agency)
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise ValidationFailed(_(ERR_NOT_PUBLISHED), errors={"questionnaire": _(ERR_NOT_PUBLISHED)})
    campaign = Campaign(
        questionnaire=questionnaire,
        agency=agency,
        title=title,
        title_en=title_en,
        starts_on=starts_on,
        ends_on=ends_on,
        margin=margin,
        allow_public_link=allow_public_link,
        allow_kiosk=allow_kiosk,
        created_by=actor,
    )
    _check_campaign(campaign)
    campaign.full_clean()
    campaign.save()
    for participant, population in participants:
        _participant_set(campaign, participant, population)
    audit.record(
        actor=actor,
        action="surveys.campaign_create",
        obj=campaign,
        data={
            "questionnaire": questionnaire.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "participants": [[a.pk, n] for a, n in participants],
        },
    )
    return campaign


@transaction.atomic
def campaign_update(
    *,
    actor: Any,
    campaign: Campaign,
    title: str,
    starts_on: date,
    ends_on: date,
    title_en: str = "",
    margin: Decimal | None = None,
    allow_public_link: bool = True,
    allow_kiosk: bool = True,
) -> Campaign:
    """Change a campaign. Once open, its start date and margin stay as they were."""
    _require(actor, "surveys.change_campaign", campaign)
    fields = [
        "title",
        "title_en",
        "starts_on",
        "ends_on",
        "margin",
        "allow_public_link",
        "allow_kiosk",
    ]
    before = audit.snapshot(campaign, fields)
    if campaign.status != CampaignStatus.DRAFT and (
        starts_on != campaign.starts_on or (margin is not None and margin != campaign.margin)
    ):
        raise InvalidTransition(_(ERR_CAMPAIGN_NOT_DRAFT))
    campaign.title, campaign.title_en = title, title_en
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    if margin is not None:
        campaign.margin = margin
    campaign.allow_public_link, campaign.allow_kiosk = allow_public_link, allow_kiosk
    _check_campaign(campaign)
    campaign.full_clean()
    campaign.save()
    if "margin" in audit.changes_of(campaign, before):
        for p in campaign.participants.all():
            p.target_sample = target_sample(p.population, campaign.margin)
            p.save(update_fields=["target_sample"])
        _changed()
    audit.record(
        actor=actor,
        action="surveys.campaign_update",
        obj=campaign,
        changes=audit.changes_of(campaign, before),
    )
    return campaign


def _participant_set(campaign: Campaign, agency: Agency, population: int) -> CampaignAgency:
    participant, _created = CampaignAgency.objects.get_or_create(campaign=campaign, agency=agency)
    participant.population = max(0, int(population))
    participant.target_sample = target_sample(participant.population, campaign.margin)
    participant.full_clean()
    participant.save()
    _changed()
    return participant


@transaction.atomic
def participant_set(
    *, actor: Any, campaign: Campaign, agency: Agency, population: int
) -> CampaignAgency:
    """Add an agency to a campaign, or change its population N (the target n follows)."""
    _require(actor, "surveys.change_campaign", campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise InvalidTransition(_(ERR_CAMPAIGN_NOT_OPEN))
    existing = CampaignAgency.objects.filter(campaign=campaign, agency=agency).first()
    if existing is None and campaign.status == CampaignStatus.OPEN:
        _check_overlap(campaign, [agency.pk])
    participant = _participant_set(campaign, agency, population)
    audit.record(
        actor=actor,
        action="surveys.participant_set",
        obj=participant,
        data={
            "agency": agency.pk,
            "population": participant.population,
            "target_sample": participant.target_sample,
        },
    )
    return participant


@transaction.atomic
def participant_remove(*, actor: Any, participant: CampaignAgency) -> None:
    _require(actor, "surveys.change_campaign", participant.campaign)
    if Response.objects.filter(campaign=participant.campaign, agency=participant.agency).exists():
        raise InvalidTransition(_(ERR_HAS_RESPONSES))
    audit.record(
        actor=actor,
        action="surveys.participant_remove",
        obj=participant,
        data={"campaign": participant.campaign_id, "agency": participant.agency_id},
    )
    participant.delete()
    _changed()


def _check_overlap(campaign: Campaign, agency_ids: Sequence[int]) -> None:
    clash = (
        CampaignAgency.objects.filter(
            agency_id__in=agency_ids,
            campaign__status=CampaignStatus.OPEN,
            campaign__starts_on__lte=campaign.ends_on,
            campaign__ends_on__gte=campaign.starts_on,
        )
        .exclude(campaign=campaign)
        .select_related("agency", "campaign")
        .first()
    )
    if clash is not None:
        raise InvalidTransition(
            _(ERR_OVERLAP).format(agency=clash.agency.name, campaign=clash.campaign.title)
        )


@transaction.atomic
def campaign_open(*, actor: Any, campaign: Campaign) -> Campaign:
    """Start taking answers (links, QR codes, kiosks, paper entry)."""
    _require(actor, "surveys.change_campaign", campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise InvalidTransition(_(ERR_CAMPAIGN_NOT_DRAFT))
    agency_ids = list(campaign.participants.values_list("agency_id", flat=True))
    if not agency_ids:
        raise InvalidTransition(_(ERR_NO_PARTICIPANTS))
    _check_overlap(campaign, agency_ids)
    campaign.status = CampaignStatus.OPEN
    campaign.opened_at = timezone.now()
    campaign.save(update_fields=["status", "opened_at", "updated_at"])
    audit.record(actor=actor, action="surveys.campaign_open", obj=campaign)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    _require(actor, "surveys.change_campaign", campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.OPEN:
        raise InvalidTransition(_(ERR_CAMPAIGN_NOT_OPEN))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record(actor=actor, action="surveys.campaign_close", obj=campaign)
    return campaign


@transaction.atomic
def campaign_publish_results(*, actor: Any, campaign: Campaign, published: bool) -> Campaign:
    """Show (or hide) the campaign's indices on the public results page."""
    _require(actor, "surveys.change_campaign", campaign)
    if campaign.status == CampaignStatus.DRAFT:
        raise InvalidTransition(_(ERR_CAMPAIGN_NOT_OPEN))
    campaign.results_published = published
    campaign.save(update_fields=["results_published", "updated_at"])
    audit.record(
        actor=actor,
        action="surveys.campaign_publish_results" if published else "surveys.campaign_unpublish",
        obj=campaign,
    )
    return campaign


# --- invitations (one-time links) ------------------------------------------------------------------
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_url(token: str) -> str:
    """The absolute public URL of a one-time link (what the QR code holds)."""
    path = reverse("surveys-public:invitation", args=[token])
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def qr_svg_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation and its token (shown once: only its hash is stored)."""

    invitation: Invitation
    token: str

    @property
    def url(self) -> str:
        return answer_url(self.token)

    @property
    def qr(self) -> str:
        """The QR code of :attr:`url`, as an ``<img src>`` data URI (SVG)."""
        return qr_svg_data_uri(self.url)


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), TZ)


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    agency: Agency,
    subject_type: str = "",
    subject_id: str = "",
    field: str = "",
    phone: str = "",
    email: str = "",
    now: datetime | None = None,
) -> IssuedInvitation | None:
    """A one-time link for someone the agency served (for instance when a dossier's result is
    returned): the QR code for the slip, and an SMS / e-mail when a number or address is given.

    Returns None when the agency has no open campaign today, or when the subject
    (``subject_type``, ``subject_id``) was already invited in this campaign. ``actor=None`` is
    the system (a periodic task).
    """
    if actor is not None:
        _require(actor, "surveys.invite", agency)
    now = now or timezone.now()
    participant = open_participant(agency, as_local(now).date())
    if participant is None:
        return None
    campaign = participant.campaign
    if (
        subject_id
        and Invitation.objects.filter(
            campaign=campaign, subject_type=subject_type, subject_id=str(subject_id)
        ).exists()
    ):
        return None
    deadline, _rule = deadlines.deadline_for(INVITATION_RULE, now)
    expires_at = min(_end_of_day(deadline.due.astimezone(TZ).date()), _end_of_day(campaign.ends_on))
    token = secrets.token_urlsafe(16)
    invitation = Invitation(
        campaign=campaign,
        agency=agency,
        token_hash=token_hash(token),
        subject_type=subject_type[:100],
        subject_id=str(subject_id)[:64],
        field=field[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=expires_at,
    )
    invitation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # the same subject invited concurrently
        return None
    issued = IssuedInvitation(invitation, token)
    day = as_local(expires_at).strftime("%d/%m/%Y")
    channels = []
    if phone.strip():
        notify(
            channel=Channel.SMS,
            recipient=phone,
            body=_(
                "{agency} mời ông/bà đánh giá sự hài lòng về việc giải quyết hồ sơ tại {url} "
                "(dùng một lần, đến hết ngày {day}). Xin cảm ơn!"
            ).format(agency=agency.short_name or agency.name, url=issued.url, day=day),
            obj=invitation,
        )
        channels.append("sms")
    if email.strip():
        notify(
            channel=Channel.EMAIL,
            recipient=email,
            subject=_("Mời tham gia khảo sát sự hài lòng — {agency}").format(agency=agency.name),
            body=_(
                "Kính gửi ông/bà,\n\n{agency} trân trọng mời ông/bà cho biết mức độ hài lòng "
                "về việc giải quyết thủ tục hành chính vừa qua. Phiếu khảo sát mất khoảng 3 phút, "
                "không cần đăng nhập, và được giữ ẩn danh nếu ông/bà không để lại thông tin:\n\n"
                "{url}\n\nĐường dẫn dùng được một lần, đến hết ngày {day}.\n\nXin trân trọng "
                "cảm ơn."
            ).format(agency=agency.name, url=issued.url, day=day),
            obj=invitation,
        )
        channels.append("email")
    audit.record(
        actor=actor,
        action="surveys.invitation_create",
        obj=invitation,
        data={
            "campaign": campaign.pk,
            "agency": agency.pk,
            "subject": f"{subject_type}:{subject_id}" if subject_id else "",
            "channels": channels,
        },
    )
    return issued


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("campaign__questionnaire", "agency")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_check(invitation: Invitation | None, *, now: datetime | None = None) -> Invitation:
    """The invitation, if it can still be answered; else the reason, as an error."""
    now = now or timezone.now()
    if invitation is None:
        raise NotFoundError(_(ERR_TOKEN_UNKNOWN), code="unknown_token")
    if invitation.used_at is not None:
        raise InvalidTransition(_(ERR_TOKEN_USED), code="already_answered")
    if invitation.expires_at < now:
        raise InvalidTransition(_(ERR_TOKEN_EXPIRED), code="expired")
    campaign = invitation.campaign
    today = as_local(now).date()
    if (
        campaign.status != CampaignStatus.OPEN
        or not campaign.starts_on <= today <= campaign.ends_on
    ):
        raise InvalidTransition(_(ERR_CLOSED), code="closed")
    return invitation


# --- kiosks ----------------------------------------------------------------------------------------
@transaction.atomic
def kiosk_create(*, actor: Any, agency: Agency, name: str, idle_seconds: int = 90) -> Kiosk:
    _require(actor, "surveys.manage_kiosk", agency)
    kiosk = Kiosk(
        agency=agency,
        name=name,
        idle_seconds=idle_seconds,
        key=secrets.token_urlsafe(24),
        created_by=actor,
    )
    kiosk.full_clean()
    kiosk.save()
    audit.record(actor=actor, action="surveys.kiosk_create", obj=kiosk, data={"agency": agency.pk})
    return kiosk


@transaction.atomic
def kiosk_set_active(*, actor: Any, kiosk: Kiosk, active: bool) -> Kiosk:
    _require(actor, "surveys.manage_kiosk", kiosk)
    kiosk.is_active = active
    kiosk.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="surveys.kiosk_activate" if active else "surveys.kiosk_deactivate",
        obj=kiosk,
    )
    return kiosk


# --- responses -------------------------------------------------------------------------------------
def source_hash(client_ip: str | None, agency_id: int, day: date) -> str:
    """A keyed hash of the client's address, the agency and the day: enough to count repeated
    submissions from one place, useless to find who answered (and cleared after a day)."""
    message = f"{day.isoformat()}|{agency_id}|{client_ip or '-'}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _record(
    *,
    participant: CampaignAgency,
    channel: str,
    answers: Mapping[str, Any],
    contact: Contact | None,
    answered_on: date,
    now: datetime,
    invitation: Invitation | None = None,
    kiosk: Kiosk | None = None,
    client_id: uuid.UUID | None = None,
    entered_by: Any = None,
    paper_ref: str = "",
    field: str = "",
    source: str = "",
) -> Response:
    """Check and store one response with its answers (inside the caller's transaction)."""
    campaign = participant.campaign
    questions = questions_of(campaign.questionnaire)
    errors: dict[str, str] = {}
    problem: ValidationFailed | None = None
    try:
        cleaned = clean_answers(questions, answers)
    except ValidationFailed as exc:
        problem = exc
        errors.update(exc.details.get("errors", {}))
    try:
        person = clean_contact(contact)
    except ValidationFailed as exc:
        problem = problem or exc
        errors.update(exc.details.get("errors", {}))
    if problem is not None:  # every problem of the sheet at once
        raise ValidationFailed(problem.message, errors=errors)
    response = Response(
        campaign=campaign,
        agency_id=participant.agency_id,
        questionnaire_id=campaign.questionnaire_id,
        channel=channel,
        invitation=invitation,
        kiosk=kiosk,
        client_id=client_id,
        entered_by=entered_by,
        paper_ref=paper_ref.strip()[:40],
        field=field.strip()[:200],
        answered_on=answered_on,
        submitted_at=now,
        is_anonymous=person is None,
        contact_encrypted=crypto.encrypt(json.dumps(person.as_dict(), ensure_ascii=False))
        if person
        else "",
        source_hash=source,
    )
    # Uniqueness (one response per invitation, per kiosk submission, per paper sheet) is left to
    # the database constraints, which hold under concurrent submissions too.
    response.full_clean(validate_unique=False, validate_constraints=False)
    response.save()
    for a in cleaned:
        a.response = response
    Answer.objects.bulk_create(cleaned)
    _changed()
    return response


def _today(now: datetime) -> date:
    return as_local(now).date()


@transaction.atomic
def response_submit_by_token(
    *,
    token: str,
    answers: Mapping[str, Any],
    contact: Contact | None = None,
    now: datetime | None = None,
) -> Response:
    """The answer to a one-time invitation. Exactly one response per invitation: the invitation
    is claimed with a conditional update, and the database refuses a second response row."""
    now = now or timezone.now()
    invitation = invitation_check(invitation_for_token(token), now=now)
    participant = (
        CampaignAgency.objects.select_related("campaign__questionnaire")
        .filter(campaign=invitation.campaign, agency=invitation.agency)
        .first()
    )
    if participant is None:
        raise InvalidTransition(_(ERR_CLOSED), code="closed")
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=now)
    if not claimed:
        raise InvalidTransition(_(ERR_TOKEN_USED), code="already_answered")
    try:
        with transaction.atomic():
            return _record(
                participant=participant,
                channel=ResponseChannel.INVITATION,
                answers=answers,
                contact=contact,
                answered_on=_today(now),
                now=now,
                invitation=invitation,
                field=invitation.field,
            )
    except IntegrityError as exc:
        raise InvalidTransition(_(ERR_TOKEN_USED), code="already_answered") from exc


def _participant_or_error(agency: Agency, day: date) -> CampaignAgency:
    participant = open_participant(agency, day)
    if participant is None:
        raise NotFoundError(_(ERR_NO_SURVEY).format(agency=agency.name), code="no_survey")
    return participant


@transaction.atomic
def response_submit_public(
    *,
    agency: Agency,
    answers: Mapping[str, Any],
    client_ip: str | None,
    contact: Contact | None = None,
    field: str = "",
    now: datetime | None = None,
) -> Response:
    """An answer through the agency's public link, within the abuse limits: a few responses an
    hour from one address, and a ceiling per agency and hour."""
    now = now or timezone.now()
    today = _today(now)
    participant = _participant_or_error(agency, today)
    if not participant.campaign.allow_public_link:
        raise InvalidTransition(_(ERR_PUBLIC_OFF), code="public_off")
    source = source_hash(client_ip, agency.pk, today)
    hour_ago = now - timedelta(hours=1)
    recent = Response.objects.filter(channel=ResponseChannel.PUBLIC, submitted_at__gte=hour_ago)
    if recent.filter(source_hash=source).count() >= _setting("SURVEYS_PUBLIC_PER_SOURCE_HOUR", 5):
        raise RateLimited(_(ERR_RATE_SOURCE))
    if recent.filter(agency=agency).count() >= _setting("SURVEYS_PUBLIC_PER_AGENCY_HOUR", 300):
        raise RateLimited(_(ERR_RATE_AGENCY))
    return _record(
        participant=participant,
        channel=ResponseChannel.PUBLIC,
        answers=answers,
        contact=contact,
        answered_on=today,
        now=now,
        field=field,
        source=source,
    )


def kiosk_for_key(key: str) -> Kiosk | None:
    if not key or len(key) > 64:
        return None
    return Kiosk.objects.select_related("agency").filter(key=key, is_active=True).first()


@dataclass(frozen=True)
class KioskReceipt:
    response: Response
    created: bool  # False: this submission (client id) had already arrived


@transaction.atomic
def response_submit_kiosk(
    *,
    key: str,
    answers: Mapping[str, Any],
    client_id: uuid.UUID | None = None,
    answered_at: datetime | None = None,
    now: datetime | None = None,
) -> KioskReceipt:
    """An anonymous answer from a counter kiosk. A kiosk that was offline sends its queue later:
    ``client_id`` makes a resend harmless, ``answered_at`` (up to a week back) dates the answer."""
    now = now or timezone.now()
    kiosk = kiosk_for_key(key)
    if kiosk is None:
        raise NotFoundError(_(ERR_KIOSK_UNKNOWN), code="unknown_kiosk")
    if client_id is not None:
        existing = Response.objects.filter(kiosk=kiosk, client_id=client_id).first()
        if existing is not None:
            return KioskReceipt(existing, False)
    day = _today(now)
    if answered_at is not None:
        local = as_local(answered_at).date()
        if day - timedelta(days=KIOSK_BACKDATE_DAYS) <= local <= day:
            day = local
    participant = _participant_or_error(kiosk.agency, day)
    if not participant.campaign.allow_kiosk:
        raise InvalidTransition(_(ERR_KIOSK_OFF), code="kiosk_off")
    recent = Response.objects.filter(kiosk=kiosk, submitted_at__gte=now - timedelta(hours=1))
    if recent.count() >= _setting("SURVEYS_KIOSK_PER_HOUR", 120):
        raise RateLimited(_(ERR_RATE_KIOSK))
    try:
        with transaction.atomic():
            response = _record(
                participant=participant,
                channel=ResponseChannel.KIOSK,
                answers=answers,
                contact=None,
                answered_on=day,
                now=now,
                kiosk=kiosk,
                client_id=client_id,
            )
    except IntegrityError:  # the same submission arrived twice at the same moment
        existing = Response.objects.filter(kiosk=kiosk, client_id=client_id).first()
        if existing is None:
            raise
        return KioskReceipt(existing, False)
    Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
    return KioskReceipt(response, True)


@transaction.atomic
def response_enter_paper(
    *,
    actor: Any,
    participant: CampaignAgency,
    answers: Mapping[str, Any],
    answered_on: date,
    paper_ref: str = "",
    field: str = "",
    contact: Contact | None = None,
    now: datetime | None = None,
) -> Response:
    """A paper questionnaire typed in by an official (who is recorded as having entered it)."""
    _require(actor, "surveys.enter_paper", participant)
    now = now or timezone.now()
    campaign = Campaign.objects.select_related("questionnaire").get(pk=participant.campaign_id)
    participant.campaign = campaign
    if campaign.status == CampaignStatus.DRAFT:
        raise InvalidTransition(_(ERR_CAMPAIGN_NOT_OPEN))
    if not campaign.starts_on <= answered_on <= min(campaign.ends_on, _today(now)):
        message = _(ERR_PAPER_DATE).format(
            start=campaign.starts_on.strftime("%d/%m/%Y"), end=campaign.ends_on.strftime("%d/%m/%Y")
        )
        raise ValidationFailed(message, errors={"answered_on": message})
    ref = paper_ref.strip()
    duplicate = _(ERR_PAPER_DUP).format(ref=ref)
    if (
        ref
        and Response.objects.filter(
            campaign=campaign, agency_id=participant.agency_id, paper_ref=ref
        ).exists()
    ):
        raise ValidationFailed(duplicate, errors={"paper_ref": duplicate})
    try:
        with transaction.atomic():
            response = _record(
                participant=participant,
                channel=ResponseChannel.PAPER,
                answers=answers,
                contact=contact,
                answered_on=answered_on,
                now=now,
                entered_by=actor,
                paper_ref=ref,
                field=field,
            )
    except IntegrityError as exc:
        raise ValidationFailed(duplicate, errors={"paper_ref": duplicate}) from exc
    audit.record(
        actor=actor,
        action="surveys.response_enter_paper",
        obj=response,
        data={
            "campaign": campaign.pk,
            "agency": participant.agency_id,
            "paper_ref": ref,
            "answered_on": answered_on.isoformat(),
        },
    )
    return response


@transaction.atomic
def response_void(*, actor: Any, response: Response, reason: str) -> Response:
    """Take a response out of the indices (a wrongly entered paper sheet, a test), with a reason."""
    _require(actor, "surveys.void_response", response)
    if not reason.strip():
        raise ValidationFailed(_(ERR_VOID_REASON), errors={"reason": _(ERR_VOID_REASON)})
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.voided_at is not None:
        raise InvalidTransition(_(ERR_ALREADY_VOID))
    response.voided_at = timezone.now()
    response.voided_by = actor
    response.void_reason = reason.strip()[:300]
    response.save(update_fields=["voided_at", "voided_by", "void_reason"])
    _changed()
    audit.record(
        actor=actor, action="surveys.response_void", obj=response, data={"reason": reason.strip()}
    )
    return response


def sources_forget(*, before: datetime) -> int:
    """Clear the abuse-limit hashes of responses submitted before ``before`` (privacy)."""
    return (
        Response.objects.filter(submitted_at__lt=before)
        .exclude(source_hash="")
        .update(source_hash="")
    )
