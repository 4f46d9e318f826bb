"""The surveys app's own time rule: how long a one-time survey link stays valid after it is
given out (a local choice, not a legal deadline; editable as new versions in the back office)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

RULES = [
    ("surveys.invitation_valid", "normal", 30, "calendar_days", date(2023, 1, 1),
     "Thời hạn sử dụng đường dẫn khảo sát sự hài lòng (kể từ khi trả kết quả)",
     "Quy định của tỉnh khi triển khai khảo sát (theo phương pháp SIPAS, Quyết định 1001/QĐ-BNV)",
     False),
]


def seed(apps, schema_editor):
    rule = apps.get_model("core", "DeadlineRule")
    for key, variant, amount, unit, since, title, basis, verified in RULES:
        rule.objects.update_or_create(
            key=key, variant=variant, effective_from=since,
            defaults={"amount": Decimal(amount), "unit": unit, "title": title,
                      "legal_basis": basis, "verified": verified},
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "DeadlineRule").objects.filter(key="surveys.invitation_valid").delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("core", "0004_seed_deadline_rules")]
    operations = [migrations.RunPython(seed, unseed)]
