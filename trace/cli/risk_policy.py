"""`tracemark risk-policy …`: the thresholds a brand's (or a product's) scans are judged by."""

from __future__ import annotations

from dataclasses import asdict

import typer

from trace.cli.output import print_json, say
from trace.cli.runtime_access import runtime
from trace.services import risk_policies
from trace.services.risk_policies import PolicyView

app = typer.Typer(help="Risk policies: copy and travel thresholds per brand or product.", no_args_is_help=True)


def _json(view: PolicyView) -> dict[str, object]:
    return {**asdict(view), "updated_at": view.updated_at.isoformat() if view.updated_at else None}


@app.command("set")
def policy_set(
    brand: str = typer.Option(..., "--brand"),
    gtin: str | None = typer.Option(None, "--gtin", help="Only this product (default: the whole brand)."),
    max_consumer_verifications: int | None = typer.Option(
        None, "--max-consumer-verifications", help="Consumer verifications an item may have; the next is a possible copy."),
    travel_speed_kmh: float | None = typer.Option(
        None, "--travel-speed-kmh", help="Faster travel between two scans is a possible copy."),
    travel_min_distance_km: float | None = typer.Option(
        None, "--travel-min-distance-km", help="Scans closer than this are never impossible travel."),
    check_expiry: bool | None = typer.Option(None, "--check-expiry/--no-check-expiry"),
    require_shipped: bool | None = typer.Option(None, "--require-shipped/--no-require-shipped",
                                                help="A consumer scan of an unshipped unit is 'not released'."),
    genuine_without_events: bool | None = typer.Option(
        None, "--genuine-without-events/--no-genuine-without-events",
        help="A unit without any EPCIS event counts as released."),
) -> None:
    """Store the policy: the values given, over the one in force (the rest is kept)."""
    given = {"max_consumer_verifications": max_consumer_verifications, "travel_speed_kmh": travel_speed_kmh,
             "travel_min_distance_km": travel_min_distance_km, "check_expiry": check_expiry,
             "require_shipped": require_shipped, "genuine_without_events": genuine_without_events}
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise typer.BadParameter("give at least one threshold to set, e.g. --max-consumer-verifications 3")
    view = risk_policies.set_policy(runtime().db, brand=brand, gtin=gtin, **changes)
    say(f"risk policy of {view.brand!r}{f' product {view.gtin}' if view.gtin else ''} stored")
    print_json(_json(view))


@app.command("show")
def policy_show(brand: str = typer.Option(..., "--brand"), gtin: str | None = typer.Option(None, "--gtin")) -> None:
    """The policy in force for the brand (or product), and where it comes from."""
    print_json(_json(risk_policies.policy_in_force(runtime().db, brand=brand, gtin=gtin)))


@app.command("list")
def policy_list(brand: str = typer.Option(..., "--brand")) -> None:
    """The brand's stored policies (its own, then its products')."""
    print_json([_json(view) for view in risk_policies.list_policies(runtime().db, brand)])


@app.command("clear")
def policy_clear(brand: str = typer.Option(..., "--brand"), gtin: str | None = typer.Option(None, "--gtin")) -> None:
    """Remove the stored policy: the brand's (or the defaults) applies again."""
    risk_policies.clear_policy(runtime().db, brand=brand, gtin=gtin)
    say(f"risk policy of {brand!r}{f' product {gtin}' if gtin else ''} removed")
