"""The public keys a verifier trusts, indexed by the key hint carried in each code.

Built from published-keys documents (the brand's well-known JSON) or straight from the
database; either way the signature check needs nothing else, so a forged code is rejected
before any database lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from trace.crypto import PublicKey, key_hint, parse_published_keys


@dataclass(frozen=True, slots=True)
class TrustedKey:
    brand: str
    key: PublicKey


class KeyRing:
    """Keys of one or more brands; lookup by the 4-character hint of AI 8030."""

    def __init__(self, keys: Iterable[TrustedKey]) -> None:
        self._by_hint: dict[str, list[TrustedKey]] = {}
        for trusted in keys:
            self._by_hint.setdefault(key_hint(trusted.key.kid), []).append(trusted)

    @classmethod
    def from_brand_keys(cls, brand_keys: Mapping[str, Sequence[PublicKey]]) -> KeyRing:
        return cls(TrustedKey(brand, key) for brand, keys in brand_keys.items() for key in keys)

    @classmethod
    def from_documents(cls, documents: Iterable[Mapping[str, object]]) -> KeyRing:
        """From published-keys documents; each is validated (kid must match its key)."""
        trusted: list[TrustedKey] = []
        for document in documents:
            brand, keys = parse_published_keys(dict(document))
            trusted.extend(TrustedKey(brand, key) for key in keys)
        return cls(trusted)

    def candidates(self, hint: str) -> list[TrustedKey]:
        return self._by_hint.get(hint, [])

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_hint.values())
