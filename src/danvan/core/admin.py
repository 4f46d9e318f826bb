from django.contrib import admin

from danvan.core.models import CalendarException, DeadlineRule, IssuedNumber, OutboxMessage


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ("day", "is_working_day", "name")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("key", "variant", "amount", "unit", "effective_from", "verified")
    list_filter = ("unit", "verified")
    search_fields = ("key", "title")


@admin.register(IssuedNumber)
class IssuedNumberAdmin(admin.ModelAdmin):
    list_display = ("symbol", "issuer", "doc_type", "year", "number", "issued_on")
    list_filter = ("doc_type", "year")


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "recipient", "status", "attempts")
    list_filter = ("channel", "status")
