"""Demo data of the surveys app: the ready SIPAS-style questionnaire, last year's campaign (closed,
results published) and this year's (open), realistic answers across departments, a district and
communes, two counter kiosks, and the account of the survey organiser at Home Affairs.

Answers are generated in bulk (thousands of rows), directly rather than through the services,
with a fixed seed so every demo looks the same."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from danvan.core.calendar import TZ
from danvan.org import services as org_services
from danvan.org.demo import DEMO_PASSWORD
from danvan.org.models import Agency, User
from danvan.org.roles import Role
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
from danvan.surveys.sipas import Element, target_sample
from danvan.surveys.sipas_questionnaire import CODE, INTRO, INTRO_EN, SECTIONS, TITLE, TITLE_EN

ORGANISER = ("khaosat.snv", "Lâm Thị Thu Hà", "Chuyên viên phụ trách khảo sát sự hài lòng (SIPAS)")
KIOSK_KEYS = {"STP": "demo-quay-so-tu-phap", "UBND-831": "demo-quay-chau-thanh"}

# agency code -> (population N, satisfaction level, fields)
PARTICIPANTS: dict[str, tuple[int, float, tuple[str, ...]]] = {
    "STP": (250, 0.91, ("Hộ tịch", "Chứng thực", "Lý lịch tư pháp")),
    "STNMT": (400, 0.74, ("Đất đai", "Môi trường")),
    "SXD": (180, 0.82, ("Cấp phép xây dựng", "Quy hoạch xây dựng")),
    "SLDTBXH": (300, 0.87, ("Người có công", "Bảo trợ xã hội", "Việc làm")),
    "UBND-831": (500, 0.79, ("Đất đai", "Hộ tịch", "Đăng ký kinh doanh")),
}
COMMUNE_POPULATIONS = (120, 90)
COMMUNE_FIELDS = ("Hộ tịch", "Chứng thực", "Đất đai")
# elements where people are less satisfied (SIPAS findings: feedback handling scores lowest)
ELEMENT_SHIFT: dict[str, float] = {
    Element.ACCESS: 0.0,
    Element.PROCEDURES: -0.03,
    Element.OFFICIALS: 0.03,
    Element.RESULTS: 0.02,
    Element.FEEDBACK: -0.08,
}
COMMENTS = (
    "Cán bộ hướng dẫn nhiệt tình, dễ hiểu.",
    "Đề nghị bố trí thêm chỗ ngồi chờ vào buổi sáng.",
    "Nên gửi tin nhắn báo trước khi có kết quả.",
    "Thủ tục còn yêu cầu nộp bản sao giấy tờ đã có trên hệ thống.",
    "Thời gian chờ lấy số thứ tự còn lâu.",
    "Rất hài lòng, kết quả trả sớm hơn hẹn.",
    "Mong có thêm hướng dẫn nộp hồ sơ trực tuyến cho người lớn tuổi.",
    "Bãi giữ xe chật, trời mưa không có mái che.",
)


def sipas_questionnaire(*, created_by: User | None = None) -> Questionnaire:
    """The published SIPAS questionnaire (version 1), created once."""
    existing = Questionnaire.objects.filter(code=CODE, version=1).first()
    if existing is not None:
        return existing
    q = Questionnaire.objects.create(
        code=CODE,
        version=1,
        title=TITLE,
        title_en=TITLE_EN,
        intro=INTRO,
        intro_en=INTRO_EN,
        status=QuestionnaireStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=created_by,
    )
    for s_order, spec in enumerate(SECTIONS, start=1):
        section = Section.objects.create(
            questionnaire=q,
            order=s_order,
            element=spec.element,
            title=spec.title,
            title_en=spec.title_en,
            in_index=spec.in_index,
        )
        for q_order, qs in enumerate(spec.questions, start=1):
            question = Question.objects.create(
                questionnaire=q,
                section=section,
                order=q_order,
                code=qs.code,
                kind=qs.kind,
                text=qs.text,
                text_en=qs.text_en,
                help=qs.help,
                help_en=qs.help_en,
                required=qs.required,
                allow_na=qs.allow_na,
                min_value=Decimal(qs.min_value) if qs.min_value is not None else None,
                max_value=Decimal(qs.max_value) if qs.max_value is not None else None,
            )
            Choice.objects.bulk_create(
                Choice(question=question, order=i, code=c, label=label, label_en=label_en)
                for i, (c, label, label_en) in enumerate(qs.choices, start=1)
            )
    return q


def _organiser() -> User:
    username, full_name, position = ORGANISER
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    org_services.official_add(
        actor=None,
        user=user,
        agency=Agency.objects.get(code="SNV"),
        roles=[Role.HOME_AFFAIRS],
        position=position,
    )
    return user


def _scale(rng: random.Random, level: float) -> int:
    if rng.random() < level:
        return 5 if rng.random() < 0.42 else 4
    r = rng.random()
    return 3 if r < 0.6 else 2 if r < 0.9 else 1


def _answers(
    rng: random.Random, questions: list[Question], level: float, response: Response
) -> list[Answer]:
    rows: list[Answer] = []
    for q in questions:
        a = Answer(response=response, question=q)
        if q.kind == QuestionKind.SCALE:
            element = q.section.element
            na_rate = 0.45 if element == Element.FEEDBACK else 0.12
            if q.allow_na and rng.random() < na_rate:
                a.not_applicable = True
            else:
                a.scale = _scale(rng, max(0.05, min(0.99, level + ELEMENT_SHIFT.get(element, 0))))
        elif q.kind == QuestionKind.SINGLE:
            if rng.random() < 0.15:
                continue
            a.choices = [rng.choice([c.code for c in q.choices.all()])]
        elif q.kind == QuestionKind.MULTIPLE:
            codes = [c.code for c in q.choices.all()]
            a.choices = sorted(rng.sample(codes, rng.randint(1, 2)), key=codes.index)
        elif q.kind == QuestionKind.NUMBER:
            if rng.random() < 0.2:
                continue
            a.number = Decimal(rng.choices([1, 2, 3, 4], weights=[55, 30, 10, 5])[0])
        else:
            if rng.random() > 0.18:
                continue
            a.text = rng.choice(COMMENTS)
        rows.append(a)
    return rows


def _campaign(
    *,
    title: str,
    questionnaire: Questionnaire,
    organiser: Agency,
    start: date,
    end: date,
    status: str,
    published: bool,
    created_by: User,
) -> Campaign:
    return Campaign.objects.create(
        title=title,
        title_en=title.replace("Khảo sát sự hài lòng năm", "Satisfaction survey"),
        questionnaire=questionnaire,
        agency=organiser,
        starts_on=start,
        ends_on=end,
        status=status,
        results_published=published,
        opened_at=datetime.combine(start, time(8, 0), TZ),
        closed_at=datetime.combine(end, time(17, 0), TZ)
        if status == CampaignStatus.CLOSED
        else None,
        created_by=created_by,
    )


def _fill(
    rng: random.Random,
    campaign: Campaign,
    participants: list[tuple[Agency, int, float, tuple[str, ...]]],
    *,
    until: date,
    completion: float,
    kiosks: dict[int, Kiosk],
    clerks: dict[int, User],
) -> None:
    questions = list(
        Question.objects.filter(questionnaire=campaign.questionnaire)
        .select_related("section")
        .prefetch_related("choices")
        .order_by("section__order", "order")
    )
    days = (until - campaign.starts_on).days + 1
    for agency, population, level, fields in participants:
        participant = CampaignAgency.objects.create(
            campaign=campaign,
            agency=agency,
            population=population,
            target_sample=target_sample(population, campaign.margin),
        )
        count = int(participant.target_sample * completion * rng.uniform(0.9, 1.15))
        responses: list[Response] = []
        invitations: list[Invitation] = []
        for i in range(count):
            day = campaign.starts_on + timedelta(days=rng.randrange(days))
            moment = datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59)), TZ)
            channel = rng.choices(
                [
                    ResponseChannel.KIOSK,
                    ResponseChannel.PUBLIC,
                    ResponseChannel.PAPER,
                    ResponseChannel.INVITATION,
                ],
                weights=[35 if agency.pk in kiosks else 0, 25, 25, 15],
            )[0]
            invitation = None
            if channel == ResponseChannel.INVITATION:
                token = f"demo-{campaign.pk}-{agency.pk}-{i}"
                invitation = Invitation(
                    campaign=campaign,
                    agency=agency,
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    subject_type="demo",
                    subject_id=f"{agency.code}-{day:%y%m%d}-{i:04d}",
                    expires_at=moment + timedelta(days=30),
                    used_at=moment,
                )
                invitations.append(invitation)
            responses.append(
                Response(
                    campaign=campaign,
                    agency=agency,
                    questionnaire=campaign.questionnaire,
                    channel=channel,
                    invitation=invitation,
                    kiosk=kiosks.get(agency.pk) if channel == ResponseChannel.KIOSK else None,
                    entered_by=clerks[agency.pk] if channel == ResponseChannel.PAPER else None,
                    paper_ref=f"{day:%m}-{i + 1:04d}" if channel == ResponseChannel.PAPER else "",
                    field=rng.choice(fields),
                    answered_on=day,
                    submitted_at=moment,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=500)
        Response.objects.bulk_create(responses, batch_size=500)
        answers: list[Answer] = []
        for r in responses:
            answers.extend(_answers(rng, questions, level + rng.uniform(-0.04, 0.04), r))
        Answer.objects.bulk_create(answers, batch_size=2000)


@transaction.atomic
def load_surveys_demo() -> None:
    today = timezone.localdate()
    current_title = f"Khảo sát sự hài lòng năm {today.year}"
    if Campaign.objects.filter(title=current_title).exists():
        return
    organiser_user = _organiser()
    snv = Agency.objects.get(code="SNV")
    questionnaire = sipas_questionnaire(created_by=organiser_user)
    agencies = {a.code: a for a in Agency.objects.filter(code__in=PARTICIPANTS)}
    communes = list(Agency.objects.filter(parent__code="UBND-831").order_by("code")[:2])
    participants = [
        (agencies[code], n, level, fields)
        for code, (n, level, fields) in PARTICIPANTS.items()
        if code in agencies
    ] + [
        (commune, COMMUNE_POPULATIONS[i % 2], 0.84 - 0.07 * i, COMMUNE_FIELDS)
        for i, commune in enumerate(communes)
    ]
    kiosks: dict[int, Kiosk] = {}
    for code, key in KIOSK_KEYS.items():
        if code in agencies:
            kiosk, _ = Kiosk.objects.get_or_create(
                key=key,
                defaults={
                    "agency": agencies[code],
                    "name": "Máy tính bảng quầy Một cửa",
                    "created_by": organiser_user,
                },
            )
            kiosks[agencies[code].pk] = kiosk
    clerks: dict[int, User] = {}
    for agency, *_rest in participants:
        front = User.objects.filter(
            memberships__agency=agency, memberships__roles__role=Role.FRONT_DESK
        ).first()
        clerks[agency.pk] = front or organiser_user
    rng = random.Random(5793)  # noqa: S311 - demo data, reproducible on purpose
    last = _campaign(
        title=f"Khảo sát sự hài lòng năm {today.year - 1}",
        questionnaire=questionnaire,
        organiser=snv,
        start=date(today.year - 1, 1, 1),
        end=date(today.year - 1, 12, 31),
        status=CampaignStatus.CLOSED,
        published=True,
        created_by=organiser_user,
    )
    # last year: most agencies reached their sample; the last commune fell short
    _fill(
        rng,
        last,
        participants[:-1],
        until=last.ends_on,
        completion=1.05,
        kiosks=kiosks,
        clerks=clerks,
    )
    _fill(
        rng,
        last,
        participants[-1:],
        until=last.ends_on,
        completion=0.7,
        kiosks=kiosks,
        clerks=clerks,
    )
    current = _campaign(
        title=current_title,
        questionnaire=questionnaire,
        organiser=snv,
        start=date(today.year, 1, 1),
        end=date(today.year, 12, 31),
        status=CampaignStatus.OPEN,
        published=False,
        created_by=organiser_user,
    )
    elapsed = ((today - current.starts_on).days + 1) / (
        (current.ends_on - current.starts_on).days + 1
    )
    # a little better than last year (a few points), and behind schedule at the land department
    shifted = [(a, n, min(0.97, level + 0.03), f) for a, n, level, f in participants]
    for item in shifted:
        completion = elapsed * (0.6 if item[0].code == "STNMT" else 1.0)
        _fill(
            rng, current, [item], until=today, completion=completion, kiosks=kiosks, clerks=clerks
        )


def demo_accounts() -> list[dict[str, str]]:
    username, _full_name, _position = ORGANISER
    agency = Agency.objects.select_related("unit").filter(code="SNV").first()
    return [
        {
            "username": username,
            "password": DEMO_PASSWORD,
            "role": str(Role.HOME_AFFAIRS),
            "agency": agency.name if agency else "Sở Nội vụ",
            "unit": agency.unit.name if agency else "",
        }
    ]
