"""The minimum comment period for drafts of legal documents, as versioned deadline rules."""

from datetime import date
from decimal import Decimal

from django.db import migrations

RULES = [
    # key, variant, amount, unit, effective_from, title, legal basis, verified
    ("consultations.min_period", "normal", 30, "calendar_days", date(2016, 7, 1),
     "Thời gian lấy ý kiến dự thảo văn bản quy phạm pháp luật (tối thiểu)",
     "Luật Ban hành văn bản quy phạm pháp luật 80/2015/QH13, Điều 57", True),
    ("consultations.min_period", "normal", 20, "calendar_days", date(2025, 4, 1),
     "Thời gian lấy ý kiến dự thảo văn bản quy phạm pháp luật (tối thiểu)",
     "Luật Ban hành văn bản quy phạm pháp luật 64/2025/QH15", False),
]


def seed(apps, schema_editor):
    rule = apps.get_model("core", "DeadlineRule")
    for key, variant, amount, unit, since, title, basis, verified in RULES:
        rule.objects.update_or_create(
            key=key, variant=variant, effective_from=since,
            defaults={"amount": Decimal(amount), "unit": unit, "title": title,
                      "legal_basis": basis, "verified": verified},
        )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial"), ("core", "0004_seed_deadline_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
