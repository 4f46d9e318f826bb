"""Administrators edit the versioned legal minimums of reception days and the themes followed.
(Petitions themselves are never shown in the admin: the sealed identity stays out of it.)"""

from __future__ import annotations

from django.contrib import admin

from danvan.petitions.models import ReceptionQuota, Tag


@admin.register(ReceptionQuota)
class ReceptionQuotaAdmin(admin.ModelAdmin):
    list_display = ["level", "days", "per", "effective_from", "legal_basis"]
    list_filter = ["level"]
    ordering = ["level", "-effective_from"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
