"""Reserving a code pool for a line: draw, sign and store codes, write the line's pool file.

The codes are stored as ``reserved`` units in one transaction (with the pool and its
sequence numbers), signed exactly as minted codes are, and written to the pool file only
after the commit, so the file never lists codes the server does not hold.

References: DESIGN.md §5 flow 1; :mod:`codegen.pool_file` for the file and printing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from codegen.mint_job import MAX_COUNT, UrlTemplate
from codegen.pool_file import PoolCodeEntry, PoolFile
from codegen.serials import random_serials
from trace.crypto import KeyStore, sign_code
from trace.db.database import Database
from trace.errors import InvalidInput
from trace.services import minting, pools


@dataclass(frozen=True, slots=True)
class PoolRequest:
    line: str
    gtin: str
    lot: str
    count: int
    out: Path
    low_water_mark: int = 0
    requested_by: str = "cli"


def reserve(db: Database, key_store: KeyStore, request: PoolRequest) -> PoolFile:
    """Reserve ``request.count`` signed codes for a line and write the pool file."""
    if not 0 < request.count <= MAX_COUNT:
        raise InvalidInput(f"invalid count {request.count}: expected 1 to {MAX_COUNT:,}")
    if request.out.exists() or not request.out.parent.is_dir():
        raise InvalidInput(f"cannot write pool file {request.out}: expected a new file in an existing directory")
    ctx = minting.mint_context(db, gtin=request.gtin, lot=request.lot)
    key = key_store.load(ctx.kid)
    template = UrlTemplate(ctx)
    entries: list[PoolCodeEntry] = []
    with db.transaction() as session:
        job = minting.open_job(session, ctx, count=request.count, output_format="pool",
                               requested_by=request.requested_by)
        pool_id = pools.open_pool(session, ctx, line=request.line, size=request.count,
                                  low_water_mark=request.low_water_mark)
        while len(entries) < request.count:
            drawn = list(dict.fromkeys(random_serials(request.count - len(entries))))
            stored = pools.store_reserved(session, ctx, pool_id=pool_id, job_id=job.id, serials=drawn,
                                          first_sequence=len(entries) + 1)
            for serial in stored:
                signature = sign_code(key, brand=ctx.brand, gtin14=ctx.gtin, lot=ctx.lot, serial=serial)
                entries.append(PoolCodeEntry(len(entries) + 1, serial, template.url(serial, signature)))
    pool = PoolFile(pool_id=pool_id, brand=ctx.brand, line=request.line, gtin=ctx.gtin, lot=ctx.lot,
                    expires=ctx.expires_on, low_water_mark=request.low_water_mark, codes=tuple(entries))
    pool.dump(request.out)
    return pool
