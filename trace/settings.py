"""Runtime settings, read from the environment (``TRACEMARK_*``) and validated at startup.

Settings are built by :func:`load_settings` in the composition roots (API app factory, CLI),
never at import time, so tests and tools can build their own. Production refuses the
well-known development secrets: a leaked default passphrase would make every signing key
on the machine readable.
"""

from __future__ import annotations

import warnings
from enum import Enum
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from trace.crypto import DEVELOPMENT_PASSPHRASE
from trace.errors import ConfigurationError

DEVELOPMENT_SECRET_KEY = "tracemark-development-secret-key"


class Environment(str, Enum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class DevelopmentSecretWarning(UserWarning):
    """Emitted when the server runs with the built-in development secrets."""


class Settings(BaseSettings):
    """Everything the platform reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="TRACEMARK_", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str = Field(default_factory=lambda: f"sqlite:///{Path.cwd() / 'tracemark.sqlite3'}")
    key_dir: Path = Field(default_factory=lambda: Path.cwd() / "tracemark-keys")
    key_passphrase: SecretStr | None = None
    secret_key: SecretStr | None = None
    public_base_url: str = "http://127.0.0.1:8000"
    rate_limit_per_minute: int = Field(default=120, ge=1)
    checkpoint_interval_seconds: float = Field(default=300.0, ge=0, description="0 disables scheduled checkpoints")
    webhook_interval_seconds: float = Field(default=5.0, ge=0, description="0 disables the webhook dispatcher")
    trusted_region_header: str | None = Field(
        default=None, description="Header a trusted proxy sets to the client's ISO 3166 region (e.g. X-Region); "
                                  "ignored unless set, since clients could send it themselves")

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            passphrase = self.key_passphrase.get_secret_value().encode() if self.key_passphrase else b""
            if not passphrase or passphrase == DEVELOPMENT_PASSPHRASE:
                raise ValueError(
                    "TRACEMARK_KEY_PASSPHRASE must be set to a non-development passphrase in production"
                )
            secret = self.secret_key.get_secret_value() if self.secret_key else ""
            if len(secret) < 32 or secret == DEVELOPMENT_SECRET_KEY:
                raise ValueError(
                    "TRACEMARK_SECRET_KEY must be set to a random value of at least 32 characters in production"
                )
        return self

    @property
    def is_development(self) -> bool:
        return self.env is Environment.DEVELOPMENT

    def key_passphrase_bytes(self) -> bytes:
        """The key-store passphrase; the development one (with a warning) outside production."""
        if self.key_passphrase is not None and self.key_passphrase.get_secret_value():
            return self.key_passphrase.get_secret_value().encode()
        return DEVELOPMENT_PASSPHRASE

    def secret_key_bytes(self) -> bytes:
        """The server secret (keyed hashes of API tokens, consumer IPs, sessions)."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value().encode()
        warnings.warn("TRACEMARK_SECRET_KEY is not set: using the development secret", DevelopmentSecretWarning, stacklevel=2)
        return DEVELOPMENT_SECRET_KEY.encode()


def load_settings(**overrides: object) -> Settings:
    """Build and validate settings from the environment (plus explicit overrides).

    Raises:
        ConfigurationError: with a one-line reason when a value is missing or unsafe.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        message = first.get("msg", str(exc)).removeprefix("Value error, ")
        raise ConfigurationError(f"invalid configuration ({where}): {message}") from exc
