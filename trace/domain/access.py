"""Roles and what each may do (DESIGN.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    ADMIN = "admin"
    OPERATOR = "operator"
    PARTNER = "partner"
    AUDITOR = "auditor"
    VIEWER = "viewer"


class Permission(str, Enum):
    READ = "read"
    MINT = "mint"
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_KEYS = "manage_keys"
    MANAGE_BRANDS = "manage_brands"
    CAPTURE = "capture"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.OPERATOR: frozenset({Permission.READ, Permission.MINT, Permission.CAPTURE}),
    Role.PARTNER: frozenset({Permission.READ, Permission.CAPTURE}),
    Role.AUDITOR: frozenset({Permission.READ}),
    Role.VIEWER: frozenset({Permission.READ}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an API key's role and the brand it is bound to (None = platform-wide)."""

    key_prefix: str
    role: Role
    brand: str | None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def sees_brand(self, brand: str) -> bool:
        return self.brand is None or self.brand == brand
