"""The leaders' dashboard page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from danvan.dashboard import selectors
from danvan.plans.periods import PeriodType, ReportingPeriod
from danvan.shell import registry


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dashboard.view_dashboard"):
        raise PermissionDenied
    kind = request.GET.get("kind", PeriodType.YEAR)
    if kind not in PeriodType.values:
        kind = PeriodType.YEAR
    try:
        period = ReportingPeriod.parse(request.GET["period"]) if "period" in request.GET else None
    except ValueError:
        period = None
    period = period or ReportingPeriod.containing(kind, timezone.localdate())
    agencies = selectors.scope_agencies(request.user)
    fresh = request.GET.get("fresh") == "1"
    figures, computed_at = selectors.key_figures_at(request.user, period, agencies, fresh=fresh)
    keys = selectors.key_indicators()
    chosen = request.GET.get("rank") or (keys[0].identifier if keys else "")
    ranking = []
    if chosen in {i.identifier for i in keys} and len(agencies) > 1:
        ranking = selectors.ranking(registry.indicators.get(chosen), agencies, period, fresh=fresh)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "period": period,
            "previous": period.previous(),
            "figures": figures,
            "computed_at": computed_at,
            "ranking": ranking,
            "chosen": registry.indicators.get(chosen)
            if ranking or chosen in registry.indicators
            else None,
            "indicators": keys,
            "agencies": agencies,
            "kinds": PeriodType.choices,
            "kind": period.kind,
        },
    )
