"""Tamper-evident audit trail.

Every service calls :func:`record` inside its transaction. Records are append-only (database
triggers refuse UPDATE and DELETE) and hash-chained: each record's hash covers its content and the
previous record's hash, so an edited, deleted or reordered record breaks the chain from that point
on, and :func:`verify` (``danvan audit verify``) finds the first broken link.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from danvan.core.context import current_request_info
from danvan.core.models import AuditHead, AuditRecord

GENESIS = "0" * 64
MASK = "***"


def _jsonable(value: Any) -> Any:
    """Values as they will read back from a JSON column (so the hash is stable)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, float):
        # PostgreSQL's jsonb reads 1e20 back as 100000000000000000000 and -0.0 as 0.0, which
        # would break the hash: keep integral floats as ints, non-finite ones (not JSON) as text.
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (FKs as ids), to diff after a change."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(obj, attname))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def changes_of(obj: models.Model, before: Mapping[str, Any]) -> dict[str, list[Any]]:
    return diff(before, snapshot(obj, before.keys()))


def _payload(rec: AuditRecord) -> str:
    body = {
        "seq": rec.seq,
        "at": rec.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": rec.actor_id,
        "actor_label": rec.actor_label,
        "action": rec.action,
        "object_type": rec.object_type,
        "object_id": rec.object_id,
        "object_repr": rec.object_repr,
        "changes": rec.changes,
        "data": rec.data,
        "ip": rec.ip,
        "request_id": rec.request_id,
        "prev": rec.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(rec: AuditRecord) -> str:
    return hashlib.sha256(_payload(rec).encode("utf-8")).hexdigest()


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str | None = None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditRecord:
    """Append one record to the trail, chained to the previous one.

    ``object_repr``, ``changes`` and ``data`` are stored as given: never pass secret values
    (mask them with :data:`MASK`). Must run inside the service's transaction.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if object_repr is None:
            object_repr = str(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    info = current_request_info()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS}
        )
        rec = AuditRecord(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=user.pk if user else None,
            actor_label=(actor_label or (user.get_username() if user else "hệ thống"))[:200],
            action=action,
            object_type=object_type[:100],
            object_id=object_id[:64],
            object_repr=(object_repr or "")[:300],
            changes=_jsonable(dict(changes or {})),
            data=_jsonable(dict(data or {})),
            ip=info.ip,
            request_id=info.request_id,
            prev_hash=head.hash,
        )
        rec.hash = compute_hash(rec)
        rec.save(force_insert=True)
        head.seq, head.hash = rec.seq, rec.hash
        head.save(update_fields=["seq", "hash"])
    return rec


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain in order; report the first record whose link or content does not match."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    qs = AuditRecord.objects.order_by("seq")
    while True:
        chunk = list(qs.filter(seq__gt=last_seq)[:batch])
        if not chunk:
            break
        for rec in chunk:
            if rec.seq != expected_seq:
                return VerifyResult(
                    False, checked, expected_seq, f"thiếu bản ghi số {expected_seq} (bị xóa)"
                )
            if rec.prev_hash != expected_prev:
                return VerifyResult(
                    False,
                    checked,
                    rec.seq,
                    "liên kết tới bản ghi trước không khớp (bị sắp xếp lại)",
                )
            if compute_hash(rec) != rec.hash:
                return VerifyResult(False, checked, rec.seq, "nội dung bản ghi đã bị sửa")
            expected_prev = rec.hash
            expected_seq += 1
            checked += 1
            last_seq = rec.seq
    head = AuditHead.objects.filter(pk=1).first()
    if head and (head.seq != last_seq or head.hash != expected_prev):
        return VerifyResult(False, checked, last_seq + 1, "các bản ghi cuối chuỗi đã bị xóa")
    return VerifyResult(True, checked)
