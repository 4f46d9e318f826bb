"""The deadline rules of DOMAIN-RULES.md, as first versions. Later amendments are new versions
added from the back office; items marked unverified there are seeded with verified=False."""

from datetime import date
from decimal import Decimal

from django.db import migrations

WD, CD, WH = "working_days", "calendar_days", "working_hours"
# key, variant, amount, unit, effective_from, title, legal basis, verified
RULES = [
    ("onestop.return_insufficient", "normal", 3, WD, date(2018, 6, 21),
     "Cơ quan giải quyết trả lại hồ sơ chưa đủ điều kiện", "Nghị định 61/2018/NĐ-CP", True),
    ("onestop.apology_notice", "normal", 1, WD, date(2018, 6, 21),
     "Gửi phiếu xin lỗi và hẹn lại ngày trả kết quả (trước hạn ít nhất)", "Nghị định 61/2018/NĐ-CP", True),
    ("feedback.transfer", "normal", 5, WD, date(2008, 3, 29),
     "Chuyển phản ánh, kiến nghị không thuộc thẩm quyền", "Nghị định 20/2008/NĐ-CP", True),
    ("feedback.answer", "normal", 10, WD, date(2008, 3, 29),
     "Xử lý, trả lời phản ánh, kiến nghị", "Nghị định 20/2008/NĐ-CP (thời hạn trên Cổng DVC quốc gia)", False),
    ("reception.reply", "normal", 10, WD, date(2014, 7, 1),
     "Trả lời người đến khiếu nại, tố cáo, kiến nghị tại nơi tiếp công dân", "Luật Tiếp công dân 42/2013/QH13", True),
    ("petition.handling", "normal", 10, WD, date(2021, 8, 16),
     "Xử lý đơn: thụ lý, hướng dẫn hoặc chuyển đơn", "Thông tư 05/2021/TT-TTCP", False),
    ("complaint.limitation", "normal", 90, CD, date(2012, 7, 1),
     "Thời hiệu khiếu nại", "Luật Khiếu nại 02/2011/QH13", True),
    ("complaint.acceptance", "normal", 10, WD, date(2012, 7, 1),
     "Thụ lý khiếu nại", "Luật Khiếu nại 02/2011/QH13; Thông tư 07/2013/TT-TTCP", True),
    ("complaint.acceptance", "normal", 7, WD, date(2026, 7, 1),
     "Thụ lý khiếu nại (sửa đổi)", "Luật số 136/2025/QH15 sửa đổi Luật Khiếu nại", False),
    ("complaint.first_resolution", "normal", 30, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần đầu", "Luật Khiếu nại 02/2011/QH13, Điều 28", True),
    ("complaint.first_resolution", "complex", 45, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần đầu — vụ việc phức tạp", "Luật Khiếu nại 02/2011/QH13, Điều 28", True),
    ("complaint.first_resolution", "remote", 45, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần đầu — vùng sâu, vùng xa", "Luật Khiếu nại 02/2011/QH13, Điều 28", True),
    ("complaint.first_resolution", "remote_complex", 60, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần đầu — vùng sâu, vùng xa, phức tạp", "Luật Khiếu nại 02/2011/QH13, Điều 28", True),
    ("complaint.second_resolution", "normal", 45, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần hai", "Luật Khiếu nại 02/2011/QH13, Điều 37", True),
    ("complaint.second_resolution", "complex", 60, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần hai — vụ việc phức tạp", "Luật Khiếu nại 02/2011/QH13, Điều 37", True),
    ("complaint.second_resolution", "remote", 60, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần hai — vùng sâu, vùng xa", "Luật Khiếu nại 02/2011/QH13, Điều 37", True),
    ("complaint.second_resolution", "remote_complex", 70, CD, date(2012, 7, 1),
     "Giải quyết khiếu nại lần hai — vùng sâu, vùng xa, phức tạp", "Luật Khiếu nại 02/2011/QH13, Điều 37", True),
    ("complaint.second_lodging", "normal", 30, CD, date(2012, 7, 1),
     "Thời hạn khiếu nại lần hai", "Luật Khiếu nại 02/2011/QH13, Điều 33", True),
    ("complaint.second_lodging", "remote", 45, CD, date(2012, 7, 1),
     "Thời hạn khiếu nại lần hai — vùng sâu, vùng xa", "Luật Khiếu nại 02/2011/QH13, Điều 33", True),
    ("denunciation.acceptance", "normal", 7, WD, date(2019, 1, 1),
     "Tiếp nhận, phân loại, kiểm tra điều kiện thụ lý tố cáo", "Luật Tố cáo 25/2018/QH14, Điều 24", True),
    ("denunciation.acceptance", "extension", 10, WD, date(2019, 1, 1),
     "Kiểm tra điều kiện thụ lý tố cáo — trường hợp kéo dài", "Luật Tố cáo 25/2018/QH14, Điều 24", True),
    ("denunciation.transfer", "normal", 5, WD, date(2019, 1, 1),
     "Chuyển tố cáo không thuộc thẩm quyền", "Luật Tố cáo 25/2018/QH14, Điều 24", True),
    ("denunciation.resolution", "normal", 30, CD, date(2019, 1, 1),
     "Giải quyết tố cáo", "Luật Tố cáo 25/2018/QH14, Điều 30", True),
    ("denunciation.resolution", "extension", 30, CD, date(2019, 1, 1),
     "Gia hạn giải quyết tố cáo (mỗi lần)", "Luật Tố cáo 25/2018/QH14, Điều 30", True),
    ("grassroots.disclosure", "normal", 5, WD, date(2023, 7, 1),
     "Công khai thông tin ở cấp xã", "Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15, Điều 11", True),
    ("grassroots.minutes", "normal", 5, WD, date(2023, 7, 1),
     "Gửi biên bản hội nghị thôn, tổ dân phố về UBND cấp xã", "Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15", True),
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
    dependencies = [("core", "0003_database_features")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
