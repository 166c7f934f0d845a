"""A minting job: draw serials, sign each code, store the units, stream the carrier output.

Everything the job writes to the database happens in one transaction, committed only after
the last code was rendered; the writer keeps file output beside its target and moves it into
place only after the commit, so a failed job leaves neither units nor a half-written file.
Signing is the only per-code cost worth having: serials come from one CSPRNG call per batch,
the URL is a prefix plus two fields, and units go to the database in batches.

References: GS1 Digital Link URI Syntax 1.4 §4 (URI structure); DESIGN.md §5 flow 1.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from codegen.label import LabelCode
from codegen.serials import SERIAL_STRATEGIES, numeric_serials, random_serials
from codegen.writers import FORMATS, CarrierOptions, CodeWriter, check_output, open_writer
from sqlalchemy.orm import Session

from trace.crypto import BrandSigningKey, KeyStore, sign_code
from trace.db.database import Database
from trace.domain.units import MintContext, MintSummary
from trace.errors import InvalidInput
from trace.identifiers import DigitalLink
from trace.services import ledger, minting

MAX_COUNT = 10_000_000
BATCH = 2_000

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class MintRequest:
    gtin: str
    lot: str
    count: int
    output_format: str
    out: Path | None
    requested_by: str
    serials: str | None = None
    """``random`` (65-bit alphanumeric) or ``numeric`` (38-bit, fits SGTIN-96); None: numeric
    for ``epc``, random otherwise (an EPC plan of random serials uses SGTIN-198)."""
    nfc_chip: str = "ntag215"  # a signed code (~170 bytes of NDEF) does not fit an NTAG213
    user_memory_bits: int = 2048

    @property
    def serial_strategy(self) -> str:
        return self.serials or ("numeric" if self.output_format == "epc" else "random")


def validate_request(request: MintRequest) -> None:
    """Reject a request before anything is looked up, signed or written."""
    if request.output_format not in FORMATS:
        raise InvalidInput(f"invalid format {request.output_format!r}: expected one of {', '.join(FORMATS)}")
    if not 0 < request.count <= MAX_COUNT:
        raise InvalidInput(f"invalid count {request.count}: expected 1 to {MAX_COUNT:,}")
    if request.serial_strategy not in SERIAL_STRATEGIES:
        raise InvalidInput(f"invalid serial strategy {request.serials!r}: expected one of {', '.join(SERIAL_STRATEGIES)}")
    check_output(request.output_format, request.out)


class UrlTemplate:
    """The signed URL of each code of one lot: a fixed prefix, the serial, the signature.

    Built once from a real :class:`DigitalLink` so the fast path can never disagree with
    the canonical rendering (a test checks both on every format).
    """

    def __init__(self, ctx: MintContext) -> None:
        marker = "SERIALMARKER"
        canonical = DigitalLink.build(stem=ctx.domain, gtin=ctx.gtin, lot=ctx.lot, serial=marker).as_uri()
        self._prefix = canonical.split(marker, 1)[0]

    def url(self, serial: str, signature: str) -> str:
        return f"{self._prefix}{serial}?8030={signature}"


def mint(db: Database, key_store: KeyStore, request: MintRequest, *, stdout: IO[str] | None = None,
         progress: Progress | None = None) -> MintSummary:
    """Mint ``request.count`` signed codes for one lot and write them in the requested format."""
    validate_request(request)
    ctx = minting.mint_context(db, gtin=request.gtin, lot=request.lot)
    key = key_store.load(ctx.kid)
    options = CarrierOptions(company_prefix_length=ctx.company_prefix_length, nfc_chip=request.nfc_chip,
                             user_memory_bits=request.user_memory_bits)
    writer = open_writer(request.output_format, request.out, stdout=stdout, options=options)
    try:
        with db.transaction() as session:
            job = minting.open_job(session, ctx, count=request.count, output_format=request.output_format,
                                   requested_by=request.requested_by)
            serials = _mint_batches(session, ctx, key, job.id, request.count, writer, progress,
                                    draw=numeric_serials if request.serial_strategy == "numeric" else None)
            minting.close_job(session, ctx, job, serials)
    except BaseException:
        writer.abort()
        raise
    # Only now, with the units committed, does the output appear under its own name.
    writer.close()
    ledger.sequence(db, ctx.brand, wait=False)
    return MintSummary(job_id=job.id, brand=ctx.brand, gtin=ctx.gtin, lot=ctx.lot, count=request.count,
                       kid=ctx.kid, output_format=request.output_format)


def _mint_batches(session: Session, ctx: MintContext, key: BrandSigningKey, job_id: int, count: int,
                  writer: CodeWriter, progress: Progress | None, *,
                  draw: Callable[[int], list[str]] | None = None) -> list[str]:
    """Sign each batch while the database stores it, then write the codes that were stored.

    The insert runs on a helper thread (the database driver releases the GIL while the
    server works), so storing costs little beyond signing. The session is handed over, never
    shared: this thread does not touch it until the insert has finished.
    """
    template = UrlTemplate(ctx)
    draw = draw or random_serials  # looked up per call: tests replace it to force collisions
    remaining = count
    minted: list[str] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mint-store") as store:
        while remaining:
            serials = list(dict.fromkeys(draw(min(BATCH, remaining))))
            stored = store.submit(minting.insert_units, session, ctx, job_id, serials)
            signatures = [sign_code(key, brand=ctx.brand, gtin14=ctx.gtin, lot=ctx.lot, serial=serial)
                          for serial in serials]
            taken = stored.result()
            for serial, signature in zip(serials, signatures):
                if serial not in taken:
                    minted.append(serial)
                    writer.write(LabelCode(url=template.url(serial, signature), gtin=ctx.gtin, lot=ctx.lot,
                                           serial=serial, expires=ctx.expires_on))
            done = len(serials) - len(taken)
            remaining -= done
            if progress is not None:
                progress(done)
    return minted
