"""Attachments: checked by content (not only by name) and size, stored under a random name, and
downloaded only through a permission-checked view or a short-lived link signed for one user."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

import puremagic
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from danvan.core.errors import ValidationFailed
from danvan.core.models import Attachment

ERR_TOO_BIG = gettext_noop("Tệp “{name}” quá lớn ({size} MB); dung lượng tối đa là {limit} MB.")
ERR_TYPE = gettext_noop(
    "Tệp “{name}” không đúng định dạng cho phép ({allowed}). Nội dung tệp không khớp với phần mở rộng."
)
ERR_EMPTY = gettext_noop("Tệp “{name}” rỗng.")
ERR_NAME = gettext_noop("Tên tệp không hợp lệ.")


@dataclass(frozen=True)
class FileKind:
    extensions: tuple[str, ...]
    mime: str
    magic_exts: tuple[str, ...]  # what content sniffing may report for it


KINDS: dict[str, FileKind] = {
    "pdf": FileKind((".pdf",), "application/pdf", (".pdf",)),
    "jpg": FileKind((".jpg", ".jpeg"), "image/jpeg", (".jpg", ".jpeg", ".jfif", ".jpe")),
    "png": FileKind((".png",), "image/png", (".png",)),
    "webp": FileKind((".webp",), "image/webp", (".webp",)),
    "docx": FileKind(
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx", ".zip"),
    ),
    "xlsx": FileKind(
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx", ".zip"),
    ),
}
DOCUMENTS = ("pdf", "jpg", "png", "docx")
IMAGES_AND_PDF = ("pdf", "jpg", "png", "webp")

_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_name(name: str) -> str:
    """The base name only, without control characters, path parts or shell metacharacters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name or name in {".", ".."}:
        raise ValidationFailed(_(ERR_NAME), field="file")
    return name[:150]


def _sniff(head: bytes) -> set[str]:
    try:
        return {m.extension.lower() for m in puremagic.magic_string(head) if m.extension}
    except puremagic.PureError:
        return set()


def check_upload(
    upload: UploadedFile, allowed: tuple[str, ...] = DOCUMENTS, max_bytes: int | None = None
) -> tuple[str, FileKind]:
    """Validate ``upload``; return its safe name and kind, or raise a Vietnamese error."""
    name = safe_name(upload.name or "")
    limit = max_bytes or settings.ATTACHMENT_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed(_(ERR_EMPTY).format(name=name), field="file")
    if size > limit:
        raise ValidationFailed(
            _(ERR_TOO_BIG).format(
                name=name,
                size=f"{size / 1048576:.1f}".replace(".", ","),
                limit=f"{limit / 1048576:g}".replace(".", ","),
            ),
            field="file",
        )
    ext = os.path.splitext(name)[1].lower()
    allowed_text = ", ".join(sorted({e for k in allowed for e in KINDS[k].extensions}))
    kind = next((KINDS[k] for k in allowed if ext in KINDS[k].extensions), None)
    if kind is None:
        raise ValidationFailed(_(ERR_TYPE).format(name=name, allowed=allowed_text), field="file")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not _sniff(head) & set(kind.magic_exts) or head.lstrip()[:1] == b"<":
        raise ValidationFailed(_(ERR_TYPE).format(name=name, allowed=allowed_text), field="file")
    return name, kind


def attachment_create(
    *,
    upload: UploadedFile,
    actor: Any,
    owner: models.Model | None = None,
    purpose: str = "",
    allowed: tuple[str, ...] = DOCUMENTS,
    max_bytes: int | None = None,
) -> Attachment:
    name, kind = check_upload(upload, allowed, max_bytes)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}{kind.extensions[0]}"  # never the user's name on disk
    return Attachment.objects.create(
        file=upload,
        original_name=name,
        content_type=kind.mime,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        owner_type=owner._meta.label_lower if owner is not None else "",
        owner_id=str(owner.pk) if owner is not None else "",
        purpose=purpose,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


_SALT = "danvan.attachment"


def signed_token(attachment: Attachment, user: Any) -> str:
    """A download token for ``attachment``, valid for one user (0: anonymous) and a few minutes."""
    uid = user.pk if getattr(user, "is_authenticated", False) else 0
    return signing.TimestampSigner(salt=_SALT).sign_object({"a": attachment.pk, "u": uid})


def unsign_token(token: str, user: Any, max_age: int = 300) -> int | None:
    """The attachment id if ``token`` is valid for ``user``, else None."""
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age)
    except signing.BadSignature:
        return None
    uid = user.pk if getattr(user, "is_authenticated", False) else 0
    return int(data["a"]) if data.get("u") == uid else None
