"""The ledger's error leaves, all under :class:`trace.errors.LedgerError`.

Callers branch on :class:`RootMismatchError` (a well-formed proof that does not lead to the
expected root: evidence of a forked or rewritten log) versus the other leaves (input that is
malformed before any hash is compared).
"""

from __future__ import annotations

from trace.errors import LedgerError


class ProofError(LedgerError):
    """A proof is malformed: wrong length, bad sizes or indices, hashes of the wrong size."""

    code = "ledger_proof_malformed"


class RootMismatchError(LedgerError):
    """A proof is well formed but leads to a root other than the expected one."""

    code = "ledger_root_mismatch"

    def __init__(self, *, what: str, expected_root: bytes, calculated_root: bytes) -> None:
        self.what = what
        self.expected_root = expected_root
        self.calculated_root = calculated_root
        super().__init__(
            f"{what}: expected root {expected_root.hex() or '(empty)'}, "
            f"found {calculated_root.hex()}"
        )


class CheckpointError(LedgerError):
    """A checkpoint's text does not follow C2SP tlog-checkpoint."""

    code = "ledger_checkpoint_malformed"


class NoteError(LedgerError):
    """A signed note or verifier key is malformed, or no known key's signature verifies."""

    code = "ledger_note_invalid"
