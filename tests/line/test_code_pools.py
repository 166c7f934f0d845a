"""A line loses the server mid-lot, keeps printing from its pool, and reconciles once back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from codegen.code_pool import PoolRequest, reserve
from codegen.pool_file import PoolFile, log_path, read_log
from trace.cli.main import main
from trace.db.consumer import Alert
from trace.db.database import Database
from trace.db.ledger import LedgerEntry
from trace.db.line import PoolCode
from trace.db.models import Unit
from trace.errors import Conflict
from trace.services import pools
from support.factories import seeded_catalog


def _reserve(rt, cat, tmp_path: Path, count: int, low: int = 0) -> Path:
    out = tmp_path / "pool.json"
    reserve(rt.db, rt.key_store, PoolRequest(line="line-1", gtin=cat.gtin, lot=cat.lot, count=count, out=out,
                                             low_water_mark=low))
    return out


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch):
    """No server: the database URL points at nothing, and opening any database fails the test."""
    monkeypatch.setenv("TRACEMARK_DATABASE_URL", "postgresql+psycopg2://line@127.0.0.1:9/unreachable")

    def refuse(*args, **kwargs):
        raise AssertionError("pool print opened a database")

    monkeypatch.setattr(Database, "from_url", refuse)


def _print(pool: Path, *args: str) -> int:
    return main(["pool", "print", "--pool", str(pool), *args])


def _states(rt, pool_id: int) -> dict[int, str]:
    with rt.db.reading() as session:
        rows = session.execute(sa.select(PoolCode.sequence, Unit.state).join(Unit, Unit.id == PoolCode.unit_id)
                               .where(PoolCode.pool_id == pool_id)).all()
    return dict(rows)


def test_offline_printing_then_reconciliation(runtime, tmp_path: Path, monkeypatch, capsys) -> None:
    cat = seeded_catalog(runtime)
    pool_path = _reserve(runtime, cat, tmp_path, 20)
    pool = PoolFile.load(pool_path)
    assert [c.sequence for c in pool.codes] == list(range(1, 21))
    assert set(_states(runtime, pool.pool_id).values()) == {"reserved"}

    labels = tmp_path / "labels.zpl"
    with monkeypatch.context() as patch:
        patch.setenv("TRACEMARK_DATABASE_URL", "postgresql+psycopg2://line@127.0.0.1:9/unreachable")
        patch.setattr(Database, "from_url", lambda *a, **k: (_ for _ in ()).throw(AssertionError("database opened")))
        assert _print(pool_path, "--count", "6", "--out", str(labels)) == 0
        # Roll change: label 6 is printed again, then the line carries on.
        assert _print(pool_path, "--count", "6", "--reprint", "6", "--out", str(labels)) == 0
    log = read_log(log_path(pool_path))
    assert [label.sequence for label in log] == [1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12]
    assert labels.read_text().count("^XZ") == 13
    assert all(f"^FDQA,{c.url}^FS" in labels.read_text() for c in pool.codes[:12])
    assert pool.codes[12].url not in labels.read_text()

    # Back online. Label 9 jammed and never made it into the log; the camera rejected label 4.
    lost = [label for label in log if label.sequence != 9]
    verified = [c.url for c in pool.codes[:12] if c.sequence not in (4, 9)]
    result = pools.commission(runtime.db, pool.pool_id, printed=lost, verified=[c.rsplit("/21/", 1)[1].split("?")[0]
                                                                                     for c in verified])
    by_sequence = {c.sequence: c.serial for c in pool.codes}
    assert result.commissioned == tuple(by_sequence[s] for s in (1, 2, 3, 5, 6, 7, 8, 10, 11, 12))
    assert result.voided == (by_sequence[4],)
    assert result.gaps == (9,)
    assert result.anomalies == ("label 6 printed twice",)
    assert (result.remaining, result.low) == (8, False)
    states = _states(runtime, pool.pool_id)
    assert [s for s, state in sorted(states.items()) if state == "commissioned"] == [1, 2, 3, 5, 6, 7, 8, 10, 11, 12]
    assert [s for s, state in states.items() if state == "voided"] == [4]
    assert sorted(s for s, state in states.items() if state == "reserved") == [9, *range(13, 21)]
    with runtime.db.reading() as session:
        kinds = session.scalars(sa.select(LedgerEntry.kind)).all()
    assert kinds.count("pool-commission") == 1

    with pytest.raises(Conflict, match=rf"serial '{by_sequence[1]}' of pool {pool.pool_id}: expected it reserved,"
                                       " found it already commissioned"):
        pools.commission(runtime.db, pool.pool_id, printed=lost, verified=[by_sequence[1]])
    assert _states(runtime, pool.pool_id) == states

    voided = pools.void(runtime.db, pool.pool_id, [by_sequence[9]])
    assert (voided.voided, voided.gaps) == ((by_sequence[9],), ())
    with pytest.raises(Conflict, match="expected it reserved, found it commissioned"):
        pools.void(runtime.db, pool.pool_id, [by_sequence[2]])


def test_pool_running_low_alerts_before_it_is_empty(runtime, tmp_path: Path, offline, capsys) -> None:
    cat = seeded_catalog(runtime)
    pool_path = _reserve(runtime, cat, tmp_path, 10, low=5)
    pool = PoolFile.load(pool_path)
    assert _print(pool_path, "--count", "6", "--out", str(tmp_path / "l.zpl")) == 0
    assert f"warning: pool {pool.pool_id} running low: 4 unprinted codes left (low-water mark 5)" in capsys.readouterr().err
    assert _print(pool_path, "--count", "5", "--out", str(tmp_path / "l.zpl")) == 1
    assert "asked for 5 labels, found 4 unprinted codes" in capsys.readouterr().err

    log = read_log(log_path(pool_path))
    result = pools.commission(runtime.db, pool.pool_id, printed=log, verified=[label.serial for label in log])
    assert (len(result.commissioned), result.remaining, result.low) == (6, 4, True)
    with runtime.db.reading() as session:
        alerts = session.scalars(sa.select(Alert).where(Alert.kind == "pool_low")).all()
        assert [(a.unit_key, a.reason) for a in alerts] == [
            (f"pool:{pool.pool_id}", f"code pool {pool.pool_id} of line line-1 running low: 4 codes left,"
                                     " low-water mark 5")]
    pools.void(runtime.db, pool.pool_id, [pool.codes[6].serial])  # still low: one open alert, not two
    with runtime.db.reading() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 1


def test_commission_and_void_commands(runtime, tmp_path: Path, capsys, monkeypatch) -> None:
    cat = seeded_catalog(runtime)
    pool_path = _reserve(runtime, cat, tmp_path, 5)
    pool = PoolFile.load(pool_path)
    monkeypatch.setenv("TRACEMARK_DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("TRACEMARK_KEY_DIR", str(runtime.settings.key_dir))
    assert _print(pool_path, "--count", "3", "--out", str(tmp_path / "l.zpl")) == 0
    verified = tmp_path / "verified.txt"
    verified.write_text("\n".join(c.url for c in pool.codes[:2]) + "\n")
    capsys.readouterr()
    assert main(["pool", "commission", "--pool", str(pool_path), "--verified", str(verified)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"pool": pool.pool_id, "commissioned": 2, "voided": [pool.codes[2].serial], "gaps": [],
                      "anomalies": [], "remaining": 2, "low": False}
    assert main(["pool", "commission", "--pool", str(pool_path), "--verified", str(verified)]) == 1
    assert "already commissioned" in capsys.readouterr().err
