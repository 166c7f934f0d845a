"""A third-party auditor's view of a brand ledger: the published key and HTTP, nothing else.

No database access: it fetches the signed checkpoint, checks its signature against the
verifier key the brand published (obtained out of band and pinned), then checks inclusion
proofs of events and consistency proofs from checkpoints it kept earlier.

Example (see README, "Auditing a ledger")::

    client = LedgerClient("https://id.acme.example", "acme", vkey)
    head = client.checkpoint()                 # signature checked
    client.verify_event("commission:1", head)  # entry hash, inclusion proof, root
    client.verify_growth(old_note, head)       # old checkpoint is a prefix of today's tree
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from trace.errors import LedgerError, NotFound
from trace.ledger import Checkpoint, hash_leaf, open_note, verify_consistency, verify_inclusion


@dataclass(frozen=True, slots=True)
class VerifiedEvent:
    ref: str
    leaf_index: int
    tree_size: int
    entry: bytes


class LedgerClient:
    def __init__(self, base_url: str, brand: str, verifier_key: str, *, timeout: float = 10.0) -> None:
        self._base = base_url.rstrip("/")
        self._brand = brand
        self._vkey = verifier_key.strip()
        self._timeout = timeout

    def _get(self, path: str, **query: object) -> bytes:
        params = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        url = f"{self._base}/ledger/{urllib.parse.quote(self._brand)}/{path}" + (f"?{params}" if params else "")
        try:
            with urllib.request.urlopen(url, timeout=self._timeout) as response:  # noqa: S310 (http(s) only)
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            if exc.code == 404:
                raise NotFound(f"{url}: {detail}") from exc
            raise LedgerError(f"{url} answered {exc.code}: {detail}") from exc
        except urllib.error.URLError as exc:
            raise LedgerError(f"{url} unreachable: {exc.reason}") from exc

    def open(self, note: str) -> Checkpoint:
        """Check a signed checkpoint against the pinned key and parse it."""
        return Checkpoint.parse(open_note(note, self._vkey))

    def checkpoint(self) -> tuple[str, Checkpoint]:
        note = self._get("checkpoint").decode("utf-8")
        return note, self.open(note)

    def verify_event(self, ref: str, head: Checkpoint) -> VerifiedEvent:
        """Prove that the event ``ref`` is in the tree ``head`` signs; raises LedgerError if not."""
        data = json.loads(self._get("proof/inclusion", event=ref, size=head.size))
        entry = base64.b64decode(data["entry"])
        leaf_hash = hash_leaf(entry)
        if base64.b64decode(data["leaf_hash"]) != leaf_hash:
            raise LedgerError(f"event {ref!r}: the served leaf hash is not the hash of the served entry")
        verify_inclusion(leaf_hash=leaf_hash, index=int(data["leaf_index"]), size=head.size,
                         proof=[base64.b64decode(p) for p in data["proof"]], root=head.root_hash)
        return VerifiedEvent(ref=ref, leaf_index=int(data["leaf_index"]), tree_size=head.size, entry=entry)

    def verify_growth(self, old_note: str, head: Checkpoint) -> Checkpoint:
        """Prove that an earlier checkpoint's tree is a prefix of ``head``'s (nothing rewritten)."""
        old = self.open(old_note)
        if old.size == head.size:
            if old.root_hash != head.root_hash:
                raise LedgerError(f"two checkpoints of size {old.size} with different roots: the log forked")
            return old
        data = json.loads(self._get("proof/consistency", **{"from": old.size, "to": head.size}))
        verify_consistency(old_size=old.size, new_size=head.size, old_root=old.root_hash, new_root=head.root_hash,
                           proof=[base64.b64decode(p) for p in data["proof"]])
        return old
