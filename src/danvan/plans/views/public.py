"""The public accountability pages: the plan's tasks and their progress, as citizens read them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from danvan.plans import selectors
from danvan.plans.models import Task
from danvan.shell import registry


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.public_plans())
    return render(
        request,
        "plans/public_plan_list.html",
        {
            "plans": [(p, selectors.plan_progress(p)) for p in plans],
        },
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.public_plans(), pk=pk)
    progress = selectors.task_progress(plan)
    groups = []
    children: dict[int, list[Task]] = {}
    tasks = list(Task.objects.filter(plan=plan).order_by("order"))
    for t in tasks:
        if t.parent_id:
            children.setdefault(t.parent_id, []).append(t)
    for t in tasks:
        if t.parent_id is None and t.kind in ("group", "duty"):
            groups.append(
                (t, progress.get(t.pk), [(c, progress.get(c.pk)) for c in children.get(t.pk, [])])
            )
    links = [i for i in registry.menu if i.area == "public" and i.identifier in PUBLIC_FOLLOW_UPS]
    return render(
        request,
        "plans/public_plan_detail.html",
        {
            "plan": plan,
            "overall": selectors.plan_progress(plan),
            "groups": groups,
            "purposes": [t for t in tasks if t.kind == "purpose"],
            "requirements": [
                (r, selectors.requirement_state(r))
                for r in plan.requirements.select_related("agency", "submitted")
            ],
            "follow_ups": links,
        },
    )


# Other apps' public pages that show what was promised and done (linked when installed).
PUBLIC_FOLLOW_UPS = {
    "dialogues.commitments",
    "dialogues.public",
    "consultations.public",
    "feedback.public",
    "surveys.results",
}
