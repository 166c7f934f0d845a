"""The FastAPI application factory: the API's composition root."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from trace.api import problems
from trace.api.rate_limit import RateLimiter
from trace.api.routes import (
    alerts,
    brands,
    catalog,
    console,
    console_catalog,
    console_recalls,
    console_sales,
    epcis,
    health,
    keys,
    leads,
    ledger,
    mint_jobs,
    recalls,
    risk_policies,
    sales,
    signup,
    sun_keys,
    units,
    verification,
    well_known,
)
from trace.runtime import Runtime, build_runtime
from trace.services.checkpoint_schedule import checkpoint_publisher
from trace.services.webhooks import webhook_dispatcher
from trace.settings import Settings, load_settings
from verify.brand_sun import BrandSunKeys, brand_sun_judge
from verify.scanning import judges
from verify.trusted_keys import KeyRingCache


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """Build the app; settings are validated here (production refuses development secrets)."""
    runtime = runtime or build_runtime(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Everything built so far (modules, mappers, routes, compiled templates: ~150,000
        # objects) lives as long as the process: keep it out of the cyclic collector, whose
        # full passes over it stalled every request in flight for over 100 ms (the p99 of
        # `tracemark bench verify`). Only objects made while serving are collected; garbage
        # left by startup is collected once first, so none of it is kept forever.
        gc.collect()
        gc.freeze()
        interval = runtime.settings.checkpoint_interval_seconds
        publisher = checkpoint_publisher(runtime.db, runtime.key_store, interval=interval) if interval else None
        if publisher is not None:
            publisher.start()
        every = runtime.settings.webhook_interval_seconds
        dispatcher = webhook_dispatcher(runtime.db, runtime.settings.secret_key_bytes(), interval=every) if every else None
        if dispatcher is not None:
            dispatcher.start()
        try:
            yield
        finally:
            if dispatcher is not None:
                dispatcher.stop()
            if publisher is not None:
                publisher.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="Tracemark",
        version="0.1.0",
        description="Signed one-item-one-code identifiers (GS1 Digital Link), verification and the brand API.",
    )
    app.state.runtime = runtime
    app.state.key_rings = KeyRingCache(runtime.db)
    app.state.sun_keys = BrandSunKeys(runtime.db, runtime.key_store)
    app.state.scan_judges = judges(app.state.key_rings.ring, sun=brand_sun_judge(app.state.sun_keys.keys))
    app.state.rate_limiter = RateLimiter(per_minute=runtime.settings.rate_limit_per_minute)
    app.state.signup_limiter = RateLimiter(per_minute=10)  # loyalty signups per client: rarer than page views
    problems.install(app)
    # Routes are matched in this order, one by one: the consumer's scan (by far the most
    # requested path) and the liveness probe come first, so they do not pay for testing
    # every API route before theirs. The patterns do not overlap (only scans start /01/).
    for module in (verification, health, brands, catalog, keys, mint_jobs, epcis, units, ledger, well_known,
                   signup, leads, alerts, sales, recalls, risk_policies, console,
                   console_recalls, console_catalog, console_sales, sun_keys):
        app.include_router(module.router)
    return app
