"""`tracemark verify CODE`: the verdict on one code, as JSON.

CODE is what any carrier yields: the URL of a QR code, an NFC tag or RFID user memory, or
the GS1 element string of a DataMatrix (``(01)…(21)…(8030)…``, or the FNC1 form a scanner
sends). The signature covers brand, key, GTIN, lot and serial, not the resolver domain, so an
element string is verified as the Digital Link it stands for on GS1's resolver. Online, a URL
that carries NTAG 424 SUN parameters is also authenticated with the brand's SUN keys (read
only: the tag's stored counter is not advanced; the public scan path judges replays).
"""

from __future__ import annotations

import json
import urllib.request
from dataclasses import replace
from pathlib import Path

import typer

from trace.cli.output import print_json
from trace.cli.runtime_access import runtime
from trace.errors import InvalidInput, SignatureError
from trace.identifiers import DigitalLink
from trace.services.signing_keys import published_keys
from trace.services.units import find_unit
from verify.brand_sun import BrandSunKeys, brand_sun_judge
from verify.keyring import KeyRing
from verify.verdict import VerdictStatus
from verify.verifier import verify_url


def _load_documents(source: str) -> list[dict]:
    """Published keys from a file or an http(s) URL: one brand document or {"brands": [...]}."""
    try:
        if source.startswith(("http://", "https://")):
            with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310 (scheme checked)
                data = json.load(response)
        else:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read published keys from {source}: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("brands"), list):
        return data["brands"]
    if isinstance(data, dict):
        return [data]
    raise InvalidInput(f"cannot read published keys from {source}: expected a JSON object")


GS1_RESOLVER = "https://id.gs1.org"


def presented_code(code: str) -> str:
    """The code as a URL: surrounding whitespace dropped (a CSV line's CR, a scanner's CR/LF),
    an element string turned into its Digital Link (GS1 Digital Link 1.2 §4.7)."""
    text = code.strip()
    if text.startswith(("http://", "https://")):
        return text
    return DigitalLink.from_element_string(text, GS1_RESOLVER).as_uri()


def verify_command(
    code: str = typer.Argument(..., metavar="CODE",
                               help="The code: its URL (GS1 Digital Link with AI 8030) or a DataMatrix element string."),
    keys: str | None = typer.Option(
        None, "--keys", help="Offline: check the signature only, against published keys (file or URL)."
    ),
) -> None:
    """Print the verdict on a code; exit 0 when it is genuine (or, offline, its signature valid), 1 otherwise."""
    url = presented_code(code)
    if keys is not None:
        verdict = verify_url(url, KeyRing.from_documents(_load_documents(keys)), None)
    else:
        rt = runtime()
        ring = KeyRing.from_brand_keys(published_keys(rt.db))
        verdict = verify_url(url, ring, lambda gtin, serial: find_unit(rt.db, gtin, serial))
        if verdict.brand is not None and verdict.status is not VerdictStatus.FORGED:
            try:
                brand_sun_judge(BrandSunKeys(rt.db, rt.key_store).keys)(url, verdict.brand)
            except SignatureError as exc:
                verdict = replace(verdict, status=VerdictStatus.FORGED, reason=str(exc))
    print_json(verdict.as_json())
    if verdict.status not in (VerdictStatus.GENUINE, VerdictStatus.SIGNATURE_VALID):
        raise typer.Exit(1)
