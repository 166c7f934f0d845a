"""The error root and its leaves.

Callers branch on the class; people read the message. Every message names what failed,
for which input, what was expected and what was found. ``code`` is the stable,
machine-readable name the API puts in its problem JSON and the CLI prints.
Programmer mistakes stay ``ValueError`` / ``TypeError``.
"""

from __future__ import annotations


class TraceError(Exception):
    """Root of every error Tracemark raises on purpose."""

    code = "trace_error"


class InvalidInput(TraceError):
    """Input from outside (a user, a partner, a file) is malformed."""

    code = "invalid_input"


class IdentifierError(InvalidInput):
    """A GS1 key, Digital Link URI, element string or EPC is not valid."""

    code = "invalid_identifier"


class SignatureError(TraceError):
    """A signature does not verify, or was made with an unknown or revoked key."""

    code = "invalid_signature"


class KeyStoreError(TraceError):
    """A private key cannot be stored, found or decrypted."""

    code = "key_store_error"


class LedgerError(TraceError):
    """A Merkle proof, root or checkpoint does not match."""

    code = "ledger_mismatch"


class NotFound(TraceError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not_found"


class Conflict(TraceError):
    """The request contradicts what is already stored (a duplicate, a state clash)."""

    code = "conflict"


class AuthenticationError(TraceError):
    """No credentials, or credentials that do not match anything."""

    code = "unauthenticated"


class PermissionDenied(TraceError):
    """Valid credentials whose role does not allow the action."""

    code = "forbidden"


class ConfigurationError(TraceError):
    """Settings are missing or unsafe (e.g. development secrets in production)."""

    code = "configuration_error"


class EpcisValidationError(InvalidInput):
    """An EPCIS 2.0 document or event breaks the JSON Schema, the CBV or the identifier rules.

    ``errors`` holds every problem found (``trace.domain.epcis.EpcisProblem`` values: event
    index, JSON pointer, message), sorted by position; the message names the first.
    """

    code = "invalid_epcis"
    # EpcisProblem is defined in trace.domain.epcis; naming it only in (unevaluated)
    # annotations keeps this bottom layer free of imports from above.
    errors: tuple[EpcisProblem, ...]  # noqa: F821

    def __init__(self, message: str, errors: tuple[EpcisProblem, ...]) -> None:  # noqa: F821
        super().__init__(message)
        self.errors = errors
