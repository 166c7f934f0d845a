"""Console pages for the catalog and the signing keys: products, lots (codes by state), keys.

Anyone signed in reads; adding products and lots needs ``manage_catalog``, rotating and
revoking keys ``manage_keys`` (admins). A form with bad input is shown again with the
service's message and the status the API would give (400, 404, 409).
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from trace.api.console_session import Console, ConsoleRoute, Staff, StaffForm, Text, render
from trace.api.deps import KeyRingsDep, RuntimeDep
from trace.api.problems import status_for
from trace.db.base import utc_now
from trace.domain.access import Permission
from trace.errors import Conflict, InvalidInput
from trace.runtime import Runtime
from trace.services import catalog, lot_codes, signing_keys

router = APIRouter(prefix="/console", tags=["console"], route_class=ConsoleRoute, include_in_schema=False)


def _date(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"invalid {field} {value!r}: expected a date as YYYY-MM-DD") from None


def _products(request: Request, console: Console, runtime: Runtime, *, form: dict[str, str],
              error: Exception | None = None) -> Response:
    rows = lot_codes.products(runtime.db, console.member.brand)
    return render(request, "products.html", http_status=status_for(error) if error else 200, console=console,
                  products=rows, form=form, error=str(error) if error else None)


@router.get("/products", response_class=HTMLResponse)
def products_page(request: Request, console: Staff, runtime: RuntimeDep) -> Response:
    return _products(request, console, runtime, form={})


@router.post("/products")
def add_product(request: Request, console: StaffForm, runtime: RuntimeDep, gtin: Text, name: Text,
                description: Text = "") -> Response:
    console.require(Permission.MANAGE_CATALOG)
    try:
        added = catalog.add_product(runtime.db, brand=console.member.brand, gtin=gtin.strip(), name=name,
                                    description=description.strip())
    except (InvalidInput, Conflict) as exc:
        form = {"gtin": gtin, "name": name, "description": description}
        return _products(request, console, runtime, form=form, error=exc)
    return RedirectResponse(f"/console/products/{added.gtin}", status_code=303)


def _product(request: Request, console: Console, runtime: Runtime, gtin: str, *, form: dict[str, str],
             error: Exception | None = None) -> Response:
    product, lots = lot_codes.lots(runtime.db, console.member.brand, gtin, today=utc_now().date())
    return render(request, "product.html", http_status=status_for(error) if error else 200, console=console,
                  product=product, lots=lots, form=form, error=str(error) if error else None)


@router.get("/products/{gtin}", response_class=HTMLResponse)
def product_page(request: Request, gtin: str, console: Staff, runtime: RuntimeDep) -> Response:
    return _product(request, console, runtime, gtin, form={})


@router.post("/products/{gtin}/lots")
def add_lot(request: Request, gtin: str, console: StaffForm, runtime: RuntimeDep, lot: Text, produced_on: Text,
            expires_on: Text = "", line: Text = "", site: Text = "") -> Response:
    console.require(Permission.MANAGE_CATALOG)
    try:
        produced = _date(produced_on, "production date")
        if produced is None:
            raise InvalidInput("invalid lot: a production date is required")
        added = catalog.add_lot(runtime.db, brand=console.member.brand, gtin=gtin, lot=lot.strip(),
                                produced_on=produced, expires_on=_date(expires_on, "expiry date"),
                                line=line.strip() or None, site=site.strip() or None)
    except (InvalidInput, Conflict) as exc:
        form = {"lot": lot, "produced_on": produced_on, "expires_on": expires_on, "line": line, "site": site}
        return _product(request, console, runtime, gtin, form=form, error=exc)
    return RedirectResponse(f"/console/products/{added.gtin}", status_code=303)


@router.get("/products/{gtin}/lots/{lot:path}", response_class=HTMLResponse)
def lot_page(request: Request, gtin: str, lot: str, console: Staff, runtime: RuntimeDep) -> Response:
    detail = lot_codes.lot_detail(runtime.db, console.member.brand, gtin, lot, today=utc_now().date())
    return render(request, "lot.html", console=console, lot=detail)


@router.get("/keys", response_class=HTMLResponse)
def keys_page(request: Request, console: Staff, runtime: RuntimeDep) -> Response:
    brand = console.member.brand
    return render(request, "keys.html", console=console, keys=signing_keys.list_keys(runtime.db, brand),
                  codes=signing_keys.codes_signed(runtime.db, brand))


@router.post("/keys/rotate")
def rotate_key(console: StaffForm, runtime: RuntimeDep, rings: KeyRingsDep) -> Response:
    console.require(Permission.MANAGE_KEYS)
    signing_keys.rotate_key(runtime.db, runtime.key_store, console.member.brand)
    rings.invalidate()
    return RedirectResponse("/console/keys", status_code=303)


@router.post("/keys/{kid}/revoke")
def revoke_key(kid: str, console: StaffForm, runtime: RuntimeDep, rings: KeyRingsDep, confirm: Text = "") -> Response:
    console.require(Permission.MANAGE_KEYS)
    if confirm != "yes":
        raise InvalidInput(f"revoking key {kid!r} makes every code it signed verify as forged: tick the box to confirm")
    signing_keys.revoke_key(runtime.db, runtime.key_store, console.member.brand, kid)
    rings.invalidate()
    return RedirectResponse("/console/keys", status_code=303)
