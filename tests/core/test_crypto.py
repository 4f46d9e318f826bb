"""Field encryption with key rotation: the first key encrypts, every key decrypts."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from pytest_django.fixtures import Settings as SettingsWrapper

from danvan.core import crypto

SECRET = "Số CCCD 083204001234 — Nguyễn Thị Ánh, ấp Bình Lợi"


@pytest.fixture
def keys(settings: SettingsWrapper) -> tuple[SettingsWrapper, str, str]:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    return settings, old, new


def test_round_trip_of_vietnamese_text(keys: tuple[SettingsWrapper, str, str]) -> None:
    token = crypto.encrypt(SECRET)
    assert crypto.decrypt(token) == SECRET
    assert SECRET not in token
    assert "083204001234" not in token
    assert crypto.encrypt(SECRET) != token  # a fresh IV every time


def test_an_old_key_still_decrypts_after_a_new_key_is_added(
    keys: tuple[SettingsWrapper, str, str],
) -> None:
    settings, old, new = keys
    token = crypto.encrypt(SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == SECRET
    rotated = crypto.rotate(token)
    assert rotated != token
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key retired
    assert crypto.decrypt(rotated) == SECRET
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(token)


def test_altered_data_is_refused(keys: tuple[SettingsWrapper, str, str]) -> None:
    token = crypto.encrypt(SECRET)
    altered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt(altered)
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt("khong-phai-ban-ma")
