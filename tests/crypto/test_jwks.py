"""Published keys: the JWKS-style document a brand serves and an offline verifier reads."""

from __future__ import annotations

import copy
import json
from typing import Any, Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trace.crypto import BrandSigningKey, parse_published_keys, published_keys_document
from trace.errors import SignatureError

RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
EXPECTED_DOCUMENT: dict[str, Any] = {
    "brand": "acme",
    "keys": [
        {
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "EdDSA",
            "use": "sig",
            "kid": "Zi7aLFjF2vTyEcQ5",
            "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
            "status": "active",
        }
    ],
}


@pytest.fixture
def key() -> BrandSigningKey:
    return BrandSigningKey.from_private_key(Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET))


def test_the_document_is_pinned(key: BrandSigningKey) -> None:
    assert published_keys_document("acme", [key.public_key()]) == EXPECTED_DOCUMENT


def test_every_status_round_trips_through_json() -> None:
    keys = [
        BrandSigningKey.generate().public_key(status="revoked"),
        BrandSigningKey.generate().public_key(status="retired"),
        BrandSigningKey.generate().public_key(status="active"),
    ]
    document = json.loads(json.dumps(published_keys_document("acme", keys)))
    assert parse_published_keys(document) == ("acme", keys)


def test_alg_and_use_may_be_omitted() -> None:
    document = copy.deepcopy(EXPECTED_DOCUMENT)
    del document["keys"][0]["alg"]
    del document["keys"][0]["use"]
    brand, keys = parse_published_keys(document)
    assert (brand, [k.kid for k in keys]) == ("acme", ["Zi7aLFjF2vTyEcQ5"])


def test_an_empty_key_set_parses() -> None:
    assert parse_published_keys({"brand": "acme", "keys": []}) == ("acme", [])


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        document["keys"][0][field] = value

    return mutate


def _delete(field: str) -> Callable[[dict[str, Any]], None]:
    def mutate(document: dict[str, Any]) -> None:
        del document["keys"][0][field]

    return mutate


MUTATIONS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "kid-of-another-key": (
        _set("kid", "Pz6aG2wRKoQ8QftP"),
        "kid does not match the key material; expected 'Zi7aLFjF2vTyEcQ5'",
    ),
    "kid-missing": (_delete("kid"), "kid does not match the key material"),
    "kty-EC": (_set("kty", "EC"), "kty='EC' crv='Ed25519' alg='EdDSA' is not allowed"),
    "crv-Ed448": (_set("crv", "Ed448"), "crv='Ed448' alg='EdDSA' is not allowed"),
    "crv-missing": (_delete("crv"), "crv=None alg='EdDSA' is not allowed"),
    "alg-RS256": (_set("alg", "RS256"), "alg='RS256' is not allowed"),
    "use-enc": (_set("use", "enc"), "'use' is 'enc'; expected 'sig'"),
    "x-padded": (_set("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="), "carries '=' padding"),
    "x-standard-alphabet": (_set("x", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"), "contains '/'"),
    "x-non-canonical": (_set("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURp"), "not canonical"),
    "x-31-bytes": (_set("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUQ"), "holds 31 bytes; expected 32"),
    "x-number": (_set("x", 7), "'x' is int; expected a base64url string"),
    "status-lost": (_set("status", "lost"), "status is 'lost'; expected one of"),
    "status-missing": (_delete("status"), "status is None"),
    "key-not-object": (lambda d: d["keys"].__setitem__(0, "key"), "key #0 is str; expected a JSON object"),
    "duplicate-kid": (lambda d: d["keys"].append(dict(d["keys"][0])), "kid 'Zi7aLFjF2vTyEcQ5' appears twice"),
    "keys-missing": (lambda d: d.pop("keys"), "have 'keys' NoneType; expected a list"),
    "brand-missing": (lambda d: d.pop("brand"), "has brand None; expected a non-empty string"),
    "brand-empty": (lambda d: d.__setitem__("brand", ""), "has brand ''"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_broken_document_is_refused_with_a_reason(name: str) -> None:
    mutate, problem = MUTATIONS[name]
    document = copy.deepcopy(EXPECTED_DOCUMENT)
    mutate(document)
    with pytest.raises(SignatureError, match=problem) as caught:
        parse_published_keys(document)
    if name.startswith(("kid", "kty", "crv", "alg", "use", "x-", "status")):
        assert str(caught.value).startswith("published keys of brand 'acme', key #0")


def test_a_document_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(SignatureError, match="is list; expected a JSON object"):
        parse_published_keys([])  # type: ignore[arg-type]
