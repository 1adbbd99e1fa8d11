from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.crypto import (
    CryptoError,
    KeyRing,
    blind_index,
    decrypt,
    encrypt,
    parse_key_spec,
    token_key_id,
)

AES_KEY = bytes(range(32))
SM4_KEY = bytes(range(16))


def ring(**kw):
    return KeyRing(
        keys={"k1": AES_KEY, "s1": SM4_KEY}, current=kw.pop("current", "k1"), **kw
    )


@given(st.text(max_size=200))
def test_aes_round_trip_never_shows_the_plaintext(text):
    token = encrypt(ring(), text)
    assert decrypt(ring(), token) == text
    if len(text) >= 4:
        assert text not in token


def test_sm4_round_trip():
    r = ring(current="s1", algorithm="sm4gcm")
    token = encrypt(r, "410102199001011234")
    assert ":sm4gcm:" in token and token_key_id(token) == "s1"
    assert decrypt(r, token) == "410102199001011234"


def test_two_encryptions_of_one_value_differ():
    assert encrypt(ring(), "13800138000") != encrypt(ring(), "13800138000")


def test_a_tampered_token_is_refused_in_chinese():
    token = encrypt(ring(), "secret")
    head, payload = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(CryptoError, match="校验失败"):
        decrypt(ring(), head + ":" + base64.urlsafe_b64encode(bytes(raw)).decode())


def test_a_token_from_an_unknown_key_names_the_key():
    token = encrypt(KeyRing(keys={"old": AES_KEY}, current="old"), "x")
    with pytest.raises(CryptoError, match="old"):
        decrypt(KeyRing(keys={"new": bytes(32)}, current="new"), token)


def test_blind_index_ignores_spacing_and_case_but_not_content():
    r = ring()
    assert blind_index(r, "41010219900101123x") == blind_index(
        r, " 41010219900101123X "
    )
    assert blind_index(r, "41010219900101123X") != blind_index(r, "410102199001011230")


def test_key_specs_are_parsed_and_checked():
    keys, current = parse_key_spec(
        "k2:"
        + base64.b64encode(AES_KEY).decode()
        + ", k1:"
        + base64.b64encode(SM4_KEY).decode()
    )
    assert current == "k2" and keys["k1"] == SM4_KEY
    with pytest.raises(CryptoError):
        parse_key_spec("nokey")
    with pytest.raises(CryptoError):
        KeyRing(keys={"k": b"short"}, current="k")
    with pytest.raises(CryptoError, match="16"):
        KeyRing(keys={"k": AES_KEY}, current="k", algorithm="sm4gcm")


# --- issue 18: associated data (F14) and the file envelope (F4) ------------------


@pytest.mark.parametrize("algorithm,current", [("aes256gcm", "k1"), ("sm4gcm", "s1")])
def test_a_bound_token_opens_only_with_its_own_associated_data(algorithm, current):
    r = ring(current=current, algorithm=algorithm)
    token = encrypt(r, "410102199001011234", aad=b"t\x00id_number\x007")
    assert token.startswith(f"gk2:{current}:{algorithm}:")
    assert decrypt(r, token, aad=b"t\x00id_number\x007") == "410102199001011234"
    for other in (b"t\x00id_number\x008", b"t\x00phone\x007", None):
        with pytest.raises(CryptoError):
            decrypt(r, token, aad=other)


def test_an_unbound_token_still_opens_whatever_the_associated_data():
    token = encrypt(ring(), "13800000000")
    assert token.startswith("gk1:")
    assert decrypt(ring(), token, aad=b"anything") == "13800000000"


@pytest.mark.parametrize("algorithm,current", [("aes256gcm", "k1"), ("sm4gcm", "s1")])
def test_the_file_envelope_round_trips_and_is_bound_to_its_name(algorithm, current):
    from gongkai.core.crypto import (
        blob_key_id,
        decrypt_bytes,
        encrypt_bytes,
        is_encrypted_blob,
    )

    r = ring(current=current, algorithm=algorithm)
    data = b"%PDF-1.4 identity card 410102199001011234"
    blob = encrypt_bytes(r, data, b"requests/a.pdf")
    assert is_encrypted_blob(blob) and blob_key_id(blob) == current
    assert b"410102199001011234" not in blob
    assert decrypt_bytes(r, blob, b"requests/a.pdf") == data
    with pytest.raises(CryptoError):
        decrypt_bytes(r, blob, b"requests/b.pdf")
    with pytest.raises(CryptoError):
        decrypt_bytes(r, blob[:-1] + bytes([blob[-1] ^ 1]), b"requests/a.pdf")
    with pytest.raises(CryptoError):
        decrypt_bytes(r, b"GKF1\x09", b"requests/a.pdf")
