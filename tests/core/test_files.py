"""Attachments: checked by content and size, stored under a random name, downloaded through a link
signed for one user that expires."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings as SettingsWrapper

from danvan.core import files
from danvan.core.errors import ValidationFailed
from danvan.core.models import Attachment
from tests.world import World


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Đơn khiếu nại về đất đai</p>").write_pdf()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture(autouse=True)
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- names -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system.ini.pdf", "system.ini.pdf"),
        ("/tmp/Đơn khiếu nại (bản 2).pdf", "Đơn khiếu nại (bản 2).pdf"),
        ("a;rm -rf $HOME|x.pdf", "a_rm -rf _HOME_x.pdf"),
        ("ten\x00tep\n.pdf", "tentep.pdf"),
        ("  .hidden.pdf. ", "hidden.pdf"),
    ],
)
def test_safe_name_keeps_only_a_harmless_base_name(raw: str, safe: str) -> None:
    name = files.safe_name(raw)
    assert name == safe
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")


@pytest.mark.parametrize("raw", ["", "..", "../", "/", "...", "\x00\x01"])
def test_safe_name_refuses_names_with_nothing_left(raw: str) -> None:
    with pytest.raises(ValidationFailed, match="Tên tệp không hợp lệ"):
        files.safe_name(raw)


def test_safe_name_shortens_long_names() -> None:
    assert len(files.safe_name("a" * 400 + ".pdf")) == 150


# --- checks ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "maker", "mime"),
    [
        ("don.pdf", pdf_bytes, "application/pdf"),
        ("anh.png", png_bytes, "image/png"),
        ("anh.jpg", jpeg_bytes, "image/jpeg"),
        ("ẢNH CHỤP.JPEG", jpeg_bytes, "image/jpeg"),
    ],
)
def test_real_files_are_accepted(name: str, maker: Callable[[], bytes], mime: str) -> None:
    checked_name, kind = files.check_upload(upload(name, maker()))
    assert checked_name == name
    assert kind.mime == mime


def test_html_renamed_pdf_is_refused() -> None:
    page = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
    with pytest.raises(ValidationFailed, match="không đúng định dạng") as caught:
        files.check_upload(upload("hoa-don.pdf", page))
    assert caught.value.details == {"field": "file"}
    # even with leading blank lines
    with pytest.raises(ValidationFailed):
        files.check_upload(upload("hoa-don.pdf", b"\n\n  " + page))


def test_an_image_named_pdf_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="không đúng định dạng"):
        files.check_upload(upload("don.pdf", png_bytes()))


def test_an_oversized_file_is_refused() -> None:
    data = pdf_bytes()
    with pytest.raises(ValidationFailed, match="quá lớn"):
        files.check_upload(upload("don.pdf", data), max_bytes=len(data) - 1)
    assert files.check_upload(upload("don.pdf", data), max_bytes=len(data))[0] == "don.pdf"


def test_the_default_limit_comes_from_the_settings(settings: SettingsWrapper) -> None:
    data = png_bytes()
    settings.ATTACHMENT_MAX_BYTES = len(data) - 1
    with pytest.raises(ValidationFailed, match="quá lớn"):
        files.check_upload(upload("anh.png", data))


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="rỗng"):
        files.check_upload(upload("don.pdf", b""))


@pytest.mark.parametrize(
    "name", ["setup.exe", "trang.html", "anh.svg", "don.pdf.exe", "khong-duoi"]
)
def test_a_disallowed_extension_is_refused(name: str) -> None:
    with pytest.raises(ValidationFailed, match="không đúng định dạng"):
        files.check_upload(upload(name, pdf_bytes()))


def test_allowed_kinds_narrow_the_choice() -> None:
    with pytest.raises(ValidationFailed):
        files.check_upload(upload("don.pdf", pdf_bytes()), allowed=("png", "jpg"))


# --- storage ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_attachment_is_stored_under_a_random_name(world: World, media: Path) -> None:
    data = pdf_bytes()
    owner = world.agencies["pc_a"]
    att = files.attachment_create(
        upload=upload("../../etc/passwd.pdf", data),
        actor=world.user("citizen"),
        owner=owner,
        purpose="don",
    )
    att.refresh_from_db()
    assert att.original_name == "passwd.pdf"
    assert att.content_type == "application/pdf"
    assert att.size == len(data)
    assert att.sha256 == hashlib.sha256(data).hexdigest()
    assert (att.owner_type, att.owner_id, att.purpose) == ("org.agency", str(owner.pk), "don")
    assert att.uploaded_by == world.user("citizen")
    stored = Path(att.file.path)
    assert stored.is_file()
    assert stored.read_bytes() == data
    assert media in stored.parents
    assert "passwd" not in att.file.name
    assert ".." not in att.file.name
    assert stored.name.endswith(".pdf") and len(stored.stem) == 32  # uuid4 hex
    assert att.file.name.startswith("attachments/")


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(media: Path) -> None:
    with pytest.raises(ValidationFailed):
        files.attachment_create(upload=upload("don.pdf", b"<html></html>"), actor=None)
    assert Attachment.objects.count() == 0
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


# --- signed links and the download view ------------------------------------------------------------
@pytest.fixture
def attachment(world: World) -> Attachment:
    return files.attachment_create(
        upload=upload("Đơn khiếu nại.pdf", pdf_bytes()), actor=world.user("citizen")
    )


@pytest.mark.django_db
def test_a_token_is_valid_for_its_user_only(world: World, attachment: Attachment) -> None:
    token = files.signed_token(attachment, world.user("citizen"))
    assert files.unsign_token(token, world.user("citizen")) == attachment.pk
    assert files.unsign_token(token, world.user("handler")) is None
    assert files.unsign_token(token, world.user("anonymous")) is None
    assert files.unsign_token(token + "x", world.user("citizen")) is None
    assert files.unsign_token("khong-phai-token", world.user("citizen")) is None


@pytest.mark.django_db
def test_a_token_expires(world: World, attachment: Attachment) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = files.signed_token(attachment, world.user("citizen"))
        traveller.shift(timedelta(seconds=299))
        assert files.unsign_token(token, world.user("citizen")) == attachment.pk
        traveller.shift(timedelta(seconds=2))
        assert files.unsign_token(token, world.user("citizen")) is None
        assert files.unsign_token(token, world.user("citizen"), max_age=600) == attachment.pk


@pytest.mark.django_db
def test_the_download_view_serves_an_attachment_with_nosniff(
    client: Client, world: World, attachment: Attachment
) -> None:
    client.force_login(world.user("citizen"))
    url = reverse(
        "attachment-download", args=[files.signed_token(attachment, world.user("citizen"))]
    )
    assert url.startswith("/files/")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition  # the Vietnamese name, encoded
    assert "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    body = b"".join(response.streaming_content)
    assert body == Path(attachment.file.path).read_bytes()
    assert body.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_download_view_refuses_another_users_token(
    client: Client, world: World, attachment: Attachment
) -> None:
    token = files.signed_token(attachment, world.user("citizen"))
    client.force_login(world.user("handler"))
    assert client.get(reverse("attachment-download", args=[token])).status_code == 404
    client.logout()
    assert client.get(reverse("attachment-download", args=[token])).status_code == 404


@pytest.mark.django_db
def test_the_download_view_refuses_an_expired_token(
    client: Client, world: World, attachment: Attachment
) -> None:
    client.force_login(world.user("citizen"))
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = files.signed_token(attachment, world.user("citizen"))
        traveller.shift(timedelta(minutes=6))
        assert client.get(reverse("attachment-download", args=[token])).status_code == 404


@pytest.mark.django_db
def test_the_download_view_404s_for_an_attachment_that_is_gone(
    client: Client, world: World, attachment: Attachment
) -> None:
    client.force_login(world.user("citizen"))
    # a valid signature for an id that no longer exists (the row was removed since)
    gone = Attachment(pk=attachment.pk + 1000)
    token = files.signed_token(gone, world.user("citizen"))
    assert files.unsign_token(token, world.user("citizen")) == gone.pk
    assert client.get(reverse("attachment-download", args=[token])).status_code == 404
