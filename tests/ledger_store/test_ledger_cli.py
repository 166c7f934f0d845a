"""`tracemark ledger …` on the command line: checkpoint, key, prove, audit, and an audit of
a live server with only its published key (verify-remote).

The ledger: mint job 1 (leaf 0), checkpoint of size 1 (kept as ``old.txt``), then
``note:1`` … ``note:9`` recorded and left for `tracemark ledger checkpoint` to sequence.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trace.ledger import Checkpoint, hash_leaf, inclusion_proof, open_note, root_hash, verifier_key_string
from trace.services import ledger
from trace.services.units import count_mint_jobs
from ledger_scenarios import (
    BRAND,
    brand_id,
    cli_env,  # noqa: F401 (fixture)
    mint_codes,
    note_bytes,
    record_notes,
    run_cli,
)
from support.factories import seeded_catalog
from support.live_server import serve

ORIGIN = "id.acme.example/tracemark-ledger/acme"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass(frozen=True)
class Scene:
    old: Path                   # the checkpoint of size 1, saved to a file
    entries: tuple[bytes, ...]  # in leaf order once sequenced

    @property
    def leaf_hashes(self) -> list[bytes]:
        return [hash_leaf(e) for e in self.entries]


@pytest.fixture
def scene(runtime, cli_env: Path) -> Scene:
    cat = seeded_catalog(runtime)
    assert mint_codes(runtime, cat.gtin, cat.lot, 4) == 1
    old = cli_env / "old.txt"
    old.write_text(ledger.publish_checkpoint(runtime.db, runtime.key_store, BRAND), encoding="utf-8")
    record_notes(runtime.db, brand_id(runtime.db), list(range(1, 10)))
    entries = (ledger.entry_bytes(runtime.db, BRAND, "commission:1"), *(note_bytes(n) for n in range(1, 10)))
    return Scene(old=old, entries=entries)


def test_checkpoint_sequences_signs_and_prints_the_note(runtime, scene: Scene, capsys) -> None:
    assert ledger.head(runtime.db, runtime.key_store, BRAND).pending == 9
    code, out, err = run_cli(capsys, "ledger", "checkpoint")  # every brand: here only acme
    assert (code, err) == (0, "")
    checkpoint = Checkpoint.parse(open_note(out, ledger.verifier_key(runtime.db, BRAND)))
    assert (checkpoint.origin, checkpoint.size, checkpoint.root_hash) == (ORIGIN, 10, root_hash(scene.leaf_hashes))
    assert out == ledger.latest_checkpoint(runtime.db, BRAND)
    again = run_cli(capsys, "ledger", "checkpoint", "--brand", BRAND)
    assert again == (0, out, "")  # the tree did not grow: the same note, no new checkpoint


def test_key_prints_the_verifier_key(runtime, scene: Scene, capsys) -> None:
    assert run_cli(capsys, "ledger", "key", "--brand", BRAND) == (0, ledger.verifier_key(runtime.db, BRAND) + "\n", "")


def test_prove_prints_the_checked_inclusion_proof(runtime, scene: Scene, capsys) -> None:
    run_cli(capsys, "ledger", "checkpoint", "--brand", BRAND)
    code, out, err = run_cli(capsys, "ledger", "prove", "commission:1", "--brand", BRAND)
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "brand": BRAND, "event": "commission:1", "leaf_index": 0, "tree_size": 10,
        "leaf_hash": b64(scene.leaf_hashes[0]), "root_hash": b64(root_hash(scene.leaf_hashes)),
        "proof": [b64(p) for p in inclusion_proof(scene.leaf_hashes, 0)],
    }
    assert list(json.loads(out)) == ["brand", "event", "leaf_index", "tree_size", "leaf_hash", "root_hash", "proof"]
    code, out, _ = run_cli(capsys, "ledger", "prove", "note:6", "--brand", BRAND, "--size", "7")
    assert code == 0
    proof = json.loads(out)
    assert (proof["leaf_index"], proof["tree_size"], proof["root_hash"], proof["proof"]) == (
        6, 7, b64(root_hash(scene.leaf_hashes[:7])), [b64(p) for p in inclusion_proof(scene.leaf_hashes[:7], 6)])


def test_prove_accepts_the_brand_display_name_like_every_other_command(scene: Scene, capsys) -> None:
    run_cli(capsys, "ledger", "checkpoint")
    code, out, err = run_cli(capsys, "ledger", "prove", "commission:1", "--brand", "Acme Tea")
    assert (code, err) == (0, "")
    assert (json.loads(out)["brand"], json.loads(out)["leaf_index"]) == (BRAND, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["commission:9", "--brand", BRAND], "unknown ledger entry 'commission:9' for brand 'acme'"),
        (["note:3", "--brand", BRAND], "ledger entry 'note:3' is not sequenced yet: publish a checkpoint first"),
        (["commission:1", "--brand", BRAND, "--size", "0"], "invalid tree size 0: expected 1 to 1"),
        (["commission:1", "--brand", BRAND, "--size", "2"], "invalid tree size 2: expected 1 to 1"),
        (["commission:1", "--brand", "nobody"], "unknown brand 'nobody'"),
    ],
)
def test_prove_bad_requests_are_one_line(scene: Scene, capsys, args: list[str], message: str) -> None:
    assert run_cli(capsys, "ledger", "prove", *args) == (1, "", f"error: {message}\n")


def test_audit_says_ok_on_stderr(runtime, scene: Scene, capsys) -> None:
    run_cli(capsys, "ledger", "checkpoint")
    code, out, err = run_cli(capsys, "ledger", "audit")
    assert (code, out) == (0, "")
    line = re.fullmatch(
        r"ledger acme: ok — 10 leaves, 0 nodes, 2 checkpoints, 1 entries rebuilt from their records, 0 pending, "
        r"root (\S+) \((\d+\.\d\d) s\)\n", err)
    assert line is not None, err
    assert line.group(1) == b64(root_hash(scene.leaf_hashes))
    code, _, err = run_cli(capsys, "ledger", "audit", "--brand", BRAND, "--from-checkpoint", str(scene.old))
    assert code == 0 and err.startswith("ledger acme: ok — 10 leaves, 0 nodes, 2 checkpoints"), err
    assert count_mint_jobs(runtime.db) == 1


def test_audit_of_a_missing_checkpoint_file_is_one_line(scene: Scene, capsys) -> None:
    missing = scene.old.with_name("missing.txt")
    assert run_cli(capsys, "ledger", "audit", "--from-checkpoint", str(missing)) == (
        1, "", f"error: cannot read checkpoint {missing}: No such file or directory\n")


# --- verify-remote: a live server, the published key, nothing else ------------------------------


def test_verify_remote_proves_an_event_and_growth_since_a_kept_checkpoint(runtime, scene: Scene, capsys) -> None:
    _, note, _ = run_cli(capsys, "ledger", "checkpoint")
    vkey = ledger.verifier_key(runtime.db, BRAND)
    with serve(runtime) as url:
        code, out, err = run_cli(capsys, "ledger", "verify-remote", "--url", url, "--brand", BRAND, "--key", vkey,
                                 "--event", "commission:1", "--event", "note:9", "--since", str(scene.old))
    assert (code, out) == (0, note)
    assert err.splitlines() == [
        f"checkpoint of {ORIGIN}: size 10, signature valid",
        "event commission:1: leaf 0 included in the tree of 10",
        "event note:9: leaf 9 included in the tree of 10",
        "checkpoint of size 1 is consistent with size 10: nothing was rewritten",
    ]


def test_verify_remote_with_a_wrong_key_fails_in_one_line(runtime, scene: Scene, capsys) -> None:
    run_cli(capsys, "ledger", "checkpoint")
    impostor = verifier_key_string(ORIGIN, Ed25519PrivateKey.generate().public_key())
    with serve(runtime) as url:
        result = run_cli(capsys, "ledger", "verify-remote", "--url", url, "--brand", BRAND, "--key", impostor,
                         "--event", "commission:1")
    assert result == (1, "", f"error: signed note: expected a signature by {impostor!r}, found none\n")


def test_verify_remote_of_an_unknown_event_fails_in_one_line(runtime, scene: Scene, capsys) -> None:
    run_cli(capsys, "ledger", "checkpoint")
    vkey = ledger.verifier_key(runtime.db, BRAND)
    with serve(runtime) as url:
        code, out, err = run_cli(capsys, "ledger", "verify-remote", "--url", url, "--brand", BRAND, "--key", vkey,
                                 "--event", "commission:9")
    assert (code, out) == (1, "")
    checked, failure = err.splitlines()
    assert checked == f"checkpoint of {ORIGIN}: size 10, signature valid"
    prefix = f"error: {url}/ledger/acme/proof/inclusion?event=commission%3A9&size=10: "
    assert failure.startswith(prefix), failure
    problem = json.loads(failure.removeprefix(prefix))
    assert (problem["status"], problem["code"], problem["detail"]) == (
        404, "not_found", "unknown ledger entry 'commission:9' for brand 'acme'")


def test_verify_remote_with_a_missing_since_file_is_one_line(runtime, scene: Scene, capsys) -> None:
    run_cli(capsys, "ledger", "checkpoint")
    vkey = ledger.verifier_key(runtime.db, BRAND)
    missing = scene.old.with_name("missing.txt")
    with serve(runtime) as url:
        code, out, err = run_cli(capsys, "ledger", "verify-remote", "--url", url, "--brand", BRAND, "--key", vkey,
                                 "--since", str(missing))
    assert (code, out, err) == (1, "", f"error: cannot read checkpoint {missing}: No such file or directory\n")
