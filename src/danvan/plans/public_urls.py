from django.urls import path

from danvan.plans.views import public

app_name = "plans-public"
urlpatterns = [
    path("ke-hoach/", public.plan_list, name="plan-list"),
    path("ke-hoach/<int:pk>/", public.plan_detail, name="plan-detail"),
]
