"""`tracemark brand|product|lot …`: the catalog a brand mints codes for."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import typer

from trace.cli.output import print_json, say
from trace.cli.runtime_access import runtime
from trace.errors import InvalidInput
from trace.services import brands, catalog

brand_app = typer.Typer(help="Brands (tenants) and their resolver domains.", no_args_is_help=True)
product_app = typer.Typer(help="Products (GTINs).", no_args_is_help=True)
lot_app = typer.Typer(help="Production lots.", no_args_is_help=True)


def parse_day(text: str, option: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"invalid {option} {text!r}: expected a date as YYYY-MM-DD") from None


@brand_app.command("add")
def brand_add(
    name: str = typer.Argument(..., help="Display name, e.g. 'Acme Tea'."),
    domain: str = typer.Option(..., "--domain", help="Resolver base of the brand's codes, e.g. https://id.acme.example"),
    slug: str | None = typer.Option(None, "--slug", help="Short id used in the API (default: from the name)."),
) -> None:
    """Register a brand and create its first signing key."""
    rt = runtime()
    info = brands.add_brand(rt.db, rt.key_store, name=name, domain=domain, slug=slug)
    say(f"brand {info.slug!r} added with signing key {info.active_kid}")
    print_json(asdict(info))


@brand_app.command("list")
def brand_list() -> None:
    print_json([asdict(b) for b in brands.list_brands(runtime().db)])


@brand_app.command("set-prefix-length")
def brand_set_prefix_length(
    brand: str = typer.Option(..., "--brand", help="Brand slug."),
    length: int = typer.Option(..., "--length", help="Digits of the brand's GS1 Company Prefix (6 to 12)."),
) -> None:
    """Set the length of the brand's GS1 Company Prefix (needed for EPCs and SSCCs)."""
    brands.set_company_prefix_length(runtime().db, brand, length)
    say(f"brand {brand!r}: GS1 Company Prefix length {length}")


@product_app.command("add")
def product_add(
    brand: str = typer.Option(..., "--brand", help="Brand slug or name."),
    gtin: str = typer.Option(..., "--gtin", help="GTIN-8/12/13/14 with its check digit."),
    name: str = typer.Option(..., "--name"),
    description: str = typer.Option("", "--description"),
) -> None:
    """Register a product (the GTIN's check digit is verified)."""
    info = catalog.add_product(runtime().db, brand=brand, gtin=gtin, name=name, description=description)
    say(f"product {info.gtin} ({info.name}) added to {info.brand!r}")
    print_json(asdict(info))


@product_app.command("list")
def product_list(brand: str = typer.Option(..., "--brand")) -> None:
    print_json([asdict(p) for p in catalog.list_products(runtime().db, brand)])


@lot_app.command("add")
def lot_add(
    gtin: str = typer.Option(..., "--gtin"),
    lot: str = typer.Option(..., "--lot", help="Lot number (AI 10: up to 20 characters)."),
    produced: str = typer.Option(..., "--produced", help="Production date, YYYY-MM-DD."),
    expires: str | None = typer.Option(None, "--expires", help="Expiry date, YYYY-MM-DD."),
    line: str | None = typer.Option(None, "--line", help="Production line."),
    site: str | None = typer.Option(None, "--site", help="Production site."),
) -> None:
    """Register a production lot of a product."""
    info = catalog.add_lot(runtime().db, gtin=gtin, lot=lot, produced_on=parse_day(produced, "--produced"),
                           expires_on=parse_day(expires, "--expires") if expires else None, line=line, site=site)
    say(f"lot {info.lot!r} of {info.gtin} added")
    print_json(asdict(info))


@lot_app.command("list")
def lot_list(gtin: str = typer.Option(..., "--gtin")) -> None:
    print_json([asdict(lot) for lot in catalog.list_lots(runtime().db, gtin)])
