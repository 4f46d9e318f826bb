"""Seed data of the petitions app: the themes followed (tags), the legal minimum of reception days
per level (Law on Citizen Reception 42/2013/QH13), and the deadline rules this app adds to those of
core/0004 (the others — complaint.*, denunciation.*, petition.handling, reception.reply — are there)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

TAGS = [
    ("land", "Đất đai, bồi thường, giải phóng mặt bằng"),
    ("social_policy", "Chính sách xã hội, người có công, hộ nghèo"),
    ("official_conduct", "Thái độ, tác phong, trách nhiệm của cán bộ"),
]

QUOTAS = [
    # level, days, per, effective_from, legal basis
    ("commune_chair", 1, "week", date(2014, 7, 1), "Luật Tiếp công dân 42/2013/QH13, Điều 15"),
    ("district_chair", 2, "month", date(2014, 7, 1), "Luật Tiếp công dân 42/2013/QH13, Điều 14"),
    ("province_chair", 1, "month", date(2014, 7, 1), "Luật Tiếp công dân 42/2013/QH13, Điều 12"),
    ("agency_head", 1, "month", date(2014, 7, 1), "Luật Tiếp công dân 42/2013/QH13, Điều 13"),
]

RULES = [
    # key, variant, amount, unit, effective_from, title, basis, verified, note
    (
        "recommendation.resolution", "normal", 10, "working_days", date(2021, 8, 16),
        "Giải quyết, trả lời kiến nghị, phản ánh đã thụ lý",
        "Thông tư 05/2021/TT-TTCP; Nghị định 20/2008/NĐ-CP", False,
        "Pháp luật chuyên ngành có thể quy định thời hạn khác; cần đối chiếu văn bản.",
    ),
]


def seed(apps, schema_editor):
    tag = apps.get_model("petitions", "Tag")
    for code, label in TAGS:
        tag.objects.update_or_create(code=code, defaults={"label": label})
    quota = apps.get_model("petitions", "ReceptionQuota")
    for level, days, per, since, basis in QUOTAS:
        quota.objects.update_or_create(
            level=level, effective_from=since,
            defaults={"days": days, "per": per, "legal_basis": basis},
        )
    rule = apps.get_model("core", "DeadlineRule")
    for key, variant, amount, unit, since, title, basis, verified, note in RULES:
        rule.objects.update_or_create(
            key=key, variant=variant, effective_from=since,
            defaults={"amount": Decimal(amount), "unit": unit, "title": title,
                      "legal_basis": basis, "verified": verified, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial"), ("core", "0004_seed_deadline_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
