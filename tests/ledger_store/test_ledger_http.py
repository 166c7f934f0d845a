"""The public ledger over HTTP, checked by the HTTP-only auditor (verify/ledger_client.py)
against a live server: signed checkpoints, inclusion of mint jobs, growth from an older
checkpoint; a pinned wrong key, a lying server and a forked log are all refused.

The ledger: mint job 1 (leaf 0), checkpoint of size 1; ``note:1`` … ``note:40``
(leaves 1–40), mint job 2 (leaf 41), checkpoint of size 42.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trace.db.ledger import LedgerLog
from trace.errors import LedgerError, NotFound
from trace.ledger import (
    Checkpoint,
    RootMismatchError,
    hash_leaf,
    open_note,
    root_hash,
    sign_note,
    verifier_key_string,
    verify_inclusion,
)
from trace.services import ledger
from verify.ledger_client import LedgerClient, VerifiedEvent
from ledger_scenarios import BRAND, brand_id, flip, mint_codes, note_bytes, record_notes
from support.factories import seeded_catalog
from support.live_server import serve

ORIGIN = "id.acme.example/tracemark-ledger/acme"


@dataclass(frozen=True)
class Served:
    url: str
    vkey: str
    old_note: str                 # the checkpoint of size 1, kept by an auditor
    note: str                     # the latest checkpoint, size 42
    entries: tuple[bytes, ...]    # in leaf order

    @property
    def leaf_hashes(self) -> list[bytes]:
        return [hash_leaf(e) for e in self.entries]


@pytest.fixture
def served(runtime) -> Iterator[Served]:
    cat = seeded_catalog(runtime)
    db = runtime.db
    assert mint_codes(runtime, cat.gtin, cat.lot, 5) == 1
    old_note = ledger.publish_checkpoint(db, runtime.key_store, BRAND)
    record_notes(db, brand_id(db), list(range(1, 41)))
    assert mint_codes(runtime, cat.gtin, cat.lot, 2) == 2
    note = ledger.publish_checkpoint(db, runtime.key_store, BRAND)
    entries = (ledger.entry_bytes(db, BRAND, "commission:1"), *(note_bytes(n) for n in range(1, 41)),
               ledger.entry_bytes(db, BRAND, "commission:2"))
    with serve(runtime) as url:
        vkey = httpx.get(f"{url}/ledger/{BRAND}/key").text.strip()
        yield Served(url=url, vkey=vkey, old_note=old_note, note=note, entries=entries)


def test_checkpoint_is_a_signed_note_that_verifies_with_the_published_key(served: Served) -> None:
    key = httpx.get(f"{served.url}/ledger/{BRAND}/key")
    assert (key.status_code, key.headers["content-type"]) == (200, "text/plain; charset=utf-8")
    name, key_id, material = key.text.rstrip("\n").split("+", 2)
    assert name == ORIGIN and len(key_id) == 8 and len(base64.b64decode(material)) == 33
    response = httpx.get(f"{served.url}/ledger/{BRAND}/checkpoint")
    assert (response.status_code, response.headers["content-type"], response.headers["cache-control"]) == (
        200, "text/plain; charset=utf-8", "no-cache")
    assert response.text == served.note
    checkpoint = Checkpoint.parse(open_note(response.text, served.vkey))
    assert (checkpoint.origin, checkpoint.size, checkpoint.root_hash) == (ORIGIN, 42, root_hash(served.leaf_hashes))


def test_auditor_verifies_the_commission_of_each_mint_job_and_the_growth(served: Served) -> None:
    client = LedgerClient(served.url, BRAND, served.vkey)
    note, head = client.checkpoint()
    assert (note, head.size, head.root_hash) == (served.note, 42, root_hash(served.leaf_hashes))
    assert client.verify_event("commission:1", head) == VerifiedEvent(ref="commission:1", leaf_index=0, tree_size=42,
                                                                      entry=served.entries[0])
    assert client.verify_event("commission:2", head) == VerifiedEvent(ref="commission:2", leaf_index=41, tree_size=42,
                                                                      entry=served.entries[41])
    assert served.entries[0].startswith(b"tracemark/commission/v1\nbrand=acme\njob=1\n")
    old = client.verify_growth(served.old_note, head)
    assert (old.size, old.root_hash) == (1, hash_leaf(served.entries[0]))  # a tree of one leaf: its root is the leaf
    assert client.verify_growth(served.note, head) == head  # same size, same root: nothing to prove
    older_head = client.open(served.old_note)
    assert client.verify_event("commission:1", older_head).tree_size == 1


def test_inclusion_answer_over_http(served: Served) -> None:
    response = httpx.get(f"{served.url}/ledger/{BRAND}/proof/inclusion", params={"event": "note:7", "size": 20})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"brand", "event", "leaf_index", "tree_size", "entry", "leaf_hash", "root_hash", "proof"}
    assert (body["brand"], body["event"], body["leaf_index"], body["tree_size"]) == (BRAND, "note:7", 7, 20)
    assert base64.b64decode(body["entry"]) == note_bytes(7)
    assert base64.b64decode(body["leaf_hash"]) == served.leaf_hashes[7]
    assert base64.b64decode(body["root_hash"]) == root_hash(served.leaf_hashes[:20])
    consistency = httpx.get(f"{served.url}/ledger/{BRAND}/proof/consistency", params={"from": 1, "to": 42}).json()
    assert (consistency["old_size"], consistency["new_size"]) == (1, 42)
    assert base64.b64decode(consistency["new_root"]) == root_hash(served.leaf_hashes)


# --- what the auditor refuses -----------------------------------------------------------------


def test_client_pinned_to_a_wrong_key_rejects_the_checkpoint(served: Served) -> None:
    impostor = verifier_key_string(ORIGIN, Ed25519PrivateKey.generate().public_key())  # same name, other key
    client = LedgerClient(served.url, BRAND, impostor)
    with pytest.raises(LedgerError) as rejected:
        client.checkpoint()
    assert str(rejected.value) == f"signed note: expected a signature by {impostor!r}, found none"
    with pytest.raises(LedgerError):
        client.verify_growth(served.old_note, Checkpoint.parse(open_note(served.note, served.vkey)))


class LyingClient(LedgerClient):
    """The real client, behind a server whose JSON answers ``lie`` rewrites."""

    def __init__(self, served: Served, lie: Callable[[str, dict], dict]) -> None:
        super().__init__(served.url, BRAND, served.vkey)
        self._lie = lie

    def _get(self, path: str, **query: object) -> bytes:
        answer = super()._get(path, **query)
        if path.startswith("proof/"):
            return json.dumps(self._lie(path, json.loads(answer))).encode()
        return answer


def _b64_flip(value: str, at: int) -> str:
    return base64.b64encode(flip(base64.b64decode(value), at)).decode()


def _entry_and_hash(body: dict) -> dict:
    forged = flip(base64.b64decode(body["entry"]), 30)
    return {**body, "entry": base64.b64encode(forged).decode(), "leaf_hash": base64.b64encode(hash_leaf(forged)).decode()}


INCLUSION_LIES: dict[str, tuple[Callable[[dict], dict], type[LedgerError], str | None]] = {
    "entry changed": (lambda b: {**b, "entry": _b64_flip(b["entry"], 30)}, LedgerError,
                      "event 'commission:2': the served leaf hash is not the hash of the served entry"),
    "entry changed, leaf hash made to match": (_entry_and_hash, RootMismatchError, None),
    "one proof hash changed": (lambda b: {**b, "proof": [b["proof"][0], _b64_flip(b["proof"][1], 0), *b["proof"][2:]]},
                               RootMismatchError, None),
    "another leaf index claimed": (lambda b: {**b, "leaf_index": 40}, RootMismatchError, None),
    "proof of another tree size": (None, RootMismatchError, None),
}


@pytest.mark.parametrize("lie", list(INCLUSION_LIES))
def test_a_tampered_inclusion_answer_is_refused(served: Served, lie: str) -> None:
    change, error, message = INCLUSION_LIES[lie]
    honest = LedgerClient(served.url, BRAND, served.vkey)
    _, head = honest.checkpoint()
    assert honest.verify_event("commission:2", head).leaf_index == 41  # the valid case
    if change is None:  # a real proof, but for the tree of 41: it cannot reach the root of 42
        smaller = httpx.get(f"{served.url}/ledger/{BRAND}/proof/inclusion",
                            params={"event": "commission:1", "size": 41}).json()
        client = LyingClient(served, lambda path, body: {**body, "proof": smaller["proof"][:len(body["proof"])]})
        event = "commission:1"
    else:
        client = LyingClient(served, lambda path, body: change(body))
        event = "commission:2"
    with pytest.raises(error) as refused:
        client.verify_event(event, head)
    if message is not None:
        assert str(refused.value) == message
    if isinstance(refused.value, RootMismatchError):
        assert refused.value.expected_root == head.root_hash


def test_a_real_proof_checked_against_another_root_fails(served: Served) -> None:
    body = httpx.get(f"{served.url}/ledger/{BRAND}/proof/inclusion", params={"event": "note:9", "size": 42}).json()
    valid = dict(leaf_hash=served.leaf_hashes[9], index=9, size=42, proof=[base64.b64decode(p) for p in body["proof"]])
    verify_inclusion(**valid, root=root_hash(served.leaf_hashes))
    with pytest.raises(RootMismatchError):
        verify_inclusion(**valid, root=root_hash(served.leaf_hashes[:41] + [hash_leaf(b"another last leaf")]))


def test_a_tampered_consistency_answer_is_refused(served: Served) -> None:
    _, head = LedgerClient(served.url, BRAND, served.vkey).checkpoint()
    client = LyingClient(served, lambda path, body: {**body, "proof": [_b64_flip(body["proof"][0], 5), *body["proof"][1:]]})
    with pytest.raises(RootMismatchError):
        client.verify_growth(served.old_note, head)


def test_a_forked_log_is_caught_by_comparing_checkpoints(runtime, served: Served) -> None:
    """The operator signs a second head of size 42 with another root (a split view)."""
    with runtime.db.reading() as session:
        kid = session.get(LedgerLog, brand_id(runtime.db)).kid
    forged_root = root_hash(served.leaf_hashes[:41] + [hash_leaf(b"something else")])
    fork = sign_note(Checkpoint(ORIGIN, 42, forged_root).to_text(), key_name=ORIGIN,
                     private_key=runtime.key_store.load(kid).private_key)
    client = LedgerClient(served.url, BRAND, served.vkey)
    _, head = client.checkpoint()
    with pytest.raises(LedgerError) as forked:
        client.verify_growth(fork, head)
    assert str(forked.value) == "two checkpoints of size 42 with different roots: the log forked"


# --- problem JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "code", "detail"),
    [
        ("/ledger/nobody/checkpoint", {}, 404, "not_found", "unknown brand 'nobody'"),
        ("/ledger/nobody/key", {}, 404, "not_found", "unknown brand 'nobody'"),
        ("/ledger/nobody/proof/inclusion", {"event": "commission:1"}, 404, "not_found", "unknown brand 'nobody'"),
        ("/ledger/acme/proof/inclusion", {"event": "commission:1", "size": 0}, 422, "invalid_request",
         "query/size: Input should be greater than or equal to 1"),
        ("/ledger/acme/proof/inclusion", {"event": "note:nope"}, 404, "not_found",
         "unknown ledger entry 'note:nope' for brand 'acme'"),
        ("/ledger/acme/proof/inclusion", {"event": "commission:1", "size": 43}, 400, "invalid_input",
         "invalid tree size 43: expected 1 to 42"),
        ("/ledger/acme/proof/inclusion", {"event": "note:41"}, 409, "conflict",
         "ledger entry 'note:41' is not sequenced yet: publish a checkpoint first"),
        ("/ledger/acme/proof/consistency", {"from": 0}, 422, "invalid_request",
         "query/from: Input should be greater than or equal to 1"),
        ("/ledger/acme/proof/consistency", {"from": 30, "to": 20}, 400, "invalid_input",
         "invalid consistency range 30..20: expected 1 <= from <= to <= 42"),
    ],
)
def test_bad_requests_get_problem_json(runtime, served: Served, path: str, params: dict, status: int, code: str,
                                       detail: str) -> None:
    record_notes(runtime.db, brand_id(runtime.db), [41])  # recorded, not sequenced
    response = httpx.get(f"{served.url}{path}", params=params)
    assert (response.status_code, response.headers["content-type"]) == (status, "application/problem+json")
    body = response.json()
    assert (body["status"], body["code"], body["detail"]) == (status, code, detail)


def test_client_reports_an_unknown_event_as_not_found(served: Served) -> None:
    client = LedgerClient(served.url, BRAND, served.vkey)
    _, head = client.checkpoint()
    with pytest.raises(NotFound) as unknown:
        client.verify_event("commission:99", head)
    assert "unknown ledger entry 'commission:99' for brand 'acme'" in str(unknown.value)
