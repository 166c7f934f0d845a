"""`tracemark bench mint`: end-to-end minting rate against the raw Ed25519 signing rate.

Both are measured in the same run on the same machine, so the ratio says how much the
platform adds on top of the one cost that cannot be avoided (one signature per code).
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from codegen.mint_job import MintRequest, mint
from trace.crypto import BrandSigningKey, FileKeyStore, sign_code
from trace.db import migrate
from trace.db.database import Database
from trace.identifiers.check_digit import compute_check_digit
from trace.services import brands, catalog


@dataclass(frozen=True, slots=True)
class MintBenchResult:
    database: str
    codes: int
    raw_signatures_per_s: float
    mint_codes_per_s: float
    mint_seconds: float

    @property
    def ratio(self) -> float:
        return self.mint_codes_per_s / self.raw_signatures_per_s


def raw_signing_rate(samples: int = 20_000) -> float:
    """Ed25519 signatures per second over messages of the size minting signs."""
    key = BrandSigningKey.generate()
    serials = [f"{i:013d}" for i in range(samples)]
    start = time.perf_counter()
    private = key.private_key
    for serial in serials:
        private.sign(b"tracemark/code/v1\nbrand=bench\nkid=AAAAAAAAAAAAAAAA\ngtin=09506000134352\nlot=BENCH\nserial=" + serial.encode())
    return samples / (time.perf_counter() - start)


def random_gtin() -> str:
    body = "0" + "".join(secrets.choice("0123456789") for _ in range(12))
    return body + str(compute_check_digit(body))


def bench_mint(*, database_url: str | None, count: int, workdir: Path | None = None) -> MintBenchResult:
    """Mint ``count`` codes (CSV to a file) into a fresh brand of ``database_url``.

    Without a URL a new SQLite file is made in a temporary directory.
    """
    with tempfile.TemporaryDirectory(prefix="tracemark-bench-", dir=workdir) as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        db = Database.from_url(url)
        key_store = FileKeyStore(Path(tmp) / "keys", secrets.token_bytes(16).hex().encode())
        slug = f"bench-{secrets.token_hex(4)}"
        brands.add_brand(db, key_store, name=slug, domain="https://bench.example", slug=slug)
        gtin = random_gtin()
        catalog.add_product(db, brand=slug, gtin=gtin, name="Benchmark item")
        catalog.add_lot(db, gtin=gtin, lot="BENCH-1", produced_on=date.today())
        raw = raw_signing_rate()
        request = MintRequest(gtin=gtin, lot="BENCH-1", count=count, output_format="csv",
                              out=Path(tmp) / "codes.csv", requested_by="bench")
        start = time.perf_counter()
        mint(db, key_store, request)
        seconds = time.perf_counter() - start
        size = os.path.getsize(Path(tmp) / "codes.csv")
        db.dispose()
        if size == 0:
            raise RuntimeError("benchmark wrote no output")
        return MintBenchResult(database=db.dialect, codes=count, raw_signatures_per_s=raw,
                               mint_codes_per_s=count / seconds, mint_seconds=seconds)


__all__ = ["MintBenchResult", "bench_mint", "raw_signing_rate", "sign_code"]
