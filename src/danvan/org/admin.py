from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from danvan.org.models import AdminUnit, Agency, Official, OfficialRole, User


@admin.register(User)
class DanVanUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("DânVận", {"fields": ("full_name", "phone")}))
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "valid_from", "valid_to")
    list_filter = ("level",)
    search_fields = ("name", "code")
    filter_horizontal = ("successors",)
    raw_id_fields = ("parent",)


class OfficialRoleInline(admin.TabularInline):
    model = OfficialRole
    extra = 1


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "position", "is_active")
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "user__full_name", "agency__name")
    inlines = [OfficialRoleInline]
    raw_id_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "unit", "mobilisation_lead")
    list_select_related = ("unit", "mobilisation_lead__user")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    raw_id_fields = ("unit", "parent", "mobilisation_lead")
