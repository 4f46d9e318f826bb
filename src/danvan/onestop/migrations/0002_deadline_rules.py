"""The one-stop shop's own deadline rule: when to remind the handler that an apology may be
needed (the legal ones, onestop.return_insufficient and onestop.apology_notice, are seeded by the
core). Editable as new versions in the back office."""

from datetime import date
from decimal import Decimal

from django.db import migrations

RULES = [
    ("onestop.apology_reminder", "normal", 2, "working_days", date(2018, 6, 21),
     "Nhắc cán bộ xem xét gửi phiếu xin lỗi (hồ sơ đến hạn trong vòng)",
     "Quy chế nội bộ (để kịp gửi phiếu xin lỗi trước hạn ít nhất 01 ngày làm việc)", True),
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
    apps.get_model("core", "DeadlineRule").objects.filter(key="onestop.apology_reminder").delete()


class Migration(migrations.Migration):
    dependencies = [("onestop", "0001_initial"), ("core", "0004_seed_deadline_rules")]
    operations = [migrations.RunPython(seed, unseed)]
