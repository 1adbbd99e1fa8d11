"""Personal data at rest: AES-256-GCM by default, SM4 optional, keys outside the
database, rotation end to end, and no plaintext anywhere in the raw database."""

from __future__ import annotations

import base64
import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.core.crypto import token_key_id
from gongkai.inforequests.intake import inforequest_register, query_code_digest
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID, registration
from gongkai.security.fields import EncryptedTextField, digest_of
from gongkai.security.keys import key_ring, reset_key_ring

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
EMAIL = "wangxm-secret@example.cn"
ADDRESS = "河南省洛阳市老城区机密路8号"


def _key(n: int = 32) -> str:
    return base64.b64encode(os.urandom(n)).decode()


@pytest.fixture
def keys(settings):
    def use(spec: str, cipher: str = "aes256gcm") -> None:
        settings.FIELD_KEYS = spec
        settings.FIELD_CIPHER = cipher
        reset_key_ring()

    yield use
    reset_key_ring()


def _raw(pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM inforequests_inforequest WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def _register(tree):
    return inforequest_register(
        actor=tree.officer,
        organisation=tree.street,
        registration=registration(email=EMAIL, address=ADDRESS, phone=PHONE),
    )


def _all_text_in_database() -> str:
    """Every value of every column of every table, as the database returns it."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.extend(str(v) for v in row if v is not None)
    return "\n".join(chunks)


def test_the_raw_database_holds_no_plaintext_identity_number_or_contact(tree, keys):
    keys(f"k1:{_key()}")
    request, _ = _register(tree)
    everything = _all_text_in_database()
    for secret in (RESIDENT_ID, PHONE, EMAIL, ADDRESS):
        assert secret not in everything, secret
    reloaded = InfoRequest.objects.get(pk=request.pk)
    assert reloaded.id_number == RESIDENT_ID and reloaded.phone == PHONE
    assert reloaded.email == EMAIL and reloaded.address == ADDRESS


def test_every_encrypted_column_is_a_token_with_the_chosen_cipher(tree, keys):
    from django.apps import apps

    keys(f"s1:{_key(16)}", cipher="sm4gcm")
    request, _ = _register(tree)
    encrypted = [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, EncryptedTextField)
    ]
    assert {f.name for _, f in encrypted} >= {"id_number", "phone", "email", "address"}
    for model, f in encrypted:
        if model is InfoRequest:
            assert _raw(request.pk, f.column).startswith("gk2:s1:sm4gcm:")
    assert InfoRequest.objects.get(pk=request.pk).id_number == RESIDENT_ID


def test_rotation_re_encrypts_every_row_and_keeps_lookups_working(tree, keys):
    old = _key()
    keys(f"k1:{old}")
    request, code = _register(tree)
    digest_before = InfoRequest.objects.get(pk=request.pk).id_digest
    assert token_key_id(_raw(request.pk, "phone")) == "k1"

    keys(f"k2:{_key()},k1:{old}")  # new key first, old kept for reading
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "重新加密 1 行" in out.getvalue()
    for column in ("id_number", "phone", "email", "address"):
        assert token_key_id(_raw(request.pk, column)) == "k2", column

    # Pin the search-digest key, then drop the old key entirely.
    index = StringIO()
    call_command("rotate_field_keys", show_index_key=True, stdout=index)
    from django.conf import settings

    settings.FIELD_INDEX_KEY = index.getvalue().strip()
    keys(settings.FIELD_KEYS.split(",")[0])
    fresh = InfoRequest.objects.get(pk=request.pk)
    assert fresh.id_number == RESIDENT_ID and fresh.email == EMAIL
    assert fresh.id_digest == digest_before == digest_of(RESIDENT_ID)
    assert fresh.query_code_digest == query_code_digest(fresh.tracking_number, code)
    settings.FIELD_INDEX_KEY = ""


def test_a_second_rotation_run_has_nothing_to_do(tree, keys):
    keys(f"k1:{_key()}")
    _register(tree)
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "重新加密 0 行" in out.getvalue()


def test_keys_never_reach_the_database(tree, keys):
    secret = _key()
    keys(f"k1:{secret}")
    _register(tree)
    call_command("rotate_field_keys", stdout=StringIO())
    assert secret not in _all_text_in_database()
    assert base64.b64decode(secret).hex() not in _all_text_in_database()


def test_a_wrong_or_missing_key_fails_loudly(tree, keys):
    from django.core.exceptions import ImproperlyConfigured

    from gongkai.core.crypto import CryptoError

    keys(f"k1:{_key()}")
    request, _ = _register(tree)
    keys(f"k9:{_key()}")
    with pytest.raises(CryptoError):
        InfoRequest.objects.get(pk=request.pk).id_number  # noqa: B018  # decrypts on read
    with pytest.raises(ImproperlyConfigured):
        keys("k1:not-base64!")
        key_ring()


# --- Issue 18, F14: each ciphertext is bound to its table, column and row --------


def _set_raw(pk: int, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE inforequests_inforequest SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [value, pk],
        )


def _two_cases(tree):
    first, _ = _register(tree)
    second, _ = inforequest_register(
        actor=tree.officer,
        organisation=tree.street,
        registration=registration(
            id_number="110101199003078515", phone="13800001111", address="别处路1号"
        ),
    )
    return first, second


def test_a_ciphertext_swapped_between_rows_fails_to_decrypt(tree, keys):
    """Before the fix a token copied into another row decrypted there: one applicant's
    identity number showed on another's case."""
    from gongkai.core.crypto import CryptoError

    keys(f"k1:{_key()}")
    first, second = _two_cases(tree)
    _set_raw(second.pk, "id_number", _raw(first.pk, "id_number"))
    with pytest.raises(CryptoError):
        InfoRequest.objects.get(pk=second.pk).id_number  # noqa: B018
    assert InfoRequest.objects.get(pk=first.pk).id_number == RESIDENT_ID


def test_a_ciphertext_swapped_between_columns_fails_to_decrypt(tree, keys):
    from gongkai.core.crypto import CryptoError

    keys(f"k1:{_key()}")
    request, _ = _register(tree)
    _set_raw(request.pk, "address", _raw(request.pk, "phone"))
    with pytest.raises(CryptoError):
        InfoRequest.objects.get(pk=request.pk).address  # noqa: B018
    assert InfoRequest.objects.get(pk=request.pk).phone == PHONE


def test_a_new_row_is_bound_to_its_primary_key_right_after_the_insert(tree, keys):
    from gongkai.core.crypto import decrypt
    from gongkai.security.fields import field_aad

    keys(f"k1:{_key()}")
    request, _ = _register(tree)
    token = _raw(request.pk, "id_number")
    assert token.startswith("gk2:k1:")
    aad = field_aad("inforequests_inforequest", "id_number", request.pk)
    assert decrypt(key_ring(), token, aad=aad) == RESIDENT_ID


def test_old_unbound_tokens_still_read_and_rotation_binds_them(tree, keys):
    """Rows written before the bound format (gk1, no associated data) keep working;
    the rotation command rewrites them bound, after which a swap is caught."""
    from gongkai.core.crypto import CryptoError, encrypt

    keys(f"k1:{_key()}")
    first, second = _two_cases(tree)
    for pk, value in ((first.pk, RESIDENT_ID), (second.pk, "110101199003078515")):
        _set_raw(pk, "id_number", encrypt(key_ring(), value))  # the old format
    assert _raw(first.pk, "id_number").startswith("gk1:k1:")
    assert InfoRequest.objects.get(pk=first.pk).id_number == RESIDENT_ID

    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "重新加密 2 行" in out.getvalue()
    assert _raw(first.pk, "id_number").startswith("gk2:k1:")
    assert InfoRequest.objects.get(pk=first.pk).id_number == RESIDENT_ID

    _set_raw(second.pk, "id_number", _raw(first.pk, "id_number"))
    with pytest.raises(CryptoError):
        InfoRequest.objects.get(pk=second.pk).id_number  # noqa: B018


def test_rotation_reports_a_swapped_ciphertext_and_audits_the_failure(tree, keys):
    from django.core.management.base import CommandError

    from gongkai.audit.models import AuditEvent

    old = _key()
    keys(f"k1:{old}")
    first, second = _two_cases(tree)
    _set_raw(second.pk, "phone", _raw(first.pk, "phone"))
    keys(f"k2:{_key()},k1:{old}")
    err = StringIO()
    with pytest.raises(CommandError, match="无法解密"):
        call_command("rotate_field_keys", stdout=StringIO(), stderr=err)
    assert f"#{second.pk} phone" in err.getvalue()
    assert token_key_id(_raw(first.pk, "phone")) == "k2"  # the rest was rotated
    event = AuditEvent.objects.filter(action="security.rotate_field_keys").get()
    assert event.result == "failure"
