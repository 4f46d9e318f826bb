"""Background tasks of the surveys app (Django Tasks API, run by the worker; scheduled by
``danvan scheduler``).

- ``invite_returned_dossiers``: every returned one-stop dossier of an agency with an open campaign
  gets a one-time survey link by SMS / e-mail (read-only use of the one-stop app's dossiers; a
  dossier already invited, e.g. by the counter printing the QR code on the result slip, is skipped).
- ``forget_sources``: clears the abuse-limit hashes of public-link responses after a day.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.apps import apps
from django.tasks import task
from django.utils import timezone

from danvan.core import scheduling
from danvan.surveys import services
from danvan.surveys.models import CampaignAgency, CampaignStatus, Invitation

log = logging.getLogger(__name__)

DOSSIER_SUBJECT = "onestop.dossier"
RETURNED_WITHIN = timedelta(days=3)  # how far back a run looks for returned dossiers
BATCH = 500


def invite_returned(*, now: datetime | None = None) -> int:
    """Create the invitations (one per dossier and campaign); return how many were created."""
    try:
        dossier_model = apps.get_model("onestop", "Dossier")
    except LookupError:  # the one-stop app is not installed
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    agency_ids = list(
        CampaignAgency.objects.filter(
            campaign__status=CampaignStatus.OPEN,
            campaign__starts_on__lte=today,
            campaign__ends_on__gte=today,
        ).values_list("agency_id", flat=True)
    )
    if not agency_ids:
        return 0
    # A dossier returned in the window was invited (if at all) after it was returned.
    invited = Invitation.objects.filter(
        subject_type=DOSSIER_SUBJECT, created_at__gte=now - RETURNED_WITHIN - timedelta(days=1)
    )
    dossiers = (
        dossier_model.objects.filter(
            status="returned",
            agency_id__in=agency_ids,
            returned_at__gte=now - RETURNED_WITHIN,
            returned_at__lte=now,
        )
        .exclude(
            pk__in=[int(s) for s in invited.values_list("subject_id", flat=True) if s.isdigit()]
        )
        .select_related("agency", "field")
        .order_by("returned_at")[:BATCH]
    )
    created = 0
    for dossier in dossiers:
        issued = services.invitation_create(
            actor=None,
            agency=dossier.agency,
            subject_type=DOSSIER_SUBJECT,
            subject_id=str(dossier.pk),
            field=dossier.field.name if dossier.field_id else "",
            phone=dossier.applicant_phone or "",
            email=dossier.applicant_email or "",
            now=now,
        )
        created += issued is not None
    if created:
        log.info("surveys: %d invitations for returned dossiers", created)
    return created


@task()
def invite_returned_dossiers() -> int:
    return invite_returned()


@task()
def forget_sources() -> int:
    return services.sources_forget(before=timezone.now() - timedelta(days=1))


scheduling.register(
    "surveys.invite_returned_dossiers", every=timedelta(minutes=15), task=invite_returned_dossiers
)
scheduling.register("surveys.forget_sources", every=timedelta(hours=6), task=forget_sources)
