"""Settings come from the environment and production refuses development secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from trace.cli.main import main
from trace.crypto import DEVELOPMENT_PASSPHRASE
from trace.errors import ConfigurationError
from trace.settings import Environment, load_settings

STRONG = "k" * 40


def test_defaults_are_a_sqlite_file_in_the_working_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TRACEMARK_DATABASE_URL", "TRACEMARK_ENV", "TRACEMARK_KEY_DIR"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url == f"sqlite:///{tmp_path / 'tracemark.sqlite3'}"
    assert settings.key_dir == tmp_path / "tracemark-keys"
    assert settings.key_passphrase_bytes() == DEVELOPMENT_PASSPHRASE


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACEMARK_DATABASE_URL", "postgresql+psycopg2://u@db/x")
    monkeypatch.setenv("TRACEMARK_RATE_LIMIT_PER_MINUTE", "7")
    settings = load_settings()
    assert (settings.database_url, settings.rate_limit_per_minute) == ("postgresql+psycopg2://u@db/x", 7)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"secret_key": STRONG},
         "invalid configuration (settings): TRACEMARK_KEY_PASSPHRASE must be set to a non-development passphrase in production"),
        ({"secret_key": STRONG, "key_passphrase": DEVELOPMENT_PASSPHRASE.decode()},
         "invalid configuration (settings): TRACEMARK_KEY_PASSPHRASE must be set to a non-development passphrase in production"),
        ({"key_passphrase": "a real passphrase"},
         "invalid configuration (settings): TRACEMARK_SECRET_KEY must be set to a random value of at least 32 characters in production"),
        ({"key_passphrase": "a real passphrase", "secret_key": "tracemark-development-secret-key"},
         "invalid configuration (settings): TRACEMARK_SECRET_KEY must be set to a random value of at least 32 characters in production"),
    ],
)
def test_production_refuses_development_secrets(overrides, message, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACEMARK_KEY_PASSPHRASE", raising=False)
    monkeypatch.delenv("TRACEMARK_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(env="production", **overrides)
    assert str(caught.value) == message


def test_production_with_real_secrets_is_accepted() -> None:
    settings = load_settings(env="production", key_passphrase="a real passphrase", secret_key=STRONG)
    assert settings.key_passphrase_bytes() == b"a real passphrase"


def test_invalid_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACEMARK_ENV", "staging")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert str(caught.value).startswith("invalid configuration (env): Input should be 'development' or 'production'")


def test_serve_refuses_to_start_in_production_with_development_secrets(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TRACEMARK_ENV", "production")
    monkeypatch.delenv("TRACEMARK_KEY_PASSPHRASE", raising=False)
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert err == ("error: invalid configuration (settings): TRACEMARK_KEY_PASSPHRASE must be set to a "
                   "non-development passphrase in production\n")
