"""Small value types shared by every layer."""

from __future__ import annotations

from typing import NewType

KeyId = NewType("KeyId", str)
"""A signing key's id: derived from its public key (see ``trace.crypto.key_id.key_id``)."""

Hash32 = NewType("Hash32", bytes)
"""A 32-byte SHA-256 digest (Merkle leaf or node hash, tree root)."""
